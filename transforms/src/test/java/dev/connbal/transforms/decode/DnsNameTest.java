package dev.connbal.transforms.decode;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThan;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.apache.beam.sdk.coders.CoderException;
import org.apache.beam.sdk.coders.CoderRegistry;
import org.apache.beam.sdk.util.CoderUtils;
import org.junit.jupiter.api.Test;

class DnsNameTest {

  private static DnsName name(String s) {
    return DnsName.fromPresentation(s);
  }

  private static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  @Test
  void presentationHasTrailingDotAndRootIsDot() {
    assertThat(name("www.example.com").presentation(), is("www.example.com."));
    assertThat(name("www.example.com.").presentation(), is("www.example.com."));
    assertThat(name(".").presentation(), is("."));
    assertThat(name("").presentation(), is("."));
    assertThat(DnsName.ofLabels().presentation(), is("."));
    assertThat(DnsName.root().toString(), is("."));
  }

  @Test
  void escapesInPresentation() {
    DnsName n =
        DnsName.ofLabels(
            new byte[] {'a', '.', 'b'},
            new byte[] {'\\'},
            new byte[] {'\t', '\n', ' '},
            new byte[] {(byte) 0xc3, (byte) 0xa9},
            new byte[] {0x21, 0x7e, 0x7f, 0x20});

    assertThat(n.presentation(), is("a\\.b.\\\\.\\009\\010\\032.\\195\\169.!~\\127\\032."));
  }

  @Test
  void fromPresentationUnderstandsEscapes() {
    DnsName n = name("a\\.b.\\\\.\\009x\\ y\\\"");

    assertThat(n, is(DnsName.ofLabels(ascii("a.b"), ascii("\\"), ascii("\tx y\""))));
    assertThat(n.presentation(), is("a\\.b.\\\\.\\009x\\032y\"."));
  }

  @Test
  void fromPresentationRejectsWhatIsNotAName() {
    for (String bad :
        List.of(
            "a..b",
            ".a",
            "a\\",
            "a\\25",
            "a\\256",
            "a\u00e9",
            "a\tb",
            "x".repeat(64),
            ("x".repeat(63) + ".").repeat(4))) {
      assertThrows(IllegalArgumentException.class, () -> name(bad), bad);
    }
    assertThrows(IllegalArgumentException.class, () -> DnsName.ofLabels(new byte[0]));
    assertThrows(IllegalArgumentException.class, () -> DnsName.ofLabels(new byte[64]));
  }

  @Test
  void longestName() {
    String l63 = "x".repeat(63);
    DnsName n = name(l63 + "." + l63 + "." + l63 + "." + "x".repeat(61));

    assertThat(n.presentation().length(), is(254));
    assertThrows(
        IllegalArgumentException.class,
        () -> name(l63 + "." + l63 + "." + l63 + "." + "x".repeat(62)));
  }

  @Test
  void equalityAndHashIgnoreAsciiCaseOnly() {
    assertThat(name("WWW.Example.COM"), is(name("www.example.com.")));
    assertThat(name("WWW.Example.COM").hashCode(), is(name("www.example.com.").hashCode()));
    assertThat(name("www.example.com"), is(not(name("www.example.co"))));
    assertThat(name("a.b"), is(not(name("ab"))));
    // Only ASCII letters fold: 0xC9 and 0xE9 (Latin-1 É/é) are different bytes.
    assertThat(
        DnsName.ofLabels(new byte[] {(byte) 0xc9}),
        is(not(DnsName.ofLabels(new byte[] {(byte) 0xe9}))));
    // '[' (0x5B) and '{' (0x7B) differ by 0x20 but are not letters.
    assertThat(name("["), is(not(name("{"))));
  }

  @Test
  void eightByteLowerCasingFoldsAsciiLettersOnly() {
    for (int b = 0; b < 256; b++) {
      long folded = b >= 'A' && b <= 'Z' ? b + 0x20 : b;
      for (int at = 0; at < 64; at += 8) {
        // every byte value at every position, among neighbours that must stay as they are
        long around = 0x5A40_5B60_7B41_C1DAL & ~(0xFFL << at);
        long expected = DnsName.asciiLower8(around) | (folded << at);
        assertThat(DnsName.asciiLower8(around | ((long) b << at)), is(expected));
      }
    }
    assertThat(DnsName.asciiLower8(0x5A40_5B60_7B41_C1DAL), is(0x7A40_5B60_7B61_C1DAL));
  }

