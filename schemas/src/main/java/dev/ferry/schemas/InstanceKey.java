package dev.ferry.schemas;

import java.util.Objects;

/**
 * The key of every per-instance record: {@code <account>/<workflow>/<id>}. None of the three parts
 * may contain a slash (see {@link Names}), so the key splits back unambiguously.
 *
 * <pre>{@code
 * InstanceKey key = InstanceKey.of("acme", "orders", "order-42");
 * String wire = key.toString(); // "acme/orders/order-42"
 * }</pre>
 */
public record InstanceKey(String account, String workflow, String instanceId) {

  public InstanceKey {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(workflow, "workflow");
    Objects.requireNonNull(instanceId, "instanceId");
  }

  public static InstanceKey of(String account, String workflow, String instanceId) {
    return new InstanceKey(account, workflow, instanceId);
  }

  /** Parses {@code a/w/id}; throws {@link IllegalArgumentException} naming the bad key. */
  public static InstanceKey parse(String key) {
    String[] parts = key == null ? new String[0] : key.split("/", -1);
    if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
      throw new IllegalArgumentException(
          "instance key '" + key + "' must have the form <account>/<workflow>/<instance_id>");
    }
    return new InstanceKey(parts[0], parts[1], parts[2]);
  }

  /** The workflow this instance belongs to. */
  public WorkflowKey workflowKey() {
    return WorkflowKey.of(account, workflow);
  }

  @Override
  public String toString() {
    return workflowKey().child(instanceId);
  }
}
