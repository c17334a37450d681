package dev.ferry.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.workflows.testing.WorkflowRun;
import dev.ferry.workflows.testing.WorkflowTester;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The examples, run in memory with the test kit: sleeps and retry delays take no real time. */
class ExampleWorkflowsTest {

  @Test
  void threeStepsDoublesAddsOneAndDescribes() {
    WorkflowRun run =
        WorkflowTester.of(ThreeStepWorkflow::new).start(new ThreeStepWorkflow.Params(5));

    assertThat(run.output(ThreeStepWorkflow.Result.class))
        .isEqualTo(new ThreeStepWorkflow.Result(11, "5 -> 10 -> 11"));
    assertThat(run.steps())
        .extracting(WorkflowRun.Step::name)
        .containsExactly("double", "add one", "describe");
    assertThat(run.activations()).isEqualTo(1);
  }

  @Test
  void sleepySkipsItsSleepInVirtualTime() {
    WorkflowRun run =
        WorkflowTester.of(SleepyWorkflow::new).start(new SleepyWorkflow.Params("Ada", 600));

    assertThat(run.output(String.class)).isEqualTo("Hello, Ada! (slept 600 s)");
    assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(600));
    assertThat(run.activations()).isEqualTo(2);
  }

  @Test
  void flakyNeedsThreeAttemptsAndBacksOffExponentially() {
    WorkflowRun run =
        WorkflowTester.of(FlakyWorkflow::new).start(new FlakyWorkflow.Params("billing"));

    assertThat(run.output(String.class)).isEqualTo("reached billing on attempt 3");
    assertThat(run.steps()).singleElement().extracting(WorkflowRun.Step::attempts).isEqualTo(3);
    assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(3)); // 1 s + 2 s of backoff
  }

  @Test
  void refusingEndsErroredWithItsOwnErrorName() {
    WorkflowRun run =
        WorkflowTester.of(RefusingWorkflow::new).start(new RefusingWorkflow.Params(0));

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.ERRORED);
    assertThat(run.errorName()).isEqualTo("InvalidOrder");
    assertThat(run.errorMessage()).isEqualTo("amount must be positive, got 0");
  }

  @Test
  void approvalWaitsForTheEventThenCompletes() {
    WorkflowRun run =
        WorkflowTester.of(ApprovalWorkflow::new).start(new ApprovalWorkflow.Params("laptop", 60));
    assertThat(run.status()).isEqualTo(WorkflowRun.Status.WAITING);

    run.sendEvent("approval", new ApprovalWorkflow.Approval("ada", true));

    assertThat(run.output(String.class)).isEqualTo("request laptop approved by ada");
  }

  @Test
  void approvalNotesExpiryAndTakesALateApproval() {
    WorkflowRun run =
        WorkflowTester.of(ApprovalWorkflow::new)
            .forceEventTimeout("first approval")
            .start(new ApprovalWorkflow.Params("laptop", 60));

    run.sendEvent("approval", new ApprovalWorkflow.Approval("bob", false));

    assertThat(run.output(String.class)).isEqualTo("request laptop rejected by bob");
    assertThat(run.steps())
        .extracting(WorkflowRun.Step::name)
        .containsExactly("prepare", "first approval", "note expiry", "late approval");
    assertThat(run.steps().get(1).error()).startsWith("WorkflowTimeoutError");
    assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(60));
  }

  @Test
  void eventSentBeforeTheWaitIsKeptForIt() {
    WorkflowRun run =
        WorkflowTester.of(ApprovalWorkflow::new)
            .event("approval", new ApprovalWorkflow.Approval("early", true))
            .start(new ApprovalWorkflow.Params("x", 60));

    assertThat(run.output(String.class)).isEqualTo("request x approved by early");
    assertThat(run.elapsed()).isZero();
  }

  @Test
  void unansweredLateApprovalEndsErroredWithTimeout() {
    WorkflowRun run =
        WorkflowTester.of(ApprovalWorkflow::new)
            .forceEventTimeout("first approval")
            .start(new ApprovalWorkflow.Params("x", 1));
    assertThat(run.status()).isEqualTo(WorkflowRun.Status.WAITING); // in "late approval"

    run.timeOutWait();

    // the late wait timed out too and the workflow does not catch that
    assertThat(run.status()).isEqualTo(WorkflowRun.Status.ERRORED);
    assertThat(run.errorName()).isEqualTo("WorkflowTimeoutError");
  }

  @Test
  void fanOutRetriesOnlyTheFailedBranch() {
    WorkflowRun run = WorkflowTester.of(FanOutWorkflow::new).start(new FanOutWorkflow.Params(10));

    assertThat(run.output(Integer.class)).isEqualTo(11);
    assertThat(run.steps())
        .extracting(WorkflowRun.Step::name)
        .containsExactly("post quote", "courier quote", "pickup quote", "cheapest");
    assertThat(run.steps()).extracting(WorkflowRun.Step::attempts).containsExactly(1, 2, 1, 1);
    assertThat(run.elapsed()).isEqualTo(Duration.ofSeconds(1));
  }

  @Test
  void bookingRefundsThenReleasesWhenShippingTimesOut() {
    WorkflowRun run =
        WorkflowTester.of(BookingWorkflow::new)
            .forceEventTimeout("shipment")
            .start(new BookingWorkflow.Params("7C", 60));

    assertThat(run.status()).isEqualTo(WorkflowRun.Status.ERRORED);
    assertThat(run.errorName()).isEqualTo("ShippingTimeout");
    assertThat(run.steps())
        .filteredOn(s -> s.kind().equals("rollback"))
        .extracting(WorkflowRun.Step::name)
        .containsExactly("charge", "reserve");
  }

  @Test
  void mockedStepsReplaceTheirBodies() {
    WorkflowRun run =
        WorkflowTester.of(FlakyWorkflow::new)
            .mockStepResult("call flaky service", "mocked answer")
            .start(new FlakyWorkflow.Params(null));

    assertThat(run.output(String.class)).isEqualTo("mocked answer");
    assertThat(run.elapsed()).isZero();
  }

  @Test
  void mockedErrorsUseTheStepsRetries() {
    WorkflowRun run =
        WorkflowTester.of(ThreeStepWorkflow::new)
            .mockStepError("add one", new IllegalStateException("down"), 2)
            .start(new ThreeStepWorkflow.Params(1));

    assertThat(run.output(ThreeStepWorkflow.Result.class).value()).isEqualTo(3);
    assertThat(run.steps().get(1).attempts()).isEqualTo(3);
    assertThat(run.elapsed())
        .isEqualTo(Duration.ofSeconds(30)); // default 10 s, exponential: 10 + 20
  }
}
