package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
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

  @Mixin BenchStackOptions stack;

  @Option(
      names = "--samples",
      defaultValue = "2000",
      description = "Single instances timed (default: ${DEFAULT-VALUE}).")
  int samples;

  @Override
  public Integer call() throws Exception {
    BenchChecks.atLeast(spec, "--samples", samples, 1);
    BenchChecks.atLeast(spec, "--warmup-seconds", stack.warmupSeconds, 0);
    try (BenchRun run = BenchRun.start("latency", stack.partitions)) {
      run.warmUp(stack.warmupSeconds);
      run.latency(samples);
      run.finish(stack.out);
    }
    return 0;
  }
}
