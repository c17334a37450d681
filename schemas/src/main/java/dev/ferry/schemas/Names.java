package dev.ferry.schemas;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The naming rules of SPEC section 2, shared by the gateway and the orchestrator so that HTTP and
 * Kafka clients get the same validation. Each check returns the problem as a message that names the
 * field and the rule, or empty when the value is valid.
 */
public final class Names {
  /** Instance ids, workflow names, event types and account names all use this pattern. */
  public static final String PATTERN = "^[a-zA-Z0-9_][a-zA-Z0-9-_]*$";

  public static final int MAX_INSTANCE_ID = 100;
  public static final int MAX_WORKFLOW_NAME = 64;
  public static final int MAX_EVENT_TYPE = 100;
  public static final int MAX_ACCOUNT = 64;
  public static final int MAX_GROUP = 100;

  /** Worker groups name a consumer group and a topic suffix: Kafka's topic-name characters. */
  public static final String GROUP_PATTERN = "^[a-zA-Z0-9_][a-zA-Z0-9._-]*$";

  private static final Pattern GROUP = Pattern.compile(GROUP_PATTERN);

  private static final Pattern COMPILED = Pattern.compile(PATTERN);

  private Names() {}

  public static Optional<String> checkInstanceId(String value) {
    return check("instance_id", value, MAX_INSTANCE_ID);
  }

  public static Optional<String> checkWorkflowName(String value) {
    return check("workflow_name", value, MAX_WORKFLOW_NAME);
  }

  public static Optional<String> checkEventType(String value) {
    return check("event_type", value, MAX_EVENT_TYPE);
  }

  public static Optional<String> checkAccount(String value) {
    return check("account_id", value, MAX_ACCOUNT);
  }

  /** A worker group (worker.group.id): its task topic is {@code <prefix>tasks.<group>}. */
  public static Optional<String> checkGroup(String value) {
    if (value == null || value.isEmpty() || value.length() > MAX_GROUP) {
      return Optional.of("worker group is required and must be 1.." + MAX_GROUP + " characters");
    }
    if (!GROUP.matcher(value).matches()) {
      return Optional.of(
          "worker group '"
              + value
              + "' must match "
              + GROUP_PATTERN
              + " (letters, digits, '.', '_' and '-'; it names a Kafka topic)");
    }
    return Optional.empty();
  }

  /** Checks all three parts of a key, returning the first problem. */
  public static Optional<String> checkKey(String account, String workflow, String instanceId) {
    return checkAccount(account)
        .or(() -> checkWorkflowName(workflow))
        .or(() -> checkInstanceId(instanceId));
  }

  static Optional<String> check(String field, String value, int maxLength) {
    if (value == null || value.isEmpty()) {
      return Optional.of(field + " is required and must be 1.." + maxLength + " characters");
    }
    if (value.length() > maxLength) {
      return Optional.of(
          field
              + " must be at most "
              + maxLength
              + " characters, got "
              + value.length()
              + " characters");
    }
    if (!COMPILED.matcher(value).matches()) {
      return Optional.of(
          field
              + " '"
              + value
              + "' must match "
              + PATTERN
              + " (letters, digits, '_' and '-', not starting with '-')");
    }
    return Optional.empty();
  }
}
