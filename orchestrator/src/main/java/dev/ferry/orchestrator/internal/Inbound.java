package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.WorkerReport;

/** What reaches the instance processor after decoding: a command or a worker report. */
public sealed interface Inbound {
  record CommandIn(Command command) implements Inbound {}

  record ReportIn(WorkerReport report) implements Inbound {}

  /** An event, with its original bytes in case it must go to the dead-letter topic. */
  record EventIn(InstanceEvent event, byte[] raw) implements Inbound {}
}
