package dev.ferry.worker.internal;

import dev.ferry.schemas.avro.WorkerReport;

/** Where an activation's reports go: the results topic in production, a list in tests. */
@FunctionalInterface
public interface ReportSink {
  void send(WorkerReport report);
}
