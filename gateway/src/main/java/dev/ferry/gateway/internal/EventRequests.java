package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.avro.InstanceEvent;
import io.javalin.http.Context;
import java.util.UUID;

/** The event a {@code POST …/events/{type}} request sends: its payload, checked, and its id. */
final class EventRequests {
  static final String IDEMPOTENCY_KEY = "Idempotency-Key";

  private EventRequests() {}

  /** Body = the event payload (any JSON; empty means null). */
  static InstanceEvent parse(
      Context ctx, String account, String workflow, String instanceId, String type) {
    String body = ctx.body();
    JsonNode payload;
    try {
      payload = body.isBlank() ? Json.mapper().nullNode() : Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("event payload is " + e.getMessage());
    }
    String json = Json.write(payload);
    if (!Limits.fitsPayload(json)) {
      throw new ApiException(
          ApiError.PAYLOAD_TOO_LARGE, "event payload must be at most 1 MiB of JSON");
    }
    return InstanceEvent.newBuilder()
        .setEventId(eventId(ctx))
        .setAccount(account)
        .setWorkflow(workflow)
        .setInstanceId(instanceId)
        .setType(type)
        .setPayload(json)
        .setSentAt(System.currentTimeMillis())
        .setRequestId(UUID.randomUUID().toString())
        .build();
  }

  /**
   * The event's id: the request's {@code Idempotency-Key} when it has one, so a client retrying
   * after a timeout cannot deliver the event twice; else a new one.
   */
  private static String eventId(Context ctx) {
    String key = ctx.header(IDEMPOTENCY_KEY);
    if (key == null) {
      return UUID.randomUUID().toString();
    }
    if (key.isEmpty()
        || key.length() > Limits.MAX_EVENT_ID_LENGTH
        || !key.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw ApiException.invalid(
          IDEMPOTENCY_KEY
              + " must be 1.."
              + Limits.MAX_EVENT_ID_LENGTH
              + " printable ASCII characters without spaces");
    }
    return key;
  }
}
