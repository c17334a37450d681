package dev.ferry.workflows;

import java.time.Instant;

/** For cron-created instances: the expression that fired and when it was due. */
public record WorkflowSchedule(String cron, Instant scheduledTime) {}
