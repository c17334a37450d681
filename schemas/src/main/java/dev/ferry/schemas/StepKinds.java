package dev.ferry.schemas;

import dev.ferry.schemas.avro.StepKind;
import java.util.Arrays;
import java.util.Optional;

/**
 * The names of step kinds as workflow authors and the API's restart {@code from.type} use them:
 * {@code do}, {@code sleep}, {@code waitForEvent} and {@code rollback}. (The API's step entries
 * call a {@code do} step {@code "step"}, as Cloudflare's do.)
 */
public final class StepKinds {
  private StepKinds() {}

  public static String name(StepKind kind) {
    return switch (kind) {
      case DO -> "do";
      case SLEEP -> "sleep";
      case WAIT_FOR_EVENT -> "waitForEvent";
      case ROLLBACK -> "rollback";
    };
  }

  /** The kind with this name, if there is one. */
  public static Optional<StepKind> parse(String name) {
    return Arrays.stream(StepKind.values()).filter(k -> name(k).equals(name)).findFirst();
  }
}
