package dev.ferry.engine;

/**
 * What the state machine needs from configuration.
 *
 * @param leaseMs how long an activation may go without a report
 * @param defaultRetentionMs how long a finished instance is kept when it sets no retention
 */
public record DeciderSettings(long leaseMs, long defaultRetentionMs) {}
