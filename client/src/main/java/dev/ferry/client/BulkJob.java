package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.List;

/**
 * A bulk job the gateway runs in the background (terminate all of a workflow's unfinished
 * instances, delete a deleted workflow's instances) and how far it got.
 *
 * @param type {@code terminate} or {@code delete}
 * @param statusFilter the one status a terminate job is limited to, or null
 * @param status {@code running}, {@code complete}, or {@code errored} (some instance failed)
 * @param total the instances it found; null until it has listed them
 * @param skipped instances with nothing left to do (already finished or deleted)
 * @param endedOn null while it runs
 * @param errors the first failures
 * @param json the job as the API sent it
 */
public record BulkJob(
    String id,
    String type,
    String workflow,
    String statusFilter,
    String status,
    Integer total,
    int processed,
    int succeeded,
    int skipped,
    int failed,
    Instant createdOn,
    Instant endedOn,
    List<Failure> errors,
    JsonNode json) {

  /** One failure: the instance (null when the job itself failed) and what went wrong. */
  public record Failure(String instanceId, String message) {}

  /** The job started, or the one of the same kind that was already running for the workflow. */
  public record Started(BulkJob job, boolean alreadyRunning) {
    static Started from(JsonNode result) {
      return new Started(
          BulkJob.from(result.path("job")),
          "already_running".equals(result.path("status").asText()));
    }
  }

  public boolean running() {
    return endedOn == null;
  }

  static BulkJob from(JsonNode json) {
    JsonNode total = json.path("total");
    return new BulkJob(
        json.path("id").asText(),
        json.path("type").asText(),
        json.path("workflow").asText(),
        ApiJson.text(json.path("filter"), "status"),
        json.path("status").asText(),
        total.isInt() ? total.asInt() : null,
        json.path("processed").asInt(),
        json.path("succeeded").asInt(),
        json.path("skipped").asInt(),
        json.path("failed").asInt(),
        ApiJson.time(json, "created_on"),
        ApiJson.time(json, "ended_on"),
        ApiJson.list(
            json.path("errors"),
            e -> new Failure(ApiJson.text(e, "instance_id"), e.path("message").asText())),
        json);
  }
}
