package dev.ferry.ops;

import java.util.function.Supplier;

/**
 * One thing a process needs before it can do its work (Kafka Streams RUNNING, partitions assigned,
 * a view caught up, the schema registry answering). A check must answer quickly and never throw: a
 * failure to find out is "not ready" with the reason.
 */
public record ReadinessCheck(String name, Supplier<Result> probe) {
  /** The outcome: ready or not, and what an operator should read (e.g. "REBALANCING"). */
  public record Result(boolean ready, String detail) {
    public static Result ready(String detail) {
      return new Result(true, detail);
    }

    public static Result notReady(String detail) {
      return new Result(false, detail);
    }
  }

  /** Runs the probe; an exception is "not ready" with its message. */
  public Result run() {
    try {
      return probe.get();
    } catch (RuntimeException e) {
      return Result.notReady(e.toString());
    }
  }
}
