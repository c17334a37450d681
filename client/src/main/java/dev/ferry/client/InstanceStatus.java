package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Locale;

/**
 * An instance's status as the binding's {@code status()} gives it: the status, the error if it
 * failed, and the output if it completed (as JSON).
 */
public record InstanceStatus(Status status, ErrorDetail error, JsonNode output) {

  /** The lifecycle states of reference section 3.1. */
  public enum Status {
    QUEUED("queued"),
    RUNNING("running"),
    PAUSED("paused"),
    ERRORED("errored"),
    TERMINATED("terminated"),
    COMPLETE("complete"),
    WAITING("waiting"),
    WAITING_FOR_PAUSE("waitingForPause"),
    ROLLING_BACK("rollingBack"),
    UNKNOWN("unknown");

    private final String apiName;

    Status(String apiName) {
      this.apiName = apiName;
    }

    /** The name the API uses, e.g. {@code waitingForPause}. */
    public String apiName() {
      return apiName;
    }

    static Status of(String apiName) {
      for (Status status : values()) {
        if (status.apiName.equals(apiName)) {
          return status;
        }
      }
      return UNKNOWN;
    }

    /** Complete, errored or terminated: nothing more will happen unless restarted. */
    public boolean isFinished() {
      return this == COMPLETE || this == ERRORED || this == TERMINATED;
    }

    @Override
    public String toString() {
      return apiName.toLowerCase(Locale.ROOT);
    }
  }

  /** A failure as recorded: the thrown error's name and its message. */
  public record ErrorDetail(String name, String message) {}

  static InstanceStatus from(JsonNode result) {
    JsonNode error = result.path("error");
    JsonNode output = result.path("output");
    return new InstanceStatus(
        Status.of(result.path("status").asText()),
        error.isObject()
            ? new ErrorDetail(error.path("name").asText(), error.path("message").asText())
            : null,
        output.isMissingNode() || output.isNull() ? null : output);
  }
}
