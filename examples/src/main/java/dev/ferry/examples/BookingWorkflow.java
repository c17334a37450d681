package dev.ferry.examples;

import dev.ferry.workflows.NonRetryableError;
import dev.ferry.workflows.Rollback;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import dev.ferry.workflows.WorkflowTimeoutError;
import java.time.Duration;

/**
 * A saga: reserve a seat, charge the card, then wait for a {@code shipped} event. Each step has a
 * compensation; if shipping never happens (timeout, {@code shipTimeoutSeconds}, default 3600) the
 * instance fails and the handlers run newest first: refund, then release. Terminating it with
 * {@code rollback: true} runs them too.
 */
public final class BookingWorkflow extends WorkflowEntrypoint<BookingWorkflow.Params, String> {
  public static final String NAME = "booking";

  public record Params(String seat, Integer shipTimeoutSeconds) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    String seat = event.payload().seat() == null ? "12A" : event.payload().seat();
    int timeout =
        event.payload().shipTimeoutSeconds() == null ? 3600 : event.payload().shipTimeoutSeconds();
    String reservation =
        step.run(
            "reserve",
            StepConfig.defaults(),
            ctx -> "reservation-" + seat,
            Rollback.of(ctx -> System.out.println("released " + ctx.output())));
    String charge =
        step.run(
            "charge",
            StepConfig.defaults(),
            ctx -> "charge-for-" + reservation,
            Rollback.of(ctx -> System.out.println("refunded " + ctx.output())));
    try {
      step.waitForEvent(
          "shipment",
          WaitOptions.type("shipped").timeout(Duration.ofSeconds(timeout)),
          Object.class);
    } catch (WorkflowTimeoutError e) {
      throw new NonRetryableError("not shipped within " + timeout + " s", "ShippingTimeout");
    }
    return charge + " shipped";
  }
}
