package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ferry bench steps}: one instance of many steps, and whether a step costs more later. */
@Command(
    name = "steps",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark long instances: start a fresh stack, warm it up, then run one instance of"
          + " --steps tiny steps and print the time per step near its start, midway and at its"
          + " end (when each step's body ran), create to complete, and the bytes the broker took"
          + " in per step by topic. Writes the figures to --out as JSON."
    })
final class StepsBench implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Mixin BenchStackOptions stack;

  @Option(
      names = "--steps",
      defaultValue = "10000",
      description =
          "Steps of the instance, at most orchestrator.max.steps.per.instance (default:"
              + " ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--sleep-every",
      defaultValue = "0",
      description =
          "A 1 ms durable sleep after every that many steps, so the instance runs in many"
              + " activations, each replaying the steps before it (default: ${DEFAULT-VALUE} ="
              + " never: one activation).")
  int sleepEvery;

  @Override
  public Integer call() throws Exception {
    BenchChecks.atLeast(spec, "--steps", steps, 1);
    int limit =
        dev.ferry.orchestrator.OrchestratorConfig.fromEnv(java.util.Map.of())
            .getInt(dev.ferry.orchestrator.OrchestratorConfig.MAX_STEPS);
    if (steps > limit) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(),
          "--steps must be at most orchestrator.max.steps.per.instance, "
              + limit
              + " (it was "
              + steps
              + ")");
    }
    BenchChecks.atLeast(spec, "--sleep-every", sleepEvery, 0);
    BenchChecks.atLeast(spec, "--warmup-seconds", stack.warmupSeconds, 0);
    try (BenchRun run = BenchRun.start("steps", stack.partitions)) {
      run.warmUp(stack.warmupSeconds);
      run.steps(steps, sleepEvery);
      run.finish(stack.out);
    }
    return 0;
  }
}
