package dev.ferry.ops;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A process's readiness: the checks its parts added. Ready when every check is (and no part has
 * added none: a process with no checks is live but has nothing to be ready for, so it is ready).
 * The JSON answer names each check with its detail, so an operator sees what is missing.
 */
public final class Health {
  private final List<ReadinessCheck> checks = new CopyOnWriteArrayList<>();

  public Health add(ReadinessCheck check) {
    checks.add(check);
    return this;
  }

  /** Takes a check out, when the part that added it stops before the process does. */
  public Health remove(ReadinessCheck check) {
    checks.remove(check);
    return this;
  }

  /**
   * The outcome of every check, in the order they were added. Checks of the same name ask the same
   * question (each part of {@code ferry dev} adds "schema registry"): it is asked once.
   */
  public Report report() {
    List<Report.Entry> entries = new ArrayList<>();
    java.util.Set<String> asked = new java.util.HashSet<>();
    for (ReadinessCheck check : checks) {
      if (asked.add(check.name())) {
        entries.add(new Report.Entry(check.name(), check.run()));
      }
    }
    return new Report(List.copyOf(entries));
  }

  /** What the checks said. */
  public record Report(List<Entry> entries) {
    public record Entry(String name, ReadinessCheck.Result result) {}

    public boolean ready() {
      return entries.stream().allMatch(e -> e.result().ready());
    }

    /** {"ready":…,"checks":{"name":{"ready":…,"detail":"…"}}}, for /readyz. */
    public String toJson() {
      StringBuilder out = new StringBuilder("{\"ready\":").append(ready()).append(",\"checks\":{");
      for (int i = 0; i < entries.size(); i++) {
        Entry e = entries.get(i);
        if (i > 0) {
          out.append(',');
        }
        out.append(quote(e.name()))
            .append(":{\"ready\":")
            .append(e.result().ready())
            .append(",\"detail\":")
            .append(quote(e.result().detail()))
            .append('}');
      }
      return out.append("}}").toString();
    }

    private static String quote(String text) {
      StringBuilder out = new StringBuilder("\"");
      for (char c : String.valueOf(text).toCharArray()) {
        switch (c) {
          case '"' -> out.append("\\\"");
          case '\\' -> out.append("\\\\");
          case '\n' -> out.append("\\n");
          case '\r' -> out.append("\\r");
          case '\t' -> out.append("\\t");
          default -> {
            if (c < 0x20) {
              out.append(String.format("\\u%04x", (int) c));
            } else {
              out.append(c);
            }
          }
        }
      }
      return out.append('"').toString();
    }
  }
}
