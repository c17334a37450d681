package dev.ferry.workflows;

import java.time.Instant;
import java.util.Optional;

/**
 * The first argument of {@link WorkflowEntrypoint#run}: the instance's params and identity.
 *
 * <pre>{@code
 * String orderId = event.payload().orderId();
 * }</pre>
 *
 * @param <P> the params type
 */
public record WorkflowEvent<P>(
    P payload,
    Instant timestamp,
    String instanceId,
    String workflowName,
    Optional<WorkflowSchedule> schedule) {}
