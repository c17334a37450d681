package dev.ferry.orchestrator;

import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.List;

/** Builders of the records orchestrator tests feed in, for instances of "acct/wf". */
public final class TestRecords {
  private TestRecords() {}

  /** A worker report: step changes ({@code List}), an attempt in flight, or an outcome. */
  @SuppressWarnings("unchecked")
  public static WorkerReport report(String instanceId, long token, long at, Object body) {
    WorkerReport.Builder report =
        WorkerReport.newBuilder()
            .setAccount("acct")
            .setWorkflow("wf")
            .setInstanceId(instanceId)
            .setToken(token)
            .setWorkerId("w")
            .setReportedAt(at);
    if (body instanceof List<?> steps) {
      report.setSteps((List<StepRecord>) steps);
    } else if (body instanceof StepRecord running) {
      report.setInFlight(running);
    } else {
      report.setOutcome(body);
    }
    return report.build();
  }
}
