package dev.ferry.standalone;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** The options every load benchmark shares: the stack it starts, its warm-up, its result file. */
final class BenchStackOptions {
  @Option(
      names = "--warmup-seconds",
      defaultValue = "40",
      description =
          "Load at "
              + BenchRun.WARM_UP_CONCURRENCY
              + " in flight before measuring, so the JIT has compiled the hot paths (default:"
              + " ${DEFAULT-VALUE}).")
  int warmupSeconds;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description =
          "Partitions of the stack's topics, as for `ferry dev` (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--out",
      description =
          "Where the figures are written as JSON (default: ferry-bench-<scenario>-<time>.json).")
  Path out;
}
