package dev.ferry.examples;

import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import dev.ferry.workflows.WorkflowStepEvent;
import dev.ferry.workflows.WorkflowTimeoutError;

/**
 * Waits for an {@code approval} event (send it with {@code POST .../events/approval}, body {@code
 * {"approver": "ada", "approved": true}}). If none comes within {@code timeoutSeconds} (default
 * 3600), it records the expiry and waits once more for a late approval.
 */
public final class ApprovalWorkflow extends WorkflowEntrypoint<ApprovalWorkflow.Params, String> {
  public static final String NAME = "approval";

  public record Params(String request, Integer timeoutSeconds) {}

  public record Approval(String approver, boolean approved) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    String request = step.run("prepare", () -> "request " + event.payload().request());
    int seconds =
        event.payload().timeoutSeconds() == null ? 3600 : event.payload().timeoutSeconds();
    WaitOptions options =
        WaitOptions.type("approval").timeout(java.time.Duration.ofSeconds(seconds));
    WorkflowStepEvent<Approval> decision;
    try {
      decision = step.waitForEvent("first approval", options, Approval.class);
    } catch (WorkflowTimeoutError expired) {
      step.run("note expiry", () -> "no approval within " + seconds + " s");
      decision = step.waitForEvent("late approval", options, Approval.class);
    }
    Approval approval = decision.payload();
    return request
        + (approval.approved() ? " approved by " : " rejected by ")
        + approval.approver();
  }
}
