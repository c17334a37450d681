package dev.ferry.standalone;

import dev.ferry.examples.Examples;
import dev.ferry.schemas.config.FerryConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench idle}: what a single-machine stack costs while nothing happens. It starts a
 * fresh stack in this JVM, lets it settle, and measures the process's CPU time over {@code
 * --seconds}, per kind of thread, so the clients that poll for nothing show by name.
 */
@Command(
    name = "idle",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark an idle stack: start a fresh single-machine stack (broker, registry, orchestrator,"
          + " worker, gateway) in this JVM, wait --settle-seconds, then print the CPU it spends"
          + " over --seconds with no load, in all and for the --top busiest kinds of thread."
    })
final class IdleBench implements Callable<Integer> {
  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "How long the idle stack is measured (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--settle-seconds",
      defaultValue = "15",
      description =
          "Wait after the start before measuring, for rebalances and start-up work to end"
              + " (default: ${DEFAULT-VALUE}).")
  int settleSeconds;

  @Option(
      names = "--top",
      defaultValue = "12",
      description = "Kinds of thread listed, busiest first (default: ${DEFAULT-VALUE}).")
  int top;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description =
          "Partitions of the stack's topics, as for `ferry dev` (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Override
  public Integer call() throws Exception {
    if (seconds < 1 || settleSeconds < 0 || top < 1) {
      throw new IllegalArgumentException(
          "--seconds and --top must be at least 1 and --settle-seconds at least 0");
    }
    Path dir = Files.createTempDirectory("ferry-bench-idle");
    System.out.println("Starting a fresh stack in " + dir + " ...");
    try (DevStack stack =
        DevStack.start(
            new DevStack.Options(dir, 0, 0, 0, Map.of(FerryConfig.TOPIC_PARTITIONS, partitions)),
            Examples.registry())) {
      System.out.printf("settling for %d s, then measuring for %d s ...%n", settleSeconds, seconds);
      Thread.sleep(settleSeconds * 1000L); // by design: start-up work ends before the measurement
      ThreadCpu.Sample before = ThreadCpu.sample();
      long processBefore = ThreadCpu.processNanos();
      long t0 = System.nanoTime();
      Thread.sleep(seconds * 1000L); // the measurement: nothing happens meanwhile
      long wall = System.nanoTime() - t0;
      long process = ThreadCpu.processNanos() - processBefore;
      ThreadCpu.Sample after = ThreadCpu.sample();
      System.out.printf(
          "idle stack (broker, registry, orchestrator, worker, gateway in one JVM, %d partitions):"
              + " %.1f %% of one core (%.2f s of CPU in %.1f s)%n",
          partitions, 100.0 * process / wall, process / 1e9, wall / 1e9);
      Map<String, Long> byKind = ThreadCpu.byKind(before, after);
      long inThreads = byKind.values().stream().mapToLong(Long::longValue).sum();
      System.out.println("busiest kinds of thread (% of one core):");
      ThreadCpu.top(byKind, wall, top).forEach(line -> System.out.println("  " + line));
      System.out.printf(
          "  %5.1f %%  outside Java threads (garbage collection, JIT compilers)%n",
          100.0 * Math.max(0, process - inThreads) / wall);
    }
    return 0;
  }
}
