package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.WorkflowKey;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.TimeMeter;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creation rate limit per workflow (Cloudflare: 100/s per workflow), a token bucket per account and
 * workflow on this gateway. With several gateways the limit applies to each of them.
 */
final class CreationRateLimit {
  /** Past this many buckets, full ones (idle for a second or more) are dropped. */
  static final int SWEEP_ABOVE = 10_000;

  private final int perSecond;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  private final TimeMeter clock;

  CreationRateLimit(int perSecond) {
    this(perSecond, TimeMeter.SYSTEM_MILLISECONDS);
  }

  /** With the clock the buckets refill by (tests move it by hand). */
  CreationRateLimit(int perSecond, TimeMeter clock) {
    this.perSecond = perSecond;
    this.clock = clock;
  }

  /** Buckets kept now. */
  int buckets() {
    return buckets.size();
  }

  /** Takes one creation from the workflow's budget, or answers 429. */
  void acquire(String account, String workflow) {
    if (buckets.size() > SWEEP_ABOVE) {
      // A full bucket is what a new one would be: dropping it changes no answer.
      buckets.values().removeIf(b -> b.getAvailableTokens() >= perSecond);
    }
    Bucket bucket =
        buckets.computeIfAbsent(
            WorkflowKey.of(account, workflow).toString(),
            k ->
                Bucket.builder()
                    .withCustomTimePrecision(clock)
                    .addLimit(
                        Bandwidth.builder()
                            .capacity(perSecond)
                            .refillGreedy(perSecond, Duration.ofSeconds(1))
                            .build())
                    .build());
    if (!bucket.tryConsume(1)) {
      throw new ApiException(
          ApiError.RATE_LIMITED,
          "workflow '"
              + workflow
              + "' creates at most "
              + perSecond
              + " instances per second; retry shortly");
    }
  }
}
