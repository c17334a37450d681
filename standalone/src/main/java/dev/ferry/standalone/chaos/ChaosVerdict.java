package dev.ferry.standalone.chaos;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a chaos run found: for every invariant, the violations (a few named, all counted), and the
 * figures measured along the way. A run passes when no invariant has a violation.
 */
final class ChaosVerdict {
  /** Violations named per invariant; the rest are only counted. */
  private static final int NAMED = 5;

  private final Map<String, List<String>> examples = new LinkedHashMap<>();
  private final Map<String, Integer> counts = new LinkedHashMap<>();
  private final Map<String, Object> figures = new LinkedHashMap<>();

  /** Declares an invariant, so it is printed as held when nothing violates it. */
  void invariant(String name) {
    examples.putIfAbsent(name, new ArrayList<>());
    counts.putIfAbsent(name, 0);
  }

  void violation(String invariant, String detail) {
    invariant(invariant);
    counts.merge(invariant, 1, Integer::sum);
    List<String> named = examples.get(invariant);
    if (named.size() < NAMED) {
      named.add(detail);
    }
  }

  void figure(String name, Object value) {
    figures.put(name, value);
  }

  boolean passed() {
    return counts.values().stream().allMatch(count -> count == 0);
  }

  int violations(String invariant) {
    return counts.getOrDefault(invariant, 0);
  }

  Map<String, Integer> counts() {
    return Map.copyOf(counts);
  }

  Map<String, Object> figures() {
    return new LinkedHashMap<>(figures);
  }

  /** The report printed at the end of a run. */
  String render() {
    StringBuilder out = new StringBuilder();
    out.append("invariants:\n");
    counts.forEach(
        (name, count) -> {
          out.append(String.format("  %-4s %s", count == 0 ? "ok" : "FAIL", name));
          if (count > 0) {
            out.append(" — ").append(count).append(" violation(s), e.g.:\n");
            examples
                .get(name)
                .forEach(detail -> out.append("         ").append(detail).append('\n'));
          } else {
            out.append('\n');
          }
        });
    out.append("figures:\n");
    figures.forEach(
        (name, value) -> out.append("  ").append(name).append(": ").append(value).append('\n'));
    out.append(passed() ? "chaos: every invariant held\n" : "chaos: INVARIANTS VIOLATED\n");
    return out.toString();
  }
}
