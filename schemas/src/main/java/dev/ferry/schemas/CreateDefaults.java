package dev.ferry.schemas;

import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.RetentionDefaults;
import dev.ferry.schemas.avro.WorkflowDefinition;

/**
 * What a workflow's registration and settings add to a create that does not say otherwise: the
 * newest registered version, the retention defaults and the step limit of its {@code PUT}. The one
 * rule for every create, whoever sends it (the gateway, triggers, cron, any Kafka client): the
 * orchestrator applies it to each create it accepts, and the gateway applies it first only to show
 * the version in its answer. Values the create sets are kept.
 */
public final class CreateDefaults {
  private CreateDefaults() {}

  /**
   * @param definition the workflow's settings, or null
   * @param newestVersion the most recently registered live version's id, or null
   */
  public static CreateInstance apply(
      CreateInstance create, WorkflowDefinition definition, String newestVersion) {
    CreateInstance.Builder out = CreateInstance.newBuilder(create);
    if (out.getVersionId() == null) {
      out.setVersionId(newestVersion);
    }
    RetentionDefaults retention = definition == null ? null : definition.getRetention();
    if (retention != null) {
      if (out.getSuccessRetentionMs() == null) {
        out.setSuccessRetentionMs(retention.getSuccessRetentionMs());
      }
      if (out.getErrorRetentionMs() == null) {
        out.setErrorRetentionMs(retention.getErrorRetentionMs());
      }
    }
    if (out.getMaxSteps() == null && definition != null) {
      out.setMaxSteps(definition.getStepLimit());
    }
    return out.build();
  }
}
