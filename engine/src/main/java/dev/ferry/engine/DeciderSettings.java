package dev.ferry.engine;

/**
 * What the state machine needs from configuration.
 *
 * @param leaseMs how long an activation may go without a report
 * @param defaultRetentionMs how long a finished instance is kept when it sets no retention
 * @param unknownWorkflowGraceMs how long a create for a workflow not (yet) in the catalogue is held
 *     before it is refused: a sender that saw a worker register may be ahead of the orchestrator's
 *     copy of the catalogue
 */
public record DeciderSettings(long leaseMs, long defaultRetentionMs, long unknownWorkflowGraceMs) {}
