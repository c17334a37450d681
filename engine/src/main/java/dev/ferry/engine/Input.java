package dev.ferry.engine;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.WorkerReport;

/** Everything that can happen to an instance: the inputs of {@link InstanceMachine#apply}. */
public sealed interface Input {
  /** A create, pause, resume, terminate, restart or delete. */
  record CommandIn(Command command) implements Input {}

  /**
   * A create that was held because its workflow was not in the catalogue, released: the workflow
   * appeared or the grace period ended. Decided on the catalogue as it is now, and never held
   * again.
   */
  record CreateReleased(Command command) implements Input {}

  /** A worker's report on the activation it runs. */
  record ReportIn(WorkerReport report) implements Input {}

  /** An event sent to the instance. */
  record EventIn(InstanceEvent event) implements Input {}

  /** A timer of the instance came due (lease, sleep, retry, wait timeout, retention). */
  record TimerFired(Timer timer) implements Input {}

  /** A queued instance's turn: a slot freed, or a worker group hosting it appeared. */
  record Admit() implements Input {}

  /**
   * Handling an input threw (a bug, a corrupt stored value): the instance ends errored with this
   * message. The state is null when it could not be read.
   */
  record InternalError(String message) implements Input {}
}
