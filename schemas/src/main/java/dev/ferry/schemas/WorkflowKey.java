package dev.ferry.schemas;

import java.util.Objects;

/**
 * The key of a workflow within an account: {@code <account>/<workflow>}. It keys the definitions
 * topic, starts every instance key ({@link InstanceKey#workflowKey()}) and every version key, so a
 * prefix scan over {@code <workflow key>/} finds a workflow's instances or versions.
 */
public record WorkflowKey(String account, String workflow) {
  public WorkflowKey {
    Objects.requireNonNull(account, "account");
    Objects.requireNonNull(workflow, "workflow");
  }

  public static WorkflowKey of(String account, String workflow) {
    return new WorkflowKey(account, workflow);
  }

  /** Parses {@code <account>/<workflow>}; throws {@link IllegalArgumentException} naming it. */
  public static WorkflowKey parse(String key) {
    int slash = key == null ? -1 : key.indexOf('/');
    if (slash <= 0 || slash == key.length() - 1 || key.indexOf('/', slash + 1) >= 0) {
      throw new IllegalArgumentException(
          "workflow key '" + key + "' must have the form <account>/<workflow>");
    }
    return new WorkflowKey(key.substring(0, slash), key.substring(slash + 1));
  }

  /** The prefix of the keys of everything under this workflow: {@code <account>/<workflow>/}. */
  public String childPrefix() {
    return this + "/";
  }

  /** The key of something under this workflow (an instance id, a version id, a trigger name). */
  public String child(String name) {
    return childPrefix() + name;
  }

  @Override
  public String toString() {
    return account + "/" + workflow;
  }
}
