package dev.connbal.transforms.keys;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one representation of addresses: forms, order, families kept apart, encoding. */
class IpAddressTest {
  @Test
  void ipv4PrintsPaddedAndPlain() {
    IpAddress a = IpAddress.parse("10.0.1.2");
    assertThat(a.isV4(), is(true));
    assertThat(a.v4(), is(0x0A000102));
    assertThat(a.padded(), equalTo("010.000.001.002"));
    assertThat(a.toString(), equalTo("10.0.1.2"));
    assertThat(IpAddress.ofV4(-1).toString(), equalTo("255.255.255.255"));
    assertThat(IpAddress.ofV4(-1).padded(), equalTo("255.255.255.255"));
    assertThat(IpAddress.parse("199.10.0.99").padded(), equalTo("199.010.000.099"));
  }

  @Test
  void ipv6PrintsEightGroupsOfFourPaddedAndRfc5952Plain() {
    IpAddress a = IpAddress.parse("2001:DB8:0:0:0:0:0:1");
    assertThat(a.isV4(), is(false));
    assertThat(a.padded(), equalTo("2001:0db8:0000:0000:0000:0000:0000:0001"));
    assertThat(a.toString(), equalTo("2001:db8::1"));
    assertThat(
        IpAddress.parse("FE80::ABCD:9:fFfF").padded(),
        equalTo("fe80:0000:0000:0000:0000:abcd:0009:ffff"));
  }

  /** RFC 5952 4.2: the longest run of zero groups, the first of equal ones, never one group. */
  @Test
  void rfc5952ShortensTheLongestRunOfTwoOrMoreZeroGroups() {
    assertThat(IpAddress.parse("2001:db8:0:0:1:0:0:1").toString(), equalTo("2001:db8::1:0:0:1"));
    assertThat(IpAddress.parse("2001:0:0:1:0:0:0:1").toString(), equalTo("2001:0:0:1::1"));
    assertThat(IpAddress.parse("2001:db8:0:1:1:1:1:1").toString(), equalTo("2001:db8:0:1:1:1:1:1"));
    assertThat(IpAddress.parse("::").toString(), equalTo("::"));
    assertThat(IpAddress.parse("::1").toString(), equalTo("::1"));
    assertThat(IpAddress.parse("fe80::").toString(), equalTo("fe80::"));
    assertThat(IpAddress.parse("1:0:0:2:0:0:0:0").toString(), equalTo("1:0:0:2::"));
    assertThat(
        IpAddress.of(-1L, -1L).toString(), equalTo("ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff"));
  }

  /**
   * An IPv4-mapped address is the IPv4 address (docs/DECISIONS.md); the IPv4-compatible {@code
   * ::a.b.c.d} and every other IPv6 address is not.
   */
  @Test
  void ipv4MappedIsIpv4AndNothingElseIs() {
    assertThat(IpAddress.parse("::ffff:10.0.0.1"), equalTo(IpAddress.parse("10.0.0.1")));
    IpAddress compatible = IpAddress.parse("::10.0.0.1");
    assertThat(compatible.isV4(), is(false));
    assertThat(compatible, not(equalTo(IpAddress.parse("10.0.0.1"))));
    assertThat(compatible.toString(), equalTo("::a00:1"));
    assertThat(IpAddress.of(0, 0x0000_fffe_0a00_0001L).isV4(), is(false));
  }

  @Test
  void ipv4SortsBeforeIpv6ThenNumerically() {
    List<IpAddress> all = new ArrayList<>();
    for (String a :
        List.of(
            "2001:db8::10",
            "::",
            "255.255.255.255",
            "fe80::1",
            "9.0.0.1",
            "2001:db8::2",
            "10.0.0.1")) {
      all.add(IpAddress.parse(a));
    }
    all.sort(null);
    assertThat(
        all.stream().map(IpAddress::toString).toList(),
        contains(
            "9.0.0.1",
            "10.0.0.1",
            "255.255.255.255",
            "::",
            "2001:db8::2",
            "2001:db8::10",
            "fe80::1"));
  }

  @Test
  void encodesIpv4InFiveBytesAndIpv6InSeventeen() throws IOException {
    for (String text : List.of("10.0.0.1", "255.255.255.255", "::", "2001:db8::1", "::a00:1")) {
      IpAddress a = IpAddress.parse(text);
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      a.writeTo(bytes);
      assertThat(bytes.size(), is(a.isV4() ? 5 : 17));
      assertThat(IpAddress.readFrom(new ByteArrayInputStream(bytes.toByteArray())), equalTo(a));
      ByteArrayOutputStream data = new ByteArrayOutputStream();
      a.writeData(new DataOutputStream(data));
      assertThat(data.toByteArray(), equalTo(bytes.toByteArray()));
      assertThat(
          IpAddress.readData(new DataInputStream(new ByteArrayInputStream(data.toByteArray()))),
          equalTo(a));
    }
    byte[] ipv4 = {4, 10, 0, 0, 1};
    assertThat(
        IpAddress.readFrom(new ByteArrayInputStream(ipv4)), equalTo(IpAddress.parse("10.0.0.1")));
  }

  @Test
  void anIpv4AddressWrittenAsIpv6OrAnotherLengthFailsToDecode() {
    byte[] mapped = new byte[17];
    mapped[0] = 16;
    mapped[11] = (byte) 0xff;
    mapped[12] = (byte) 0xff;
    assertThrows(IOException.class, () -> IpAddress.readFrom(new ByteArrayInputStream(mapped)));
    assertThrows(
        IOException.class, () -> IpAddress.readFrom(new ByteArrayInputStream(new byte[] {6, 1})));
    assertThrows(
        IOException.class, () -> IpAddress.readFrom(new ByteArrayInputStream(new byte[] {4, 1})));
  }
}
