package dev.connbal.transforms.tcpdns;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;

import dev.connbal.transforms.tcpdns.DnsStreamReassembler.Segment;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SEMANTICS.md's DNS over TCP on one direction of a stream: messages behind 2-byte lengths, put
 * back in sequence order from segments in capture order. Expected messages are the literal bytes
 * the test wrote; the segment that completes each is named by hand.
 */
class DnsStreamReassemblerTest {
  private static final long ISN = 1000;

  /** What a direction yielded: "segment.ordinal:hex" per message, and the messages lost. */
  private static final class Yield implements DnsStreamReassembler.Sink {
    final List<String> messages = new ArrayList<>();
    int lost;

    @Override
    public void message(byte[] message, int segment, int ordinal) {
      messages.add(segment + "." + ordinal + ":" + HexFormat.of().formatHex(message));
    }

    @Override
    public void lost() {
      lost++;
    }
  }

  private static Yield reassemble(Segment... inCaptureOrder) {
    Yield y = new Yield();
    new DnsStreamReassembler().reassemble(List.of(inCaptureOrder), y);
    return y;
  }

  private static Segment syn(long isn) {
    return new Segment(isn, true, new byte[0]);
  }

  /** A segment carrying {@code hex} at {@code offset} bytes after the SYN's sequence number + 1. */
  private static Segment at(long offset, String hex) {
    return new Segment((ISN + 1 + offset) & 0xffffffffL, false, HexFormat.of().parseHex(hex));
  }

  /** A 12-byte message (a DNS header's size) whose bytes are {@code b}, with its length. */
  private static String framed(String twelveBytes) {
    return "000c" + twelveBytes;
  }

  private static final String M1 = "111111111111111111111111";
  private static final String M2 = "222222222222222222222222";
  private static final String M3 = "333333333333333333333333";

  @Test
  void aMessageInOneSegment() {
    Yield y = reassemble(syn(ISN), at(0, framed(M1)));
    assertThat(y.messages, contains("1.0:" + M1));
    assertThat(y.lost, equalTo(0));
  }

  @Test
  void aMessageOverSeveralSegmentsTakesTheSegmentThatCompletesIt() {
    Yield y = reassemble(syn(ISN), at(0, "000c1111"), at(4, "1111111111"), at(9, "1111111111"));
    assertThat(y.messages, contains("3.0:" + M1));
  }

  @Test
  void aLengthSplitAcrossSegments() {
    Yield y = reassemble(syn(ISN), at(0, "00"), at(1, "0c" + M1));
    assertThat(y.messages, contains("2.0:" + M1));
  }

  @Test
  void pipelinedMessagesInOneSegmentEachTakeItInTurn() {
    Yield y = reassemble(syn(ISN), at(0, framed(M1) + framed(M2) + "000c"), at(30, M3));
    assertThat(y.messages, contains("1.0:" + M1, "1.1:" + M2, "2.0:" + M3));
  }

  @Test
  void retransmittedBytesAreUsedOnceTheFirstCapturedWin() {
    // The retransmission overlaps the first segment and carries other bytes there: the first
    // segment's bytes are used, the retransmission supplies only what is new.
    Yield y =
        reassemble(
            syn(ISN),
            at(0, framed(M1).substring(0, 16)),
            at(0, framed(M1).substring(0, 16)),
            at(4, "ffffffff" + framed(M1).substring(16)),
            at(14, framed(M2)));
    assertThat(y.messages, contains("3.0:" + M1, "4.0:" + M2));
    assertThat(y.lost, equalTo(0));
  }

  @Test
  void outOfOrderSegmentsWaitForTheBytesBeforeThem() {
    // Segment 1 holds M1's end and all of M2; segment 2 fills M1's beginning. M1 is completed by
    // segment 2, M2 by segment 1 alone: it was whole when segment 1 was captured.
    String stream = framed(M1) + framed(M2);
    Yield y = reassemble(syn(ISN), at(6, stream.substring(12)), at(0, stream.substring(0, 12)));
    assertThat(y.messages, contains("2.0:" + M1, "1.0:" + M2));
    assertThat(y.lost, equalTo(0));
  }