  @Test
  void sameSpellingKeepsCase() {
    assertThat(name("WWW.Example.COM").sameSpelling(name("WWW.Example.COM.")), is(true));
    assertThat(name("WWW.Example.COM").sameSpelling(name("www.example.com")), is(false));
    assertThat(name("a.b").sameSpelling(name("ab")), is(false));
  }

  @Test
  void canonicalOrder() {
    List<DnsName> names = new ArrayList<>();
    for (String s :
        List.of(
            "z.example",
            "example",
            "a.example",
            "yljkjljk.a.example",
            "Z.a.example",
            "zABC.a.EXAMPLE",
            "*.z.example",
            "\\200.z.example",
            "\\001.z.example",
            ".")) {
      names.add(name(s));
    }
    Collections.shuffle(names, new java.util.Random(7));
    Collections.sort(names);

    List<String> sorted = new ArrayList<>();
    for (DnsName n : names) {
      sorted.add(n.presentation());
    }
    // RFC 4034 section 6.1's example order.
    assertThat(
        sorted,
        contains(
            ".",
            "example.",
            "a.example.",
            "yljkjljk.a.example.",
            "Z.a.example.",
            "zABC.a.EXAMPLE.",
            "z.example.",
            "\\001.z.example.",
            "*.z.example.",
            "\\200.z.example."));
    assertThat(name("A.example").compareTo(name("a.EXAMPLE")), is(0));
    assertThat(name("ab.example").compareTo(name("a.example")), greaterThan(0));
    assertThat(name("a.example").compareTo(name("ab.example")), lessThan(0));
  }

  @Test
  void containsIgnoreCase() {
    DnsName n = name("API.Prod.Example.com");

    assertThat(n.containsIgnoreCase("prod.example"), is(true));
    assertThat(n.containsIgnoreCase("EXAMPLE.COM."), is(true));
    assertThat(n.containsIgnoreCase(""), is(true));
    assertThat(n.containsIgnoreCase("api.prod.example.com.x"), is(false));
    assertThat(n.containsIgnoreCase("staging"), is(false));
    // Matched against the presentation form, escapes included.
    assertThat(DnsName.ofLabels(ascii("a b")).containsIgnoreCase("a\\032b"), is(true));
    assertThat(DnsName.ofLabels(ascii("a b")).containsIgnoreCase("a b"), is(false));
    // U+212A KELVIN SIGN lower-cases to 'k' in Unicode, but is not ASCII.
    assertThat(name("k.example").containsIgnoreCase("\u212a"), is(false));
  }

  @Test
  void coderRoundTripKeepsCaseAndIsDeterministic() throws Exception {
    DnsNameCoder coder = DnsNameCoder.of();
    DnsName n = DnsName.ofLabels(ascii("WwW"), new byte[] {0, (byte) 0xff, '.'}, ascii("Com"));

    byte[] encoded = CoderUtils.encodeToByteArray(coder, n);
    DnsName decoded = CoderUtils.decodeFromByteArray(coder, encoded);

    assertThat(decoded.presentation(), is(n.presentation()));
    assertThat(decoded, is(n));
    assertThat(CoderUtils.encodeToByteArray(coder, decoded), is(encoded));
    assertThat(
        CoderUtils.decodeFromByteArray(coder, CoderUtils.encodeToByteArray(coder, DnsName.root())),
        is(DnsName.root()));
    coder.verifyDeterministic();
    assertThat(coder, is(DnsNameCoder.of()));
  }

  @Test
  void coderRejectsCorruptBytes() throws Exception {
    DnsNameCoder coder = DnsNameCoder.of();
    byte[] goodWire = new byte[] {5, 1, 'a', 1, 'b', 0};
    byte[] lengthByteTooLarge = new byte[] {5, 1, 'a', 5, 'b', 0};
    byte[] noRoot = new byte[] {5, 1, 'a', 1, 'b', 1};
    byte[] rootMissing = new byte[] {4, 1, 'a', 1, 'b'};
    byte[] over255 = new byte[] {(byte) 0x80, 0x02};
    byte[] empty = new byte[] {0};

    for (byte[] bad : List.of(lengthByteTooLarge, noRoot, rootMissing, over255, empty)) {
      assertThrows(CoderException.class, () -> coder.decode(new ByteArrayInputStream(bad)));
    }
    assertThat(coder.decode(new ByteArrayInputStream(goodWire)), is(name("a.b")));
    assertThrows(
        EOFException.class,
        () -> coder.decode(new ByteArrayInputStream(Arrays.copyOf(goodWire, 4))));
  }

  @Test
  void defaultCoderIsRegistered() throws Exception {
    assertThat(
        CoderRegistry.createDefault().getCoder(DnsName.class), instanceOf(DnsNameCoder.class));
  }
}
