package dev.connbal.transforms;

import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/** Runs the all-streams state machine on one 4-tuple's merged fragment. */
final class CountStreamsFn extends DoFn<KV<FourTuple, StreamFragment>, BackendPort> {
  @ProcessElement
  public void process(@Element KV<FourTuple, StreamFragment> stream, OutputReceiver<BackendPort> out) {
    for (BackendPort counted : StreamTracker.countedConnections(stream.getKey(), stream.getValue())) {
      out.output(counted);
      ConnBalMetrics.CONNECTIONS.inc();
    }
  }
}
