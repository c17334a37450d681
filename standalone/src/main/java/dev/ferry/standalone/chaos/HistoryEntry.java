package dev.ferry.standalone.chaos;

import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;

/**
 * What the chaos checks need of one committed history record.
 *
 * @param partition the history partition it was read from
 * @param at when the orchestrator recorded it (its clock, the driver's machine)
 * @param step the step's name, or null for a workflow event
 * @param wakeAt a sleep's due time, or null
 * @param output a step's recorded output (a wait's: the event payload), or null
 */
record HistoryEntry(
    int partition,
    String instanceId,
    int generation,
    HistoryEventType type,
    long at,
    String step,
    Long wakeAt,
    String output) {

  static HistoryEntry of(int partition, HistoryEvent event) {
    var step = event.getStep();
    return new HistoryEntry(
        partition,
        event.getInstanceId(),
        event.getGeneration(),
        event.getType(),
        event.getAt(),
        step == null ? null : step.getName(),
        step == null ? null : step.getWakeAt(),
        step == null ? null : step.getOutput());
  }

  boolean terminal() {
    return type == HistoryEventType.WORKFLOW_SUCCESS
        || type == HistoryEventType.WORKFLOW_FAILURE
        || type == HistoryEventType.WORKFLOW_TERMINATED;
  }
}
