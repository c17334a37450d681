package dev.ferry.gateway.internal;

import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.StepRecord;
import java.nio.ByteBuffer;

/**
 * One instance as the store keeps it: the generation its steps belong to, how many history events
 * were read for it (to tell a complete view), what its steps hold, and its latest snapshot (null
 * while only history has been read).
 */
record StoredInstance(int generation, long applied, long stepChars, InstanceSnapshot snapshot) {
  static final StoredInstance NONE = new StoredInstance(0, 0, 0, null);

  static final AvroBytes<InstanceSnapshot> SNAPSHOTS =
      new AvroBytes<>(InstanceSnapshot.getClassSchema());
  static final AvroBytes<StepRecord> STEPS = new AvroBytes<>(StepRecord.getClassSchema());

  private static final int HEADER = Integer.BYTES + 2 * Long.BYTES + 1;

  byte[] encode() {
    byte[] bytes = snapshot == null ? new byte[HEADER] : SNAPSHOTS.encode(snapshot, HEADER);
    ByteBuffer.wrap(bytes)
        .putInt(generation)
        .putLong(applied)
        .putLong(stepChars)
        .put((byte) (snapshot == null ? 0 : 1));
    return bytes;
  }

  static StoredInstance decode(byte[] bytes) {
    ByteBuffer in = ByteBuffer.wrap(bytes);
    int generation = in.getInt();
    long applied = in.getLong();
    long stepChars = in.getLong();
    InstanceSnapshot snapshot = in.get() == 0 ? null : SNAPSHOTS.decode(bytes, HEADER);
    return new StoredInstance(generation, applied, stepChars, snapshot);
  }

  /** A step's value: what it holds (for the account's usage), then the record. */
  static byte[] encodeStep(StepRecord step) {
    byte[] bytes = STEPS.encode(step, Long.BYTES);
    ByteBuffer.wrap(bytes).putLong(AccountUsage.chars(step));
    return bytes;
  }

  static long stepCharsOf(byte[] value) {
    return value == null ? 0 : ByteBuffer.wrap(value).getLong();
  }

  static StepRecord decodeStep(byte[] value) {
    return STEPS.decode(value, Long.BYTES);
  }
}
