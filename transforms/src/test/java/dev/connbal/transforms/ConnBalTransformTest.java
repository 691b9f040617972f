package dev.connbal.transforms;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.connbal.transforms.keys.IpAddress;
import dev.connbal.transforms.output.IpFormat;
import dev.connbal.transforms.report.RunReport;
import dev.connbal.transforms.testing.Packets;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.beam.sdk.transforms.display.DisplayData;
import org.junit.jupiter.api.Test;

/** {@link ConnBal#analyze()}'s options, their validation and display data; the report text. */
class ConnBalTransformTest {
  @Test
  void optionsAreValidated() {
    ConnBal.Analyze analyze = ConnBal.analyze();
    assertThat(
        assertThrows(IllegalArgumentException.class, () -> analyze.withDesiredSplitSize(63))
            .getMessage(),
        equalTo("desired split size must be at least 64 bytes, got 63"));
    assertThrows(IllegalArgumentException.class, () -> analyze.withNameFilter(""));
    assertThrows(IllegalArgumentException.class, () -> analyze.withNameFilter(null));
    assertThrows(IllegalArgumentException.class, () -> analyze.from(""));
  }

  @Test
  void displayDataShowsTheOptions() {
    DisplayData data =
        DisplayData.from(
            ConnBal.analyze()
                .withAllStreams(true)
                .withNameFilter("example")
                .withDesiredSplitSize(1024));
    List<String> items =
        data.items().stream()
            .map(i -> i.getKey() + "=" + i.getValue())
            .collect(Collectors.toList());
    assertThat(items, hasItem("allStreams=true"));
    assertThat(items, hasItem("nameFilter=example"));
    assertThat(items, hasItem("desiredSplitSize=1024"));
  }

  @Test
  void ipFormats() {
    IpAddress ip = Packets.ip("192.0.2.7");
    assertThat(IpFormat.PADDED.format(ip), equalTo("192.000.002.007"));
    assertThat(IpFormat.PLAIN.format(ip), equalTo("192.0.2.7"));
    assertThat(IpFormat.PADDED.format(IpAddress.ofV4(0)), equalTo("000.000.000.000"));
    assertThat(IpFormat.PLAIN.format(IpAddress.ofV4(-1)), equalTo("255.255.255.255"));
  }

  @Test
  void reportFormatsOneCountPerLine() {
    RunReport r =
        RunReport.builder()
            .setPackets(123)
            .setCorruptRegions(2)
            .setCorruptBytes(4000)
            .build()
            .plus(RunReport.builder().setPackets(1).setResponsesWithoutQuery(3).build());
    assertThat(
        r.format(),
        equalTo(
            "packets read: 124\n"
                + "frame bytes read: 0\n"
                + "corrupt regions skipped: 2\n"
                + "corrupt bytes skipped: 4000\n"
                + "truncated records: 0\n"
                + "truncated bytes: 0\n"
                + "files with errors: 0\n"
                + "DNS messages malformed: 0\n"
                + "DNS responses without a matching query: 3\n"
                + "frames skipped for an unsupported link type: 0\n"
                + "frames skipped as not IP: 0\n"
                + "frames skipped without a readable transport header (ESP, No Next Header): 0\n"
                + "frames skipped as malformed: 0\n"
                + "IP fragments skipped: 0\n"
                + "DNS-over-TCP messages lost to gaps: 0\n"));
  }

  @Test
  void reportNamesEveryReasonForSkippingAFrame() {
    RunReport r =
        RunReport.builder()
            .setUnsupportedLinkTypeFrames(1)
            .setNotIpFrames(2)
            .setNoTransportHeaderFrames(3)
            .setMalformedFrames(4)
            .setFragmentsSkipped(5)
            .build();
    assertThat(
        r.format(),
        containsString(
            "frames skipped for an unsupported link type: 1\n"
                + "frames skipped as not IP: 2\n"
                + "frames skipped without a readable transport header (ESP, No Next Header): 3\n"
                + "frames skipped as malformed: 4\n"
                + "IP fragments skipped: 5\n"));
  }
}
