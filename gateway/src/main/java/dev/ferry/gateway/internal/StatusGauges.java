package dev.ferry.gateway.internal;

import dev.ferry.schemas.avro.InstanceStatusCode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * {@code ferry_instances{account, workflow, status}}: how many instances are in each status now, as
 * the read model sees them (queued, running, waiting, ...). Each gauge reads the count {@link
 * WorkflowActivity} keeps, so a scrape reads numbers instead of walking the instances; a gauge
 * appears once its status has been seen for the workflow.
 */
final class StatusGauges {
  private record Key(String account, String workflow, InstanceStatusCode status) {}

  private final MeterRegistry registry;
  private final Set<Key> registered = ConcurrentHashMap.newKeySet();

  StatusGauges(MeterRegistry registry) {
    this.registry = registry;
  }

  void ensure(
      String account, String workflow, InstanceStatusCode status, WorkflowActivity activity) {
    Key key = new Key(account, workflow, status);
    if (registered.add(key)) {
      Gauge.builder("ferry.instances", activity, a -> a.count(account, workflow, status))
          .description("Instances in each status now (the gateway's read model)")
          .tag("account", account)
          .tag("workflow", workflow)
          .tag("status", status.name().toLowerCase(Locale.ROOT))
          .register(registry);
    }
  }
}
