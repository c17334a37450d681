package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET .../instances/{id}/step}: {@code {status, error, output, event_type?}} of one step,
 * addressed as Cloudflare does by name plus counter ("charge-1"). {@code running} with an error
 * means the step is between retries.
 */
final class StepOutput {
  private StepOutput() {}

  static Map<String, Object> of(
      InstanceView view, String nameWithCount, String type, String attempt) {
    StepKind kind = kind(type);
    int dash = nameWithCount.lastIndexOf('-');
    int count;
    try {
      count = dash < 0 ? -1 : Integer.parseInt(nameWithCount.substring(dash + 1));
    } catch (NumberFormatException e) {
      count = -1;
    }
    if (count < 1) {
      throw ApiException.invalid(
          "name '" + nameWithCount + "' must end with the step's counter, e.g. 'charge-1'");
    }
    String name = nameWithCount.substring(0, dash);
    int wanted = count;
    StepRecord step =
        view.steps().stream()
            .filter(s -> s.getKind() == kind && s.getName().equals(name) && s.getCount() == wanted)
            .findFirst()
            .orElseThrow(
                () ->
                    new ApiException(
                        ApiError.STEP_NOT_FOUND,
                        "no "
                            + (type == null ? "step" : type)
                            + " '"
                            + nameWithCount
                            + "' in this instance"));
    Map<String, Object> out = new LinkedHashMap<>();
    ErrorInfo error = step.getError();
    String status = status(step.getStatus());
    if (attempt != null) {
      Attempt chosen = attempt(step, attempt);
      error = chosen.getError();
      status =
          chosen.getSuccess() == null ? "running" : chosen.getSuccess() ? "complete" : "errored";
    }
    out.put("status", status);
    out.put(
        "error",
        error == null ? null : Map.of("name", error.getName(), "message", error.getMessage()));
    boolean sensitive = step.getConfig() != null && step.getConfig().getSensitive();
    Object output = step.getOutput() == null ? null : Json.parse(step.getOutput());
    out.put("output", sensitive && output != null ? InstanceJson.REDACTED : output);
    if (kind == StepKind.WAIT_FOR_EVENT) {
      out.put("event_type", step.getEventType());
    }
    return out;
  }

  private static StepKind kind(String type) {
    if (type == null || type.equals("step") || type.equals("do")) {
      return StepKind.DO;
    }
    if (type.equals("waitForEvent")) {
      return StepKind.WAIT_FOR_EVENT;
    }
    throw ApiException.invalid("type must be step or waitForEvent, got '" + type + "'");
  }

  private static Attempt attempt(StepRecord step, String attempt) {
    try {
      int n = Integer.parseInt(attempt);
      if (n >= 1 && n <= step.getAttempts().size()) {
        return step.getAttempts().get(n - 1);
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(
        "attempt must be 1.."
            + step.getAttempts().size()
            + " for this step, got '"
            + attempt
            + "'");
  }

  private static String status(StepStatus status) {
    return switch (status) {
      case SUCCEEDED, RECEIVED -> "complete";
      case FAILED, TIMED_OUT -> "errored";
      case WAITING, SLEEPING -> "waiting";
      default -> "running";
    };
  }
}
