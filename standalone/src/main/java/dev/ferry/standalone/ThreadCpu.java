package dev.ferry.standalone;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * CPU time per kind of thread in this JVM: threads named alike (the same name but for ids and
 * numbers, e.g. every {@code kafka-producer-network-thread | <client>} of one client kind) add up,
 * so a benchmark can say which of a stack's many clients spends the time.
 */
final class ThreadCpu {
  private static final Pattern UUID =
      Pattern.compile("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
  private static final Pattern NUMBER = Pattern.compile("\\d+");

  private ThreadCpu() {}

  /** CPU nanoseconds so far of every live thread, by thread id, with its name. */
  record Sample(Map<Long, String> names, Map<Long, Long> cpuNanos) {}

  static Sample sample() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    Map<Long, String> names = new HashMap<>();
    Map<Long, Long> cpu = new HashMap<>();
    for (ThreadInfo info : threads.getThreadInfo(threads.getAllThreadIds())) {
      if (info == null) {
        continue; // ended meanwhile
      }
      long nanos = threads.getThreadCpuTime(info.getThreadId());
      if (nanos >= 0) {
        names.put(info.getThreadId(), info.getThreadName());
        cpu.put(info.getThreadId(), nanos);
      }
    }
    return new Sample(names, cpu);
  }

  /** A thread's kind: its name with ids and numbers replaced. */
  static String kind(String threadName) {
    return NUMBER.matcher(UUID.matcher(threadName).replaceAll("*")).replaceAll("#");
  }

  /**
   * CPU nanoseconds spent between two samples per kind of thread, largest first; threads that
   * started in between count from zero, threads that ended are not seen.
   */
  static Map<String, Long> byKind(Sample before, Sample after) {
    Map<String, Long> spent = new HashMap<>();
    after
        .cpuNanos()
        .forEach(
            (id, nanos) ->
                spent.merge(
                    kind(after.names().get(id)),
                    nanos - before.cpuNanos().getOrDefault(id, 0L),
                    Long::sum));
    Map<String, Long> sorted = new LinkedHashMap<>();
    spent.entrySet().stream()
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
        .forEach(entry -> sorted.put(entry.getKey(), entry.getValue()));
    return sorted;
  }

  /** The process's CPU time so far (every thread, the JVM's own included), in nanoseconds. */
  static long processNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
        .getProcessCpuTime();
  }

  /** The first {@code n} kinds, "name: 12.3 %" of one core over {@code wallNanos}. */
  static List<String> top(Map<String, Long> byKind, long wallNanos, int n) {
    return byKind.entrySet().stream()
        .limit(n)
        .map(e -> String.format("%5.1f %%  %s", 100.0 * e.getValue() / wallNanos, e.getKey()))
        .toList();
  }
}
