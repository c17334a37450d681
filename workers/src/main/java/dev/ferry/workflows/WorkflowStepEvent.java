package dev.ferry.workflows;

import java.time.Instant;

/**
 * The event a {@code waitForEvent} step received.
 *
 * <pre>{@code
 * WorkflowStepEvent<Approval> approval =
 *     step.waitForEvent("approval", WaitOptions.type("approved"), Approval.class);
 * if (approval.payload().approved()) { ... }
 * }</pre>
 *
 * @param <T> the payload type
 */
public record WorkflowStepEvent<T>(T payload, Instant timestamp, String type) {}
