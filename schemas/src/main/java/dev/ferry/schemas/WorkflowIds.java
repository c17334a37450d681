package dev.ferry.schemas;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * The UUIDs the management API shows for workflows and versions. They are derived from names, so
 * every gateway and orchestrator computes the same id without coordination.
 */
public final class WorkflowIds {
  private WorkflowIds() {}

  public static String workflowId(String account, String workflow) {
    return uuid("workflow:" + WorkflowKey.of(account, workflow));
  }

  /** Until workers register builds, each workflow has one version. */
  public static String versionId(String account, String workflow) {
    return uuid("version:" + WorkflowKey.of(account, workflow));
  }

  private static String uuid(String seed) {
    // Hashing is cheap but runs for every snapshot; the set of workflows is small.
    return CACHE.computeIfAbsent(
        seed, s -> UUID.nameUUIDFromBytes(s.getBytes(StandardCharsets.UTF_8)).toString());
  }

  private static final java.util.Map<String, String> CACHE =
      new java.util.concurrent.ConcurrentHashMap<>();
}
