package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.RollbackOutcome;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.WorkerWait;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Renders instances in the shapes of Cloudflare's REST API (reference section 4.2). */
public final class InstanceJson {
  static final String REDACTED = "[REDACTED]";

  private InstanceJson() {}

  /** {@code GET .../instances/{id}}: status, params, output, error, times and the steps. */
  public static Map<String, Object> details(InstanceView view) {
    return details(view, false, false);
  }

  /**
   * With {@code newestFirst} the steps come in reverse order ({@code order=desc}); {@code simple}
   * leaves them out, keeping {@code step_count}.
   */
  public static Map<String, Object> details(
      InstanceView view, boolean newestFirst, boolean simple) {
    InstanceSnapshot s = view.snapshot();
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("status", ApiStatus.name(s.getStatus()));
    out.put("params", Json.parse(s.getParams()));
    out.put("trigger", Map.of("source", s.getTriggerSource().name().toLowerCase(Locale.ROOT)));
    out.put("versionId", s.getVersionId());
    out.put("queued", time(s.getQueuedAt()));
    out.put("start", time(s.getStartedAt()));
    out.put("end", time(s.getEndedAt()));
    out.put(
        "success",
        s.getStatus() == InstanceStatusCode.COMPLETE
            ? Boolean.TRUE
            : s.getStatus() == InstanceStatusCode.ERRORED ? Boolean.FALSE : null);
    out.put("error", error(s.getError()));
    out.put("output", s.getOutput() == null ? null : Json.parse(s.getOutput()));
    out.put("step_count", s.getStepCount());
    out.put("rollback", rollback(s.getRollback()));
    out.put("versions_run", s.getVersionsRun());
    WorkerWait waiting = s.getWaitingForWorker();
    if (waiting != null) {
      Map<String, Object> wait = new LinkedHashMap<>();
      wait.put("workflow", waiting.getWorkflow());
      wait.put("version_id", waiting.getVersionId());
      wait.put("since", time(waiting.getSince()));
      out.put("waiting_for_worker", wait);
    }
    if (s.getSchedule() != null) {
      out.put(
          "schedule",
          Map.of(
              "cron",
              s.getSchedule().getCron(),
              "scheduledTime",
              s.getSchedule().getScheduledTime()));
    }
    if (simple) {
      return out;
    }
    List<Object> steps = new ArrayList<>();
    for (StepRecord step : view.steps()) {
      steps.add(step(step));
    }
    if (newestFirst) {
      java.util.Collections.reverse(steps);
    }
    out.put("steps", steps);
    return out;
  }

  static Map<String, Object> step(StepRecord step) {
    Map<String, Object> out = new LinkedHashMap<>();
    if (step.getKind() == StepKind.SLEEP) {
      out.put("type", "sleep");
      out.put("name", step.getName());
      out.put("start", time(step.getStartedAt()));
      out.put(
          "end", time(step.getStatus() == StepStatus.SLEPT ? step.getEndedAt() : step.getWakeAt()));
      out.put("finished", step.getStatus() == StepStatus.SLEPT);
      out.put("error", error(step.getError()));
      return out;
    }
    if (step.getKind() == StepKind.WAIT_FOR_EVENT) {
      out.put("type", "waitForEvent");
      out.put("name", step.getName());
      out.put("start", time(step.getStartedAt()));
      out.put("end", time(step.getEndedAt() == null ? step.getWakeAt() : step.getEndedAt()));
      out.put(
          "finished",
          step.getStatus() == StepStatus.RECEIVED || step.getStatus() == StepStatus.TIMED_OUT);
      out.put("error", error(step.getError()));
      out.put("event_type", step.getEventType());
      out.put("output", step.getOutput() == null ? null : Json.parse(step.getOutput()));
      return out;
    }
    boolean sensitive = step.getConfig() != null && step.getConfig().getSensitive();
    out.put("type", step.getKind() == StepKind.ROLLBACK ? "rollback" : "step");
    out.put("name", step.getName());
    out.put("start", time(step.getStartedAt()));
    out.put("end", time(step.getEndedAt()));
    out.put(
        "success",
        step.getStatus() == StepStatus.SUCCEEDED
            ? Boolean.TRUE
            : step.getStatus() == StepStatus.FAILED ? Boolean.FALSE : null);
    JsonNode output = step.getOutput() == null ? null : Json.parse(step.getOutput());
    out.put("output", sensitive && output != null ? REDACTED : output);
    out.put("config", config(step.getConfig()));
    List<Object> attempts = new ArrayList<>();
    for (Attempt attempt : step.getAttempts()) {
      Map<String, Object> a = new LinkedHashMap<>();
      a.put("start", time(attempt.getStartedAt()));
      a.put("end", time(attempt.getEndedAt()));
      a.put("success", attempt.getSuccess());
      a.put("error", error(attempt.getError()));
      attempts.add(a);
    }
    out.put("attempts", attempts);
    return out;
  }

  private static Map<String, Object> config(ResolvedStepConfig config) {
    if (config == null) {
      return null;
    }
    Map<String, Object> retries = new LinkedHashMap<>();
    retries.put("limit", config.getRetryLimit());
    retries.put("delay", config.getRetryDelayMs() < 0 ? "[dynamic]" : config.getRetryDelayMs());
    retries.put("backoff", config.getBackoff().name().toLowerCase(Locale.ROOT));
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("retries", retries);
    out.put("timeout", config.getTimeoutMs());
    if (config.getSensitive()) {
      out.put("sensitive", "output");
    }
    return out;
  }

  private static Map<String, Object> rollback(RollbackOutcome rollback) {
    if (rollback == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("outcome", rollback.getComplete() ? "complete" : "failed");
    out.put("error", error(rollback.getError()));
    return out;
  }

  private static Map<String, Object> error(ErrorInfo error) {
    if (error == null) {
      return null;
    }
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("name", error.getName());
    out.put("message", error.getMessage());
    return out;
  }

  static String time(Long epochMillis) {
    return epochMillis == null ? null : Instant.ofEpochMilli(epochMillis).toString();
  }
}
