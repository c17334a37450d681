package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry bench events}: many waiting instances, woken by events at a fixed rate. */
@Command(
    name = "events",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark events: start a fresh stack, warm it up, create --instances instances that each"
          + " wait for an event, then send one event to each at --rate a second (on schedule,"
          + " however the stack keeps up) and print the time from each event to its HTTP answer"
          + " and to its instance's completion, p50/p90/p99/p99.9. Writes the figures to --out"
          + " as JSON."
    })
final class EventsBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BenchStackOptions stack;

  @Option(
      names = "--instances",
      defaultValue = "100000",
      description = "Instances waiting for an event at once (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--rate",
      defaultValue = "2000",
      description = "Events sent a second (default: ${DEFAULT-VALUE}).")
  int rate;

  @Override
  public Integer call() throws Exception {
    BenchChecks.atLeast(spec, "--instances", instances, 1);
    BenchChecks.atLeast(spec, "--rate", rate, 1);
    BenchChecks.atLeast(spec, "--warmup-seconds", stack.warmupSeconds, 0);
    try (BenchRun run = BenchRun.start("events", stack.partitions)) {
      run.warmUp(stack.warmupSeconds);
      run.events(instances, rate);
      run.finish(stack.out);
    }
    return 0;
  }
}
