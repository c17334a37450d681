package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.WorkerReport;

/**
 * What reaches the instance processor after decoding: a command, a worker report or an event, each
 * with its original bytes in case it must go to the dead-letter topic.
 */
public sealed interface Inbound {
  /** The record as it arrived. */
  byte[] raw();

  record CommandIn(Command command, byte[] raw) implements Inbound {}

  record ReportIn(WorkerReport report, byte[] raw) implements Inbound {}

  record EventIn(InstanceEvent event, byte[] raw) implements Inbound {}
}
