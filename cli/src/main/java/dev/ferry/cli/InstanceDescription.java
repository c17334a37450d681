package dev.ferry.cli;

import dev.ferry.client.InstanceDetails;
import dev.ferry.client.InstanceDetails.Attempt;
import dev.ferry.client.InstanceDetails.Step;
import dev.ferry.client.InstanceStatus;

/**
 * The step-by-step view of {@code instances describe}, as wrangler lays it out: the instance, then
 * each step with its times, outcome, output, when it retries, and a table of its attempts.
 */
final class InstanceDescription {
  private InstanceDescription() {}

  static String render(
      String workflow, String id, InstanceDetails d, boolean stepOutput, int outputLimit) {
    StringBuilder out = new StringBuilder();
    WorkflowsCommand.field(out, "Workflow Name", workflow);
    WorkflowsCommand.field(out, "Instance Id", id);
    WorkflowsCommand.field(out, "Version Id", d.versionId());
    WorkflowsCommand.field(out, "Status", Formats.status(d.status()));
    WorkflowsCommand.field(out, "Trigger", d.triggerSource());
    WorkflowsCommand.field(out, "Queued", Formats.time(d.queued()));
    WorkflowsCommand.field(out, "Success", Formats.yesNo(d.success()));
    WorkflowsCommand.field(out, "Start", Formats.time(d.start()));
    WorkflowsCommand.field(out, "End", Formats.time(d.end()));
    WorkflowsCommand.field(out, "Duration", Formats.between(d.start(), d.end()));
    Step last = d.lastSuccessfulStep();
    WorkflowsCommand.field(out, "Last Successful Step", last == null ? null : last.name());
    WorkflowsCommand.field(out, "Params", Formats.json(d.params(), outputLimit));
    if (d.status() == InstanceStatus.Status.COMPLETE) {
      WorkflowsCommand.field(out, "Output", Formats.json(d.output(), outputLimit));
    }
    WorkflowsCommand.field(
        out, "Error", d.error() == null ? null : d.error().name() + ": " + d.error().message());
    out.append('\n').append("Steps (").append(d.steps().size()).append(")\n");
    int n = 0;
    for (Step step : d.steps()) {
      n++;
      out.append('\n');
      out.append(String.format("%d. %s  %s%n", n, type(step), step.name()));
      indentField(out, "Start", Formats.time(step.start()));
      indentField(out, "End", Formats.time(step.end()));
      indentField(out, "Duration", Formats.between(step.start(), step.end()));
      indentField(out, "Outcome", outcome(step));
      if (step.eventType() != null) {
        indentField(out, "Event Type", step.eventType());
      }
      if (step.error() != null) {
        indentField(out, "Error", step.error().name() + ": " + step.error().message());
      }
      if (step.retriesAt() != null) {
        indentField(out, "Retries At", Formats.time(step.retriesAt()));
      }
      if (step.retryLimit() != null) {
        indentField(
            out,
            "Retries",
            step.retryLimit()
                + " ("
                + (step.retryDelay() == null ? "dynamic" : Formats.duration(step.retryDelay()))
                + (step.backoff() == null ? "" : ", " + step.backoff())
                + ")");
      }
      if (stepOutput && step.output() != null) {
        indentField(out, "Output", Formats.json(step.output(), outputLimit));
      }
      if (!step.attempts().isEmpty()) {
        Table attempts = new Table("  #", "Start", "End", "Duration", "State", "Error");
        int i = 0;
        for (Attempt attempt : step.attempts()) {
          i++;
          attempts.row(
              "  " + i,
              Formats.time(attempt.start()),
              Formats.time(attempt.end()),
              Formats.between(attempt.start(), attempt.end()),
              attempt.success() == null ? "running" : attempt.success() ? "succeeded" : "failed",
              attempt.error() == null
                  ? null
                  : attempt.error().name() + ": " + attempt.error().message());
        }
        attempts.render().lines().forEach(line -> out.append("  ").append(line).append('\n'));
      }
    }
    return out.toString();
  }

  private static String type(Step step) {
    return switch (step.type()) {
      case STEP -> "Step";
      case SLEEP -> "Sleep";
      case WAIT_FOR_EVENT -> "Wait for event";
      case ROLLBACK -> "Rollback";
      case OTHER -> "Entry";
    };
  }

  private static String outcome(Step step) {
    return switch (step.type()) {
      case STEP, ROLLBACK ->
          step.success() == null ? "running" : step.success() ? "succeeded" : "failed";
      case SLEEP -> step.finished() ? "slept" : "sleeping";
      case WAIT_FOR_EVENT ->
          step.finished() ? (step.error() == null ? "received" : "timed out") : "waiting";
      case OTHER -> "-";
    };
  }

  private static void indentField(StringBuilder out, String name, Object value) {
    out.append(String.format("   %-12s %s%n", name + ":", value == null ? "-" : value));
  }
}
