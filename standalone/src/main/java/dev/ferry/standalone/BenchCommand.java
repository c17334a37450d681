package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ferry bench}: latency and throughput of the three-step example. */
@Command(
    name = "bench",
    mixinStandardHelpOptions = true,
    description = "Benchmark the stack with the three-step example (prints figures).")
final class BenchCommand implements Callable<Integer> {
  @Override
  public Integer call() {
    System.out.println("bench: not implemented yet");
    return 1;
  }
}
