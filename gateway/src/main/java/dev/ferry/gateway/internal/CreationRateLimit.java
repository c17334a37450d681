package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.WorkflowKey;
import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Creation rate limit per workflow (Cloudflare: 100/s per workflow), a token bucket per account and
 * workflow on this gateway. With several gateways the limit applies to each of them.
 */
final class CreationRateLimit {
  private final int perSecond;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  CreationRateLimit(int perSecond) {
    this.perSecond = perSecond;
  }

  /** Takes one creation from the workflow's budget, or answers 429. */
  void acquire(String account, String workflow) {
    Bucket bucket =
        buckets.computeIfAbsent(
            WorkflowKey.of(account, workflow).toString(),
            k ->
                Bucket.builder()
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
