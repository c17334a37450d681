package dev.ferry.gateway.internal;

import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.StepRecord;
import java.util.List;

/**
 * What the read model knows of one instance: its latest snapshot and its steps in order. {@code
 * complete} is false while history records written with the snapshot are still being read.
 */
public record InstanceView(InstanceSnapshot snapshot, List<StepRecord> steps, boolean complete) {}
