package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * An instance with its step history, as {@code GET …/instances/{id}} answers: params, the trigger,
 * the times, the output or error, and each step with its attempts. {@code json} is the answer as
 * sent.
 */
public record InstanceDetails(
    InstanceStatus.Status status,
    JsonNode params,
    String triggerSource,
    String versionId,
    Instant queued,
    Instant start,
    Instant end,
    Boolean success,
    InstanceStatus.ErrorDetail error,
    JsonNode output,
    int stepCount,
    List<Step> steps,
    JsonNode json) {

  /** The kinds of entry in the history. */
  public enum StepType {
    STEP("step"),
    SLEEP("sleep"),
    WAIT_FOR_EVENT("waitForEvent"),
    ROLLBACK("rollback"),
    OTHER("");

    private final String apiName;

    StepType(String apiName) {
      this.apiName = apiName;
    }

    public String apiName() {
      return apiName;
    }

    static StepType of(String apiName) {
      for (StepType type : values()) {
        if (type.apiName.equals(apiName)) {
          return type;
        }
      }
      return OTHER;
    }
  }

  /**
   * One entry: a step (or rollback) with its attempts and retry settings, a sleep, or a wait for an
   * event. {@code success} is null while it runs or for sleeps and waits, which have {@code
   * finished} instead. {@code retryDelay} is null when the step computes it ("[dynamic]").
   */
  public record Step(
      StepType type,
      String name,
      Instant start,
      Instant end,
      Boolean success,
      boolean finished,
      JsonNode output,
      InstanceStatus.ErrorDetail error,
      String eventType,
      Integer retryLimit,
      Duration retryDelay,
      String backoff,
      Duration timeout,
      List<Attempt> attempts) {

    /**
     * When the next attempt of a running step starts, when its last attempt failed: that attempt's
     * end plus the step's delay for the attempts made so far (its backoff applied, as the engine
     * does). Null when nothing is due.
     */
    public Instant retriesAt() {
      if (success != null || attempts.isEmpty() || retryDelay == null) {
        return null;
      }
      Attempt last = attempts.get(attempts.size() - 1);
      if (!Boolean.FALSE.equals(last.success()) || last.end() == null) {
        return null;
      }
      return last.end().plus(RetryDelay.after(attempts.size(), retryDelay, backoff));
    }

    static Step from(JsonNode json) {
      JsonNode config = json.path("config");
      JsonNode retries = config.path("retries");
      JsonNode delay = retries.path("delay");
      return new Step(
          StepType.of(ApiJson.text(json, "type")),
          ApiJson.text(json, "name"),
          ApiJson.time(json, "start"),
          ApiJson.time(json, "end"),
          ApiJson.bool(json, "success"),
          json.path("finished").asBoolean(json.path("success").asBoolean(false)),
          ApiJson.value(json, "output"),
          ApiJson.error(json),
          ApiJson.text(json, "event_type"),
          retries.has("limit") ? retries.path("limit").asInt() : null,
          delay.isNumber() ? Duration.ofMillis(delay.asLong()) : null,
          ApiJson.text(retries, "backoff"),
          config.has("timeout") ? Duration.ofMillis(config.path("timeout").asLong()) : null,
          ApiJson.list(
              json.path("attempts"),
              a ->
                  new Attempt(
                      ApiJson.time(a, "start"),
                      ApiJson.time(a, "end"),
                      ApiJson.bool(a, "success"),
                      ApiJson.error(a))));
    }
  }

  /** One attempt of a step; {@code end} and {@code success} are null while it runs. */
  public record Attempt(
      Instant start, Instant end, Boolean success, InstanceStatus.ErrorDetail error) {}

  /** The step that last succeeded, if any. */
  public Step lastSuccessfulStep() {
    Step found = null;
    for (Step step : steps) {
      if (step.type() == StepType.STEP && Boolean.TRUE.equals(step.success())) {
        found = step;
      }
    }
    return found;
  }

  /** Reads an answer of {@code GET …/instances/{id}} (its {@code result}). */
  public static InstanceDetails from(JsonNode json) {
    return new InstanceDetails(
        InstanceStatus.Status.of(ApiJson.text(json, "status")),
        ApiJson.value(json, "params"),
        ApiJson.text(json.path("trigger"), "source"),
        ApiJson.text(json, "versionId"),
        ApiJson.time(json, "queued"),
        ApiJson.time(json, "start"),
        ApiJson.time(json, "end"),
        ApiJson.bool(json, "success"),
        ApiJson.error(json),
        ApiJson.value(json, "output"),
        json.path("step_count").asInt(),
        ApiJson.list(json.path("steps"), Step::from),
        json);
  }
}
