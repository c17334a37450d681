package dev.ferry.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/** The benchmark commands' checks of their options, each naming the option and the rule. */
final class BenchChecks {
  private BenchChecks() {}

  /** Refuses {@code value} below {@code least} as bad usage (a short message, exit code 2). */
  static void atLeast(CommandSpec spec, String option, int value, int least) {
    if (value < least) {
      throw new CommandLine.ParameterException(
          spec.commandLine(), option + " must be at least " + least + " (it was " + value + ")");
    }
  }
}
