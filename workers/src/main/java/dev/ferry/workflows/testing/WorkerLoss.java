package dev.ferry.workflows.testing;

import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.ArrayList;
import java.util.List;

/**
 * What of an activation's reports a dead worker would have delivered: everything before the attempt
 * that died (a worker sends what came before a step once it runs a few milliseconds), and a
 * heartbeat naming that attempt as in flight, so the engine counts it when the lease expires.
 */
final class WorkerLoss {
  private WorkerLoss() {}

  /** The reports that arrive; the same list when no attempt died. */
  static List<WorkerReport> arrived(List<WorkerReport> reports) {
    List<WorkerReport> arrived = new ArrayList<>();
    for (WorkerReport report : reports) {
      List<StepRecord> before = new ArrayList<>();
      for (StepRecord step : report.getSteps()) {
        if (diedIn(step)) {
          if (!before.isEmpty()) {
            arrived.add(WorkerReport.newBuilder(report).setSteps(before).setOutcome(null).build());
          }
          arrived.add(
              WorkerReport.newBuilder(report)
                  .setSteps(List.of())
                  .setOutcome(null)
                  .setInFlight(running(step))
                  .build());
          return arrived;
        }
        before.add(step);
      }
      arrived.add(report);
    }
    return reports;
  }

  private static boolean diedIn(StepRecord step) {
    List<Attempt> attempts = step.getAttempts();
    return !attempts.isEmpty()
        && attempts.get(attempts.size() - 1).getError() != null
        && WorkerLost.class
            .getSimpleName()
            .equals(attempts.get(attempts.size() - 1).getError().getName());
  }

  /** The entry as the heartbeat showed it: its last attempt still running. */
  private static StepRecord running(StepRecord step) {
    List<Attempt> attempts = new ArrayList<>(step.getAttempts());
    Attempt last = attempts.remove(attempts.size() - 1);
    attempts.add(new Attempt(last.getAttempt(), last.getStartedAt(), null, null, null));
    return StepRecord.newBuilder(step)
        .setStatus(StepStatus.RUNNING)
        .setAttempts(attempts)
        .setError(null)
        .setWakeAt(null)
        .setEndedAt(null)
        .build();
  }
}
