package dev.ferry.standalone.chaos;

/**
 * One kill -9 of a run.
 *
 * @param part the process killed (e.g. {@code orchestrator-1})
 * @param at when, in epoch ms
 * @param standbys the orchestrators' standby replicas at the time
 */
record ChaosKill(ChaosTarget target, String part, long at, int standbys) {}
