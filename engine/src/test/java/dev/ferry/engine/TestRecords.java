package dev.ferry.engine;

import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkerReport;
import java.util.List;

/**
 * Builders of the records orchestrator tests feed in, for instances of "acct/wf", shared with the
 * orchestrator's tests (test-jar).
 */
public final class TestRecords {
  private TestRecords() {}

  /**
   * A create of {@code acct/<workflow>/<id>} as the gateway sends it, with request id {@code
   * r-<id>}, optionally on a version.
   */
  public static Command apiCreate(String workflow, String id, String versionId, long at) {
    return Command.newBuilder()
        .setRequestId("r-" + id)
        .setAccount("acct")
        .setWorkflow(workflow)
        .setInstanceId(id)
        .setIssuedAt(at)
        .setAction(
            CreateInstance.newBuilder()
                .setTriggerSource(TriggerSource.API)
                .setVersionId(versionId)
                .build())
        .build();
  }

  /**
   * A step entry "s<position>" (count 1) started at {@code startedAt}, to complete with setters.
   */
  public static StepRecord.Builder step(
      int position, StepKind kind, StepStatus status, long startedAt) {
    return StepRecord.newBuilder()
        .setPosition(position)
        .setKind(kind)
        .setName("s" + position)
        .setCount(1)
        .setStatus(status)
        .setStartedAt(startedAt);
  }

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
