package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.Timer;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.utils.Bytes;

/**
 * Keys of the timer store: the due time as 8 big-endian bytes first, so a range scan from 0 to
 * "now" visits exactly the due timers in due order; then the instance key and the timer's identity,
 * so two timers never share a key.
 */
public final class TimerKeys {
  private TimerKeys() {}

  public static Bytes key(Timer timer) {
    byte[] suffix =
        (timer.getInstanceKey()
                + '\u0000'
                + timer.getKind()
                + '\u0000'
                + timer.getGeneration()
                + '\u0000'
                + timer.getToken()
                + '\u0000'
                + (timer.getPosition() == null ? "" : timer.getPosition()))
            .getBytes(StandardCharsets.UTF_8);
    return Bytes.wrap(
        ByteBuffer.allocate(8 + suffix.length).putLong(timer.getDueAt()).put(suffix).array());
  }

  /** Lower bound of every key due at or after {@code time}. */
  public static Bytes at(long time) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(Math.max(0, time)).array());
  }

  /** A bound above every key due at or before {@code now} and below every later key. */
  public static Bytes dueBy(long now) {
    return Bytes.wrap(ByteBuffer.allocate(8).putLong(now + 1).array());
  }
}
