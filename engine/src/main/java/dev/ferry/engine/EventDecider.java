package dev.ferry.engine;

import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import java.util.Optional;

/**
 * Events sent to an instance, as pure decisions: a waiting step of the event's type receives it and
 * the instance wakes; otherwise the event is kept for a later wait, oldest first.
 */
public final class EventDecider {
  private final DeciderSettings settings;

  public EventDecider(DeciderSettings settings) {
    this.settings = settings;
  }

  /**
   * An event for an instance. {@code waiting} is the step at the state's {@code waitingFor}
   * position, if any. Senders that expect a reply get one; others get a dead-letter record when the
   * event cannot be taken.
   */
  public Decision decide(InstanceState current, InstanceEvent event, StepRecord waiting, long now) {
    Optional<String> problem =
        Names.checkKey(event.getAccount(), event.getWorkflow(), event.getInstanceId())
            .or(() -> Names.checkEventType(event.getType()))
            .or(() -> checkEventId(event.getEventId()))
            .or(() -> checkPayload(event.getPayload()));
    if (problem.isPresent()) {
      return refuse(event, ReplyOutcome.INVALID, problem.get());
    }
    if (current == null || current.getExpired()) {
      return refuse(
          event,
          ReplyOutcome.NOT_FOUND,
          "instance '"
              + event.getInstanceId()
              + "' not found in workflow '"
              + event.getWorkflow()
              + "'");
    }
    if (ApiStatus.isTerminal(current.getStatus())) {
      return refuse(
          event,
          ReplyOutcome.CONFLICT,
          "instance '"
              + event.getInstanceId()
              + "' is "
              + ApiStatus.name(current.getStatus())
              + " and takes no more events");
    }
    if (current.getRecentEventIds().contains(event.getEventId())) {
      // A resend (a retried request, a replayed topic): taken already, so only acknowledged.
      return event.getRequestId() != null
          ? Decision.replyOnly(eventReply(event, ReplyOutcome.OK, null, current.getStatus()))
          : Decision.none();
    }
    boolean delivers =
        current.getStatus() == InstanceStatusCode.WAITING
            && waiting != null
            && waiting.getStatus() == StepStatus.WAITING
            && event.getType().equals(waiting.getEventType());
    if (!delivers && current.getBufferedEvents() >= Limits.MAX_BUFFERED_EVENTS) {
      // Each kept event is stored until a wait takes it or the instance goes: a sender must not
      // be able to fill the store with events an instance never waits for.
      return refuse(
          event,
          ReplyOutcome.CONFLICT,
          "instance '"
              + event.getInstanceId()
              + "' already keeps "
              + Limits.MAX_BUFFERED_EVENTS
              + " events it has not waited for, and takes no more until it waits for some");
    }
    Changes changes = new Changes(InstanceState.newBuilder(current).build(), settings);
    InstanceState state = changes.state;
    remember(state, event.getEventId());
    if (delivers) {
      deliver(changes, waiting, event, now);
      changes.wake(now);
    } else {
      state.setEventSeq(state.getEventSeq() + 1);
      changes.buffer = event;
    }
    if (event.getRequestId() != null) {
      changes.reply = eventReply(event, ReplyOutcome.OK, null, state.getStatus());
    }
    return changes.decision();
  }

  private static void remember(InstanceState state, String eventId) {
    java.util.List<String> ids = new java.util.ArrayList<>(state.getRecentEventIds());
    ids.add(eventId);
    if (ids.size() > Limits.REMEMBERED_EVENT_IDS) {
      ids.remove(0);
    }
    state.setRecentEventIds(ids);
  }

  private static Optional<String> checkEventId(String eventId) {
    if (eventId == null || eventId.isEmpty() || eventId.length() > Limits.MAX_EVENT_ID_LENGTH) {
      return Optional.of("eventId must be 1.." + Limits.MAX_EVENT_ID_LENGTH + " characters");
    }
    return Optional.empty();
  }

  private static Optional<String> checkPayload(String payload) {
    if (payload == null) {
      return Optional.of("payload is required (any JSON value)");
    }
    if (!Limits.fitsPayload(payload)) {
      return Optional.of("event payload must be at most 1 MiB of JSON");
    }
    try {
      Json.parse(payload);
      return Optional.empty();
    } catch (IllegalArgumentException e) {
      return Optional.of("payload: " + e.getMessage());
    }
  }

  private static Decision refuse(InstanceEvent event, ReplyOutcome outcome, String message) {
    return event.getRequestId() != null
        ? Decision.replyOnly(eventReply(event, outcome, message, null))
        : Decision.deadLetterOnly(message);
  }

  static CommandReply eventReply(
      InstanceEvent event, ReplyOutcome outcome, String message, InstanceStatusCode status) {
    return CommandReply.newBuilder()
        .setRequestId(event.getRequestId())
        .setAccount(event.getAccount())
        .setWorkflow(event.getWorkflow())
        .setInstanceId(event.getInstanceId())
        .setOutcome(outcome)
        .setMessage(message)
        .setStatus(status)
        .build();
  }

  /** The waiting step receives the event: recorded as the step's result. */
  static void deliver(Changes changes, StepRecord waiting, InstanceEvent event, long now) {
    StepRecord received =
        StepRecord.newBuilder(waiting)
            .setStatus(StepStatus.RECEIVED)
            .setEndedAt(now)
            .setOutput(event.getPayload())
            .setEventTimestamp(event.getSentAt())
            .build();
    changes.update(received);
    changes.event(HistoryEventType.WAIT_COMPLETE, now, received, null);
    changes.state.setWaitingFor(null);
  }
}
