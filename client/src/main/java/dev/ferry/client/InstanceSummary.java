package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** An instance as listings show it: no params, output or steps. Times are null until they occur. */
public record InstanceSummary(
    String id,
    InstanceStatus.Status status,
    String versionId,
    String triggerSource,
    Instant createdOn,
    Instant modifiedOn,
    Instant startedOn,
    Instant endedOn) {

  static InstanceSummary from(JsonNode json) {
    return new InstanceSummary(
        ApiJson.text(json, "id"),
        InstanceStatus.Status.of(ApiJson.text(json, "status")),
        ApiJson.text(json, "version_id"),
        ApiJson.text(json, "trigger_source"),
        ApiJson.time(json, "created_on"),
        ApiJson.time(json, "modified_on"),
        ApiJson.time(json, "started_on"),
        ApiJson.time(json, "ended_on"));
  }
}
