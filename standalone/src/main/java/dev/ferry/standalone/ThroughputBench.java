package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry bench throughput}: many three-step instances in flight at once. */
@Command(
    name = "throughput",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark throughput: start a fresh stack, warm it up, then keep --concurrency three-step"
          + " instances in flight for --seconds and print completed instances per second, their"
          + " latency under load, where that time went, and CPU by kind of thread. Writes the"
          + " figures to --out as JSON."
    })
final class ThroughputBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BenchStackOptions stack;

  @Option(
      names = "--seconds",
      defaultValue = "60",
      description = "Length of the measured run (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--concurrency",
      defaultValue = "50",
      description = "Instances in flight, one per client (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--trace",
      description =
          "Also trace every instance of the throughput run and print where its time went (the"
              + " trace's two readers take some of the CPU the figures measure).")
  boolean trace;

  @Override
  public Integer call() throws Exception {
    BenchChecks.atLeast(spec, "--seconds", seconds, 1);
    BenchChecks.atLeast(spec, "--concurrency", concurrency, 1);
    BenchChecks.atLeast(spec, "--warmup-seconds", stack.warmupSeconds, 0);
    try (BenchRun run = BenchRun.start("throughput", stack.partitions)) {
      run.warmUp(stack.warmupSeconds);
      run.throughput(seconds, concurrency, trace);
      run.finish(stack.out);
    }
    return 0;
  }
}
