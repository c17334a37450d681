package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.ops.LogContext;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import dev.ferry.workflows.testing.WorkflowRun;
import dev.ferry.workflows.testing.WorkflowTester;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

/** A step's own log lines carry its instance, step and attempt, on the thread the step runs on. */
class StepLogContextTest {
  /** Returns what the MDC held inside its second step, on its second attempt. */
  public static final class ReadsItsLogContext extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      step.run("first", () -> "ok");
      return step.run(
          "second",
          dev.ferry.workflows.StepConfig.retries(
              1, "1 second", dev.ferry.workflows.Backoff.CONSTANT),
          ctx -> {
            if (ctx.attempt() == 1) {
              throw new IllegalStateException("once");
            }
            return MDC.get(LogContext.SUMMARY)
                + " | "
                + MDC.get(LogContext.STEP)
                + " | "
                + MDC.get(LogContext.ATTEMPT)
                + " | "
                + MDC.get(LogContext.WORKFLOW);
          });
    }
  }

  @Test
  void shouldGiveTheStepsThreadTheInstanceStepAndAttempt() {
    WorkflowRun run = WorkflowTester.of(ReadsItsLogContext::new).start(null);

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.COMPLETE);
    String seen = run.output(String.class);
    assertThat(seen).endsWith(" second#1 attempt 2 | second#1 | 2 | " + seen.split("/")[1]);
    assertThat(MDC.get(LogContext.STEP)).isNull(); // nothing left behind on the caller's thread
  }
}
