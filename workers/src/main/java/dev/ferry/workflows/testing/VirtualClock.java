package dev.ferry.workflows.testing;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;

/** A clock the test kit moves forward instead of waiting. */
final class VirtualClock extends Clock {
  private volatile long millis;

  VirtualClock(Instant start) {
    this.millis = start.toEpochMilli();
  }

  void advanceTo(long target) {
    millis = Math.max(millis, target);
  }

  @Override
  public long millis() {
    return millis;
  }

  @Override
  public Instant instant() {
    return Instant.ofEpochMilli(millis);
  }

  @Override
  public ZoneId getZone() {
    return ZoneOffset.UTC;
  }

  @Override
  public Clock withZone(ZoneId zone) {
    return this;
  }
}
