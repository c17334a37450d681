package dev.ferry.ops;

import dev.ferry.schemas.InstanceKey;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.MDC;

/**
 * What a log line is about, in SLF4J's MDC: the instance ({@code account}, {@code workflow}, {@code
 * instance}) and, inside a step, the {@code step} and {@code attempt}. {@code ferry} holds all of
 * it in one short text for the plain log format ("acct/orders/o-7 charge#1 attempt 2"); the JSON
 * format ({@code FERRY_LOG_FORMAT=json}) writes each key.
 *
 * <pre>{@code
 * try (LogContext.Scope scope = LogContext.instance(key)) {
 *   LOG.info("activated"); // carries account, workflow and instance
 * }
 * }</pre>
 */
public final class LogContext {
  public static final String ACCOUNT = "account";
  public static final String WORKFLOW = "workflow";
  public static final String INSTANCE = "instance";
  public static final String STEP = "step";
  public static final String ATTEMPT = "attempt";
  public static final String SUMMARY = "ferry";

  private static final String[] KEYS = {ACCOUNT, WORKFLOW, INSTANCE, STEP, ATTEMPT, SUMMARY};

  private LogContext() {}

  /** Puts back what the MDC held before the scope opened. */
  public static final class Scope implements AutoCloseable {
    private final Map<String, String> before;

    private Scope(Map<String, String> before) {
      this.before = before;
    }

    @Override
    public void close() {
      for (String key : KEYS) {
        String value = before.get(key);
        if (value == null) {
          MDC.remove(key);
        } else {
          MDC.put(key, value);
        }
      }
    }
  }

  /**
   * About one instance, by its key ({@code account/workflow/id}); a key that is not one (a poison
   * record's) is kept whole as the instance.
   */
  public static Scope instance(String key) {
    Scope scope = new Scope(saved());
    MDC.remove(STEP);
    MDC.remove(ATTEMPT);
    if (key == null) {
      return scope;
    }
    try {
      InstanceKey parsed = InstanceKey.parse(key);
      MDC.put(ACCOUNT, parsed.account());
      MDC.put(WORKFLOW, parsed.workflow());
      MDC.put(INSTANCE, parsed.instanceId());
    } catch (IllegalArgumentException notAKey) {
      MDC.remove(ACCOUNT);
      MDC.remove(WORKFLOW);
      MDC.put(INSTANCE, key);
    }
    MDC.put(SUMMARY, key);
    return scope;
  }

  /** Inside one attempt of a step ({@code count}: which step of that name, 1 the first). */
  public static Scope step(String name, int count, int attempt) {
    Scope scope = new Scope(saved());
    String step = name + "#" + count;
    MDC.put(STEP, step);
    MDC.put(ATTEMPT, String.valueOf(attempt));
    String instance = scope.before.get(SUMMARY);
    MDC.put(
        SUMMARY,
        (instance == null ? "" : stripStep(instance) + " ") + step + " attempt " + attempt);
    return scope;
  }

  private static String stripStep(String summary) {
    int space = summary.indexOf(' ');
    return space < 0 ? summary : summary.substring(0, space);
  }

  private static Map<String, String> saved() {
    Map<String, String> out = new HashMap<>();
    for (String key : KEYS) {
      String value = MDC.get(key);
      if (value != null) {
        out.put(key, value);
      }
    }
    return out;
  }
}
