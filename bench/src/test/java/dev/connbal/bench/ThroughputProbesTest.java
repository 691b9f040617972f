package dev.connbal.bench;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.lessThanOrEqualTo;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.beam.vendor.guava.v32_1_2_jre.com.google.common.base.Splitter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The parse-only probe (SnoopIO on the Direct runner) and the decode-only probe (plain loop) see
 * every record of a generated capture and decode the same TCP segments and DNS messages.
 */
class ThroughputProbesTest {
  @TempDir static Path dir;
  private static Path capture;
  private static TrafficGenerator.Result generated;

  @BeforeAll
  static void generate() throws Exception {
    capture = dir.resolve("probe.snoop");
    try (OutputStream out = Files.newOutputStream(capture)) {
      generated = TrafficGenerator.generate(out, 1L << 20, 3);
    }
  }

  @Test
  void bothProbesDecodeEveryRecordAlike() throws Exception {
    ByteArrayOutputStream parseOut = new ByteArrayOutputStream();
    int exit =
        ParseThroughput.run(capture, new PrintStream(parseOut, true, StandardCharsets.UTF_8));
    ByteArrayOutputStream decodeOut = new ByteArrayOutputStream();
    DecodeThroughput.run(capture, new PrintStream(decodeOut, true, StandardCharsets.UTF_8));
    Map<String, String> parse = fields(parseOut);
    Map<String, String> decode = fields(decodeOut);

    assertThat(exit, is(0));
    assertThat(parse.get("readErrors"), equalTo("0"));
    for (Map<String, String> probe : java.util.List.of(parse, decode)) {
      assertThat(probe.get("bytes"), equalTo(Long.toString(generated.bytes())));
      assertThat(probe.get("packets"), equalTo(Long.toString(generated.packets())));
      assertThat(probe.get("dnsMalformed"), equalTo("0"));
      assertThat(Long.parseLong(probe.get("dnsMessages")), greaterThan(0L));
      assertThat(Double.parseDouble(probe.get("mbPerSecond")), greaterThan(0.0));
    }
    assertThat(parse.get("tcpSegments"), equalTo(decode.get("tcpSegments")));
    assertThat(parse.get("dnsMessages"), equalTo(decode.get("dnsMessages")));
    assertThat(parse.get("notIp"), equalTo(Long.toString(generated.notIpFrames())));
    assertThat(parse.get("noTransportHeader"), equalTo("0"));
    // The reading stage is part of the run it is timed in.
    double stage = Double.parseDouble(parse.get("stageSeconds"));
    assertThat(stage, greaterThan(0.0));
    assertThat(stage, lessThanOrEqualTo(Double.parseDouble(parse.get("wallSeconds"))));
  }

  private static Map<String, String> fields(ByteArrayOutputStream out) {
    Map<String, String> fields = new HashMap<>();
    for (String field : Splitter.on(' ').split(out.toString(StandardCharsets.UTF_8).trim())) {
      int eq = field.indexOf('=');
      fields.put(field.substring(0, eq), field.substring(eq + 1));
    }
    return fields;
  }
}
