package dev.ferry.engine;

import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Timer;
import java.util.List;
import java.util.function.Function;

/**
 * One transition of an instance: the state to keep and the effects to carry out, in order. The
 * accessors below read single kinds of effect, for tests and rules that look at one.
 *
 * @param state the instance's new state, or null to leave it as it is
 * @param effects what to store and send, in order
 */
public record Decision(InstanceState state, List<Effect> effects) {
  private static final Decision NONE = new Decision(null, List.of());

  public Decision {
    effects = List.copyOf(effects);
  }

  public static Decision none() {
    return NONE;
  }

  public static Decision replyOnly(CommandReply reply) {
    return new Decision(null, List.of(new Effect.Reply(reply)));
  }

  /**
   * A refused input that nothing can come of: answered to a sender that waits for a reply, and
   * dead-lettered for the operators of one that does not (any Kafka producer).
   */
  public static Decision refused(CommandReply reply) {
    return new Decision(
        null, List.of(new Effect.Reply(reply), new Effect.DeadLetter(reply.getMessage())));
  }

  public static Decision deadLetterOnly(String reason) {
    return new Decision(null, List.of(new Effect.DeadLetter(reason)));
  }

  public boolean isEmpty() {
    return state == null && effects.isEmpty();
  }

  /** The effects of one kind, in order. */
  public <E extends Effect> List<E> all(Class<E> kind) {
    return effects.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  private <E extends Effect, T> T first(Class<E> kind, Function<E, T> value, T otherwise) {
    return effects.stream()
        .filter(kind::isInstance)
        .map(kind::cast)
        .findFirst()
        .map(value)
        .orElse(otherwise);
  }

  public boolean activate() {
    return !all(Effect.Activate.class).isEmpty();
  }

  public boolean snapshot() {
    return !all(Effect.PublishSnapshot.class).isEmpty();
  }

  public boolean expire() {
    return !all(Effect.Expire.class).isEmpty();
  }

  public String params() {
    return first(Effect.StoreParams.class, Effect.StoreParams::json, null);
  }

  public List<StepRecord> steps() {
    return all(Effect.PutStep.class).stream().map(Effect.PutStep::step).toList();
  }

  public List<Timer> timers() {
    return all(Effect.ScheduleTimer.class).stream().map(Effect.ScheduleTimer::timer).toList();
  }

  public List<HistoryEvent> history() {
    return all(Effect.PublishHistory.class).stream().map(Effect.PublishHistory::event).toList();
  }

  public CommandReply reply() {
    return first(Effect.Reply.class, Effect.Reply::reply, null);
  }

  public InstanceEvent buffer() {
    return first(Effect.BufferEvent.class, Effect.BufferEvent::event, null);
  }

  public List<String> consumedEvents() {
    return all(Effect.ConsumeEvent.class).stream().map(Effect.ConsumeEvent::key).toList();
  }

  public String deadLetter() {
    return first(Effect.DeadLetter.class, Effect.DeadLetter::reason, null);
  }

  public Control control() {
    return first(Effect.SendControl.class, Effect.SendControl::control, null);
  }

  /** The position from which step entries are erased, or -1. */
  public int eraseFrom() {
    return first(Effect.EraseSteps.class, Effect.EraseSteps::from, -1);
  }
}