  @Test
  void aGapInsideAMessageOfKnownLengthLosesOnlyThatMessage() {
    String stream = framed(M1) + framed(M2);
    Yield y = reassemble(syn(ISN), at(0, stream.substring(0, 8)), at(14, framed(M2)));
    assertThat(y.messages, contains("2.0:" + M2));
    assertThat(y.lost, equalTo(1));
  }

  /**
   * The windowed road feeds a direction's segments as time passes them, from the first each time:
   * what a reassembly that does not end yields is the beginning of what more segments yield, and it
   * tells when bytes wait behind a hole (only then can the end yield more). Stream: M1, then M2
   * whose length sits in the first segment and whose rest comes after a hole, M3 in one segment.
   */
  @Test
  void aReassemblyThatDoesNotEndYieldsTheBeginningOfWhatMoreSegmentsYield() {
    String stream = framed(M1) + framed(M2) + framed(M3);
    List<Segment> segments =
        List.of(
            syn(ISN),
            at(0, stream.substring(0, 32)), // M1 and M2's first two bytes
            at(20, stream.substring(40, 56)), // after a hole of 4 bytes in M2: waits behind it
            at(16, stream.substring(32, 40)), // fills the hole: completes M2
            at(28, stream.substring(56))); // M3
    List<String> yields = new ArrayList<>();
    List<Boolean> behindAHole = new ArrayList<>();
    for (int n = 1; n <= segments.size(); n++) {
      Yield y = new Yield();
      behindAHole.add(new DnsStreamReassembler().reassemble(segments.subList(0, n), y, false));
      assertThat(y.lost, equalTo(0));
      yields.add(String.join(" ", y.messages));
    }
    assertThat(
        yields,
        contains(
            "",
            "1.0:" + M1,
            "1.0:" + M1,
            "1.0:" + M1 + " 3.0:" + M2,
            yields.get(3) + " 4.0:" + M3));
    assertThat(behindAHole, contains(false, false, true, false, false));
    // Ended where bytes wait behind the hole: M2 is lost, and no message comes from behind it, as
    // its bytes are all M2's.
    Yield ended = new Yield();
    new DnsStreamReassembler().reassemble(segments.subList(0, 3), ended, true);
    assertThat(ended.messages, contains("1.0:" + M1));
    assertThat(ended.lost, equalTo(1));
  }

  @Test
  void aGapThatHidesWhereAMessageBeginsResumesAtASegmentStartWithAPlausibleLength() {
    // The gap takes M1's end and M2's length: M1 is lost; the segment after the gap starts in M2
    // with bytes "2222" (a length of 8738, plausible), which is not where a message begins, so
    // that is read as a message to come; with no bytes after, it is cut at the end (lost too).
    // In the second stream the segment after the gap starts with "0001", too short for a DNS
    // header: the next segment start, M3's, is taken.
    Yield y = reassemble(syn(ISN), at(0, "000c11"), at(16, M2));
    assertThat(y.messages, empty());
    assertThat(y.lost, equalTo(2));

    Yield z = reassemble(syn(ISN), at(0, "000c11"), at(16, "0001ff"), at(19, framed(M3)));
    assertThat(z.messages, contains("3.0:" + M3));
    assertThat(z.lost, equalTo(1));
  }

  @Test
  void aMessageTheSegmentsEndInIsLost() {
    Yield y = reassemble(syn(ISN), at(0, framed(M1) + "000c2222"));
    assertThat(y.messages, contains("1.0:" + M1));
    assertThat(y.lost, equalTo(1));
  }

  @Test
  void aDirectionSeenWithoutItsSynStartsAtItsLowestSequenceNumber() {
    // The capture began mid-stream and its first segment came out of order.
    String stream = framed(M1) + framed(M2);
    Yield y =
        reassemble(
            at(500, stream.substring(10)),
            at(500 - 5, stream.substring(0, 10)),
            at(500 + 23, framed(M3)));
    assertThat(y.messages, contains("1.0:" + M1, "0.0:" + M2, "2.0:" + M3));
    assertThat(y.lost, equalTo(0));
  }

