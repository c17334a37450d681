package dev.ferry.worker.internal;

import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.schemas.avro.HistoryMissing;
import dev.ferry.schemas.avro.NotHosted;
import dev.ferry.schemas.avro.RunFailed;
import dev.ferry.schemas.avro.WorkerReport;

/**
 * The reports that give an activation back to the orchestrator without running it: the workflow is
 * not hosted here, or the history it builds on is missing. Neither fails the instance.
 */
public final class HandBack {
  private HandBack() {}

  public static WorkerReport notHosted(
      Activation activation, String workerId, String group, String reason, long now) {
    return report(activation, workerId, now, new NotHosted(group, reason));
  }

  public static WorkerReport historyMissing(
      Activation activation, String workerId, String reason, long now) {
    return report(activation, workerId, now, new HistoryMissing(reason, true));
  }

  /** The workflow's constructor threw: the run fails with that error. */
  public static WorkerReport notCreated(
      Activation activation, String workerId, Throwable error, long now) {
    ErrorInfo info = Errors.info(error);
    return report(
        activation,
        workerId,
        now,
        new RunFailed(
            new ErrorInfo(
                info.getName(), "the workflow could not be created: " + info.getMessage()),
            null));
  }

  private static WorkerReport report(
      Activation activation, String workerId, long now, Object outcome) {
    return WorkerReport.newBuilder()
        .setAccount(activation.getAccount())
        .setWorkflow(activation.getWorkflow())
        .setInstanceId(activation.getInstanceId())
        .setToken(activation.getToken())
        .setWorkerId(workerId)
        .setReportedAt(now)
        .setOutcome(outcome)
        .build();
  }
}
