package dev.ferry.worker.internal;

import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;

/** A step's identity within a run: kind, name and 1-based occurrence count. */
record StepKey(StepKind kind, String name, int count) {
  static StepKey of(StepRecord record) {
    return new StepKey(record.getKind(), record.getName(), record.getCount());
  }
}