  @Test
  void bufferingIsBoundedAHoleLongerThanTheWindowIsAGap() {
    // M1 is 1000 bytes long; its bytes 10.. never come in time. After it, 70 messages of 1000
    // bytes: the one that reaches past the window makes the hole a gap, M1 is lost and the rest
    // are read; M1's retransmission comes too late and is not used.
    List<Segment> segments = new ArrayList<>(List.of(syn(ISN)));
    segments.add(at(0, "03e8" + "aa".repeat(8)));
    List<String> expected = new ArrayList<>();
    for (int i = 0; i < 70; i++) {
      String body = String.format("%02x", i).repeat(1000);
      segments.add(at(1002 + 1002L * i, "03e8" + body));
      expected.add(segments.size() - 1 + ".0:" + body);
    }
    segments.add(at(10, "bb".repeat(992)));
    Yield y = new Yield();
    new DnsStreamReassembler().reassemble(segments, y);
    assertThat(y.messages, equalTo(expected));
    assertThat(y.lost, equalTo(1));
  }

  @Test
  void sequenceNumbersWrap() {
    long isn = 0xfffffff8L;
    String stream = framed(M1);
    Yield y =
        reassemble(
            syn(isn),
            new Segment(0xfffffff9L, false, HexFormat.of().parseHex(stream.substring(0, 12))),
            new Segment(0xffffffffL, false, HexFormat.of().parseHex(stream.substring(12, 20))),
            new Segment(3, false, HexFormat.of().parseHex(stream.substring(20))));
    assertThat(y.messages, contains("3.0:" + M1));
    assertThat(y.lost, equalTo(0));
  }

  @Test
  void aSynOfAnotherIsnStartsANewStreamARetransmittedOneDoesNot() {
    Yield y =
        reassemble(
            syn(ISN),
            at(0, "000c1111"),
            syn(ISN),
            at(4, "11111111111111111111"),
            syn(5000),
            new Segment(5001, false, HexFormat.of().parseHex(framed(M2).substring(0, 6))),
            syn(9000),
            new Segment(9001, false, HexFormat.of().parseHex(framed(M3))));
    assertThat(y.messages, contains("3.0:" + M1, "7.0:" + M3));
    assertThat(y.lost, equalTo(1));
  }

  @Test
  void anyCutAndOrderWithinTheWindowWithRetransmissionsGivesTheMessagesOnce() {
    Random random = new Random(18);
    for (int round = 0; round < 200; round++) {
      List<byte[]> messages = new ArrayList<>();
      StringBuilder stream = new StringBuilder();
      for (int m = 0; m < 1 + random.nextInt(8); m++) {
        byte[] body = new byte[12 + random.nextInt(300)];
        random.nextBytes(body);
        messages.add(body);
        stream.append(String.format("%04x", body.length)).append(HexFormat.of().formatHex(body));
      }
      byte[] bytes = HexFormat.of().parseHex(stream);
      List<Segment> segments = new ArrayList<>();
      for (int from = 0; from < bytes.length; ) {
        int to = Math.min(bytes.length, from + 1 + random.nextInt(200));
        segments.add(new Segment(ISN + 1 + from, false, Arrays.copyOfRange(bytes, from, to)));
        if (random.nextInt(4) == 0) {
          segments.add(new Segment(ISN + 1 + from, false, Arrays.copyOfRange(bytes, from, to)));
        }
        from = to;
      }
      for (int i = segments.size() - 1; i > 0; i--) {
        int j = Math.max(0, i - random.nextInt(4));
        Segment s = segments.get(i);
        segments.set(i, segments.get(j));
        segments.set(j, s);
      }
      segments.add(0, syn(ISN));
      List<byte[]> got = new ArrayList<>();
      int[] lost = {0};
      new DnsStreamReassembler()
          .reassemble(
              segments,
              new DnsStreamReassembler.Sink() {
                @Override
                public void message(byte[] message, int segment, int ordinal) {
                  got.add(message);
                }

                @Override
                public void lost() {
                  lost[0]++;
                }
              });
      assertThat(lost[0], equalTo(0));
      assertThat(got.size(), equalTo(messages.size()));
      for (int i = 0; i < got.size(); i++) {
        assertThat(got.get(i), equalTo(messages.get(i)));
      }
    }
  }
}
