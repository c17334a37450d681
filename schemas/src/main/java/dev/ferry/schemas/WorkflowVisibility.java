package dev.ferry.schemas;

import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;

/**
 * Whether a workflow exists, from its definition (PUT/DELETE) and the versions workers registered:
 * it exists while its definition is not deleted, or while it has a version registered after its
 * last deletion. The gateway's catalogue and the orchestrator's create check share this rule.
 */
public final class WorkflowVisibility {
  private WorkflowVisibility() {}

  /** Versions registered after the last deletion, most recently registered first. */
  public static List<WorkflowVersion> liveVersions(
      WorkflowDefinition definition, Collection<WorkflowVersion> versions) {
    Long deletedAt = definition == null ? null : definition.getDeletedAt();
    return versions.stream()
        .filter(v -> deletedAt == null || v.getRegisteredAt() > deletedAt)
        .sorted(
            Comparator.comparingLong(WorkflowVersion::getRegisteredAt)
                .reversed()
                .thenComparing(WorkflowVersion::getVersionId))
        .toList();
  }

  public static boolean isDefined(WorkflowDefinition definition) {
    return definition != null && !definition.getDeleted();
  }

  public static boolean exists(
      WorkflowDefinition definition, Collection<WorkflowVersion> versions) {
    return isDefined(definition) || !liveVersions(definition, versions).isEmpty();
  }
}
