package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code ferry bench}: starts a fresh single-machine stack and measures the three-step example,
 * latency then throughput; each scenario also runs alone as a subcommand. Every run prints the
 * configuration it used and writes its figures as JSON.
 */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    subcommands = {
      LatencyBench.class,
      ThroughputBench.class,
      StepsBench.class,
      EventsBench.class,
      ReadModelBench.class,
      IdleBench.class
    },
    description = {
      "Benchmark a fresh single-machine stack with the three-step example and print figures:"
          + " create-to-complete latency of single instances with where the time went, then"
          + " completed instances per second with --concurrency instances in flight for"
          + " --seconds, with CPU by thread and memory. Writes the figures to --out as JSON.",
      "Scenarios alone: `ferry bench latency`, `ferry bench throughput`, `ferry bench steps`,"
          + " `ferry bench events`;"
          + " `ferry bench read-model`"
          + " measures the gateway's read model with many retained instances, `ferry bench idle`"
          + " what a stack costs with no load."
    })
final class BenchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BenchStackOptions stack;

  @Option(
      names = "--samples",
      defaultValue = "300",
      description = "Single instances timed for latency (default: ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--seconds",
      defaultValue = "30",
      description = "Length of the throughput run (default: ${DEFAULT-VALUE}).")
  int seconds;

  @Option(
      names = "--concurrency",
      defaultValue = "256",
      description = "Instances in flight during the throughput run (default: ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(
      names = "--trace",
      description =
          "Also trace every instance of the throughput run and print where its time went (the"
              + " trace's two readers take some of the CPU the figures measure).")
  boolean trace;

  @Override
  public Integer call() throws Exception {
    BenchChecks.atLeast(spec, "--samples", samples, 1);
    BenchChecks.atLeast(spec, "--seconds", seconds, 1);
    BenchChecks.atLeast(spec, "--concurrency", concurrency, 1);
    BenchChecks.atLeast(spec, "--warmup-seconds", stack.warmupSeconds, 0);
    try (BenchRun run = BenchRun.start("latency-throughput", stack.partitions)) {
      run.warmUp(stack.warmupSeconds);
      run.latency(samples);
      run.throughput(seconds, concurrency, trace);
      run.finish(stack.out);
    }
    return 0;
  }
}
