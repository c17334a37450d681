package dev.ferry.schemas;

import dev.ferry.schemas.avro.InstanceStatusCode;
import java.util.Arrays;
import java.util.Optional;

/** The status names of the management API ({@code waitingForPause}, ...) for the Avro enum. */
public final class ApiStatus {
  private ApiStatus() {}

  public static String name(InstanceStatusCode code) {
    return switch (code) {
      case QUEUED -> "queued";
      case RUNNING -> "running";
      case PAUSED -> "paused";
      case ERRORED -> "errored";
      case TERMINATED -> "terminated";
      case COMPLETE -> "complete";
      case WAITING -> "waiting";
      case WAITING_FOR_PAUSE -> "waitingForPause";
      case UNKNOWN -> "unknown";
      case ROLLING_BACK -> "rollingBack";
    };
  }

  public static Optional<InstanceStatusCode> parse(String apiName) {
    return Arrays.stream(InstanceStatusCode.values())
        .filter(code -> name(code).equals(apiName))
        .findFirst();
  }

  /** Complete, errored and terminated instances never change again (except by restart). */
  public static boolean isTerminal(InstanceStatusCode code) {
    return code == InstanceStatusCode.COMPLETE
        || code == InstanceStatusCode.ERRORED
        || code == InstanceStatusCode.TERMINATED;
  }
}
