package dev.ferry.gateway.internal;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.CronSchedules;
import dev.ferry.schemas.WorkflowIds;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.RetentionDefaults;
import dev.ferry.schemas.avro.TriggerDefinition;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The workflow and version shapes of reference section 4.2. */
final class WorkflowJson {
  private WorkflowJson() {}

  /** {@code id, name, class_name, script_name, created_on, modified_on, triggered_on, ...}. */
  static Map<String, Object> workflow(
      WorkflowCatalog.Workflow w, WorkflowActivity.Activity activity, Instant now) {
    Map<String, Object> out = common(w, activity);
    Map<String, Object> counts = new LinkedHashMap<>();
    for (InstanceStatusCode status : InstanceStatusCode.values()) {
      if (status != InstanceStatusCode.UNKNOWN) {
        counts.put(ApiStatus.name(status), activity.counts().getOrDefault(status, 0));
      }
    }
    out.put("instances", counts);
    List<Map<String, Object>> schedules = new ArrayList<>();
    for (String cron : w.schedules()) {
      Map<String, Object> schedule = new LinkedHashMap<>();
      schedule.put("cron", cron);
      schedule.put(
          "next_instance",
          CronSchedules.next(cron, now).map(t -> InstanceJson.time(t.toEpochMilli())).orElse(null));
      schedules.add(schedule);
    }
    out.put("schedules", schedules);
    return out;
  }

  /** The PUT answer: {@code id, class_name, ..., is_deleted, terminator_running, version_id}. */
  static Map<String, Object> saved(WorkflowCatalog.Workflow w, WorkflowActivity.Activity activity) {
    Map<String, Object> out = common(w, activity);
    out.put("is_deleted", false);
    out.put("terminator_running", false);
    out.put("version_id", versionId(w));
    return out;
  }

  static Map<String, Object> version(WorkflowCatalog.Workflow w, WorkflowVersion v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", v.getVersionId());
    out.put("workflow_id", WorkflowIds.workflowId(w.account(), w.name()));
    out.put("class_name", v.getClassName());
    out.put("created_on", InstanceJson.time(v.getCreatedOn()));
    out.put("modified_on", InstanceJson.time(v.getRegisteredAt()));
    out.put("has_dag", false);
    out.put("language", v.getLanguage());
    WorkflowDefinition definition = w.definition();
    if (definition != null && definition.getRetention() != null) {
      RetentionDefaults retention = definition.getRetention();
      Map<String, Object> defaults = new LinkedHashMap<>();
      defaults.put("success_retention", retention.getSuccessRetentionMs());
      defaults.put("error_retention", retention.getErrorRetentionMs());
      out.put("default_retention", defaults);
    }
    if (definition != null && definition.getStepLimit() != null) {
      out.put("limits", Map.of("steps", definition.getStepLimit()));
    }
    return out;
  }

  /** Ferry does not parse workflow code into a step graph, so the graph is null (allowed). */
  static Map<String, Object> graph(WorkflowCatalog.Workflow w, WorkflowVersion v) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", v.getVersionId());
    out.put("class_name", v.getClassName());
    out.put("created_on", InstanceJson.time(v.getCreatedOn()));
    out.put("modified_on", InstanceJson.time(v.getRegisteredAt()));
    out.put("workflow_id", WorkflowIds.workflowId(w.account(), w.name()));
    out.put("graph", null);
    return out;
  }

  /** {@code name, topic, format, id: {from, name}, params: {from, name}, updated_on}. */
  static Map<String, Object> trigger(TriggerDefinition t) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", t.getName());
    out.put("topic", t.getTopic());
    out.put("format", t.getFormat());
    Map<String, Object> id = new LinkedHashMap<>();
    id.put("from", t.getIdFrom());
    id.put("name", t.getIdName());
    out.put("id", id);
    Map<String, Object> params = new LinkedHashMap<>();
    params.put("from", t.getParamsFrom());
    params.put("name", t.getParamsName());
    out.put("params", params);
    out.put("updated_on", InstanceJson.time(t.getUpdatedAt()));
    return out;
  }

  /** The version new instances get: the most recently registered one. */
  static String versionId(WorkflowCatalog.Workflow w) {
    return w.latest()
        .map(WorkflowVersion::getVersionId)
        .orElse(WorkflowIds.versionId(w.account(), w.name()));
  }

  private static Map<String, Object> common(
      WorkflowCatalog.Workflow w, WorkflowActivity.Activity activity) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", WorkflowIds.workflowId(w.account(), w.name()));
    out.put("name", w.name());
    out.put("class_name", w.className());
    out.put("script_name", w.scriptName());
    out.put("created_on", InstanceJson.time(w.createdOn()));
    out.put("modified_on", InstanceJson.time(w.modifiedOn()));
    out.put("triggered_on", InstanceJson.time(activity.lastCreatedAt()));
    return out;
  }
}
