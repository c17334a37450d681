package dev.ferry.standalone;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry bench latency}: single three-step instances, one after the other. */
@Command(
    name = "latency",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark latency: start a fresh stack, warm it up, then run --samples single three-step"
          + " instances one after the other and print create-to-complete p50/p90/p99/p99.9, with"
          + " the median and p90 of each hop of the path (gateway, orchestrator, its commit,"
          + " worker, orchestrator, its commit). Writes the figures to --out as JSON."
    })
final class LatencyBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(
      names = "--samples",
      defaultValue = "2000",
      description = "Single instances timed (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--warmup-seconds",
      defaultValue = "40",
      description =
          "Load at "
              + BenchRun.WARM_UP_CONCURRENCY
              + " in flight before measuring (default: ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description = "Partitions of the stack's topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--out",
      description =
          "Where the figures are written as JSON (default: ferry-bench-latency-<time>.json).")
  Path out;

  @Override
  public Integer call() throws Exception {
    BenchChecks.atLeast(spec, "--samples", samples, 1);
    BenchChecks.atLeast(spec, "--warmup-seconds", warmupSeconds, 0);
    try (BenchRun run = BenchRun.start("latency", partitions)) {
      run.warmUp(warmupSeconds);
      run.latency(samples);
      run.finish(out);
    }
    return 0;
  }
}
