package dev.connbal.transforms.events;

import dev.connbal.transforms.decode.DnsMessage;
import dev.connbal.transforms.keys.IpAddress;

/**
 * A DNS message that is an event ({@link RangeEvents#placeEvent}): the message, its client and
 * server by their addresses' halves ({@link IpAddress}), and its place on the timeline. Pass 1
 * keeps one per range and fills it again for every event, so that it makes no object per event:
 * whoever receives it reads it during the call and keeps nothing of it but what it copies.
 */
public final class PlacedDnsEvent {
  private DnsMessage message;
  private long clientHigh;
  private long clientLow;
  private int clientPort;
  private long serverHigh;
  private long serverLow;
  private long timeMicros;
  private String file = "";
  private long recordOffset;

  /** Sets the place on the timeline: the record's time, file and offset. */
  public void place(long timeMicros, String file, long recordOffset) {
    this.timeMicros = timeMicros;
    this.file = file;
    this.recordOffset = recordOffset;
  }

  /** Sets the message and its client and server. */
  void set(
      DnsMessage message,
      long clientHigh,
      long clientLow,
      int clientPort,
      long serverHigh,
      long serverLow) {
    this.message = message;
    this.clientHigh = clientHigh;
    this.clientLow = clientLow;
    this.clientPort = clientPort;
    this.serverHigh = serverHigh;
    this.serverLow = serverLow;
  }

  public DnsMessage message() {
    return message;
  }

  public long clientHigh() {
    return clientHigh;
  }

  public long clientLow() {
    return clientLow;
  }

  public int clientPort() {
    return clientPort;
  }

  public long serverHigh() {
    return serverHigh;
  }

  public long serverLow() {
    return serverLow;
  }

  public long timeMicros() {
    return timeMicros;
  }

  public String file() {
    return file;
  }

  public long recordOffset() {
    return recordOffset;
  }
}
