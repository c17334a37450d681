package dev.ferry.gateway.internal;

import dev.ferry.schemas.avro.InstanceSnapshot;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code ferry_instances{account, workflow, status}}: how many instances are in each status now, as
 * the read model sees them (queued, running, waiting, ...). Kept up to date on every snapshot
 * change, so a scrape reads numbers instead of walking the instances.
 */
final class StatusGauges {
  private record Key(String account, String workflow, String status) {}

  private final MeterRegistry registry;
  private final Map<Key, AtomicLong> counts = new ConcurrentHashMap<>();

  StatusGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  /** One snapshot replaced another (either may be null: created, deleted). */
  void change(InstanceSnapshot before, InstanceSnapshot after) {
    if (before != null) {
      count(before).decrementAndGet();
    }
    if (after != null) {
      count(after).incrementAndGet();
    }
  }

  private AtomicLong count(InstanceSnapshot snapshot) {
    Key key =
        new Key(
            snapshot.getAccount(),
            snapshot.getWorkflow(),
            snapshot.getStatus().name().toLowerCase(Locale.ROOT));
    return counts.computeIfAbsent(
        key,
        k -> {
          AtomicLong count = new AtomicLong();
          Gauge.builder("ferry.instances", count, AtomicLong::get)
              .description("Instances in each status now (the gateway's read model)")
              .tag("account", k.account())
              .tag("workflow", k.workflow())
              .tag("status", k.status())
              .register(registry);
          return count;
        });
  }
}
