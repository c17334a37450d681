package dev.ferry.engine;

import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Timer;

/**
 * What a transition asks of whoever runs the machine, in the order they are to be carried out: the
 * orchestrator's processor over its stores and topics, the test kit over in-memory maps. The new
 * state itself is not an effect: it is kept before the records below are sent.
 */
public sealed interface Effect {
  /** Keep the instance's params (a create). */
  record StoreParams(String json) implements Effect {}

  /**
   * Forget params, step entries and kept events (retention ended, or deleted). The state stays,
   * marked expired, so the id remains reserved.
   */
  record Expire() implements Effect {}

  /** Delete the step entries from this position on (a restart keeps those before it). */
  record EraseSteps(int from) implements Effect {}

  /** Store a step entry at its position. */
  record PutStep(StepRecord step) implements Effect {}

  /** Keep an event for a later wait, under the new state's {@code eventSeq}. */
  record BufferEvent(InstanceEvent event) implements Effect {}

  /** A kept event was delivered: delete it. */
  record ConsumeEvent(String key) implements Effect {}

  record ScheduleTimer(Timer timer) implements Effect {}

  /**
   * Keep the create that came in, for a workflow not in the catalogue, until the workflow appears
   * or {@code until}; then decide it again as {@link Input.CreateReleased}. Nothing else changes.
   */
  record HoldCreate(long until) implements Effect {}

  /** Wait in the admission queue of the instance's workflow until a running slot frees. */
  record Enqueue(int priority) implements Effect {}

  /** Wait until a worker group that hosts the workflow is present (then the input is Admit). */
  record AwaitWorker(long token) implements Effect {}

  /**
   * The instance took (+1) or gave back (-1) a running slot of its workflow; after a -1 the runner
   * admits queued instances while {@link InstanceMachine#hasFreeSlot} says so.
   */
  record SlotChange(int delta) implements Effect {}

  /** Tell the group running the current activation to pause or stop it. */
  record SendControl(String group, Control control) implements Effect {}

  /**
   * Send the activation of the new state's token to {@code group}: the step entries from {@code
   * historyFrom} on, over what the worker kept from activation {@code baseToken} (0 = the whole
   * history). {@code group} is null only before routing, inside the machine.
   */
  record Activate(String group, long baseToken, int historyFrom) implements Effect {}

  record PublishHistory(HistoryEvent event) implements Effect {}

  /** Publish the new state as the instance's snapshot. */
  record PublishSnapshot() implements Effect {}

  /** Remove the instance from the status topic (it expired). */
  record PublishTombstone() implements Effect {}

  /** Answer the command or event that came in. */
  record Reply(CommandReply reply) implements Effect {}

  /** Send the input's original bytes to the dead-letter topic with this reason. */
  record DeadLetter(String reason) implements Effect {}
}
