package dev.ferry.standalone.chaos;

import java.util.List;

/**
 * The kinds of instance the chaos load mixes, and what the history of each must hold once it has
 * completed: every {@code do} step's result once, every sleep and wait once.
 */
public enum ChaosKind {
  /** Three steps. */
  STEPS(List.of("first", "second", "third"), 0, 0),
  /** A step, a sleep, a step: a durable timer. */
  SLEEP(List.of("first", "after nap"), 1, 0),
  /** A step, then a step whose first attempts fail on purpose: retry timers. */
  RETRY(List.of("first", "flaky"), 0, 0),
  /** A step, then two waits for the same event type: each event must arrive exactly once. */
  EVENTS(List.of("first"), 0, 2),
  /** A step, a sleep during which the suite pauses and resumes the instance, two steps. */
  PAUSE(List.of("first", "second", "third"), 1, 0);

  /** The names of the waits of {@link #EVENTS}, in order. */
  public static final List<String> EVENT_WAITS = List.of("first event", "second event");

  private final List<String> steps;
  private final int sleeps;
  private final int waits;

  ChaosKind(List<String> steps, int sleeps, int waits) {
    this.steps = steps;
    this.sleeps = sleeps;
    this.waits = waits;
  }

  /** The {@code do} steps whose results the history records, each once. */
  public List<String> steps() {
    return steps;
  }

  public int sleeps() {
    return sleeps;
  }

  public int waits() {
    return waits;
  }

  /** Callback runs a crash-free run makes: one per step, plus the planned failures. */
  public int plannedExecutions() {
    return steps.size() + (this == RETRY ? ChaosWorkflow.PLANNED_FAILURES : 0);
  }

  /** The kind of the {@code n}th instance of the load: an even mix. */
  public static ChaosKind forInstance(long n) {
    return values()[(int) (n % values().length)];
  }
}
