package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Timer;
import java.util.List;

/**
 * What the orchestrator does in answer to one input: the state to keep, the records to write. The
 * processor applies it as it is; all the reasoning happens in {@link InstanceDecider}.
 *
 * @param state the instance's new state, or null to leave it unchanged
 * @param params params to store (only on create)
 * @param steps step entries to store
 * @param timers timers to schedule
 * @param activate emit an activation with {@code state.token}
 * @param snapshot emit a status snapshot
 * @param history history events to emit
 * @param reply the reply to a command or event, if any
 * @param buffer an event to keep for a later wait, under sequence {@code state.eventSeq}
 * @param consumedEvents keys of buffered events delivered now
 * @param deadLetter reason to send the input's original bytes to the dead-letter topic, or null
 * @param control a control record for the worker running the instance, or null
 * @param eraseFrom delete the step entries from this position on (restart), or -1
 * @param expire delete params, steps and kept events, and remove the status snapshot (retention or
 *     delete); the state stays, marked expired, so the id remains reserved
 */
public record Decision(
    InstanceState state,
    String params,
    List<StepRecord> steps,
    List<Timer> timers,
    boolean activate,
    boolean snapshot,
    List<HistoryEvent> history,
    CommandReply reply,
    InstanceEvent buffer,
    List<String> consumedEvents,
    String deadLetter,
    Control control,
    int eraseFrom,
    boolean expire) {

  private static final Decision EMPTY =
      new Decision(
          null, null, List.of(), List.of(), false, false, List.of(), null, null, List.of(), null,
          null, -1, false);

  public static Decision none() {
    return EMPTY;
  }

  public static Decision replyOnly(CommandReply reply) {
    return new Decision(
        null, null, List.of(), List.of(), false, false, List.of(), reply, null, List.of(), null,
        null, -1, false);
  }

  public static Decision deadLetterOnly(String reason) {
    return new Decision(
        null, null, List.of(), List.of(), false, false, List.of(), null, null, List.of(), reason,
        null, -1, false);
  }

  public boolean isEmpty() {
    return state == null
        && reply == null
        && deadLetter == null
        && steps.isEmpty()
        && timers.isEmpty()
        && history.isEmpty();
  }
}
