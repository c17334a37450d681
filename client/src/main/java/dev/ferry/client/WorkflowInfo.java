package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workflow as the API describes it: its names, dates, live instance counts per status (only
 * statuses with instances appear) and cron schedules. {@code json} is the answer as sent.
 */
public record WorkflowInfo(
    String id,
    String name,
    String className,
    String scriptName,
    Instant createdOn,
    Instant modifiedOn,
    Instant triggeredOn,
    Map<InstanceStatus.Status, Long> instances,
    List<Schedule> schedules,
    JsonNode json) {

  /** A cron schedule and when it next creates an instance (null when not known). */
  public record Schedule(String cron, Instant nextInstance) {}

  /** Instances in every status together. */
  public long instanceCount() {
    return instances.values().stream().mapToLong(Long::longValue).sum();
  }

  static WorkflowInfo from(JsonNode json) {
    Map<InstanceStatus.Status, Long> counts = new LinkedHashMap<>();
    json.path("instances")
        .fields()
        .forEachRemaining(
            e -> counts.put(InstanceStatus.Status.of(e.getKey()), e.getValue().asLong()));
    return new WorkflowInfo(
        ApiJson.text(json, "id"),
        ApiJson.text(json, "name"),
        ApiJson.text(json, "class_name"),
        ApiJson.text(json, "script_name"),
        ApiJson.time(json, "created_on"),
        ApiJson.time(json, "modified_on"),
        ApiJson.time(json, "triggered_on"),
        Map.copyOf(counts),
        ApiJson.list(
            json.path("schedules"),
            s -> new Schedule(ApiJson.text(s, "cron"), ApiJson.time(s, "next_instance"))),
        json);
  }
}
