package dev.ferry.schemas;

import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Cloudflare's limits that Ferry enforces, each defined once: the gateway, the orchestrator, the
 * triggers and the workers check against these.
 */
public final class Limits {
  /** Params, event payloads and step results: JSON of at most 1 MiB (UTF-8). */
  public static final int MAX_PAYLOAD_BYTES = 1024 * 1024;

  /** {@code step.run} calls per run unless configured otherwise. */
  public static final int DEFAULT_MAX_STEPS = 10_000;

  /** The highest {@code limits.steps} a workflow (or a create) may set. */
  public static final int MAX_STEP_LIMIT = 1_000_000;

  /** The highest {@code retries.limit} a step may ask for. */
  public static final int MAX_RETRY_LIMIT = 10_000;

  /** The longest sleep, and how far ahead {@code sleepUntil} may wake. */
  public static final Duration MAX_SLEEP = Duration.ofDays(365);

  /** Cron schedules of one workflow. */
  public static final int MAX_SCHEDULES = 20;

  /** Longest event id: an instance keeps the ids of its recent events. */
  public static final int MAX_EVENT_ID_LENGTH = 128;

  /** Event ids an instance remembers: a resend of one of these is acknowledged and dropped. */
  public static final int REMEMBERED_EVENT_IDS = 100;

  /** Events an instance keeps for waits it has not reached; beyond, new ones are refused. */
  public static final int MAX_BUFFERED_EVENTS = 1_000;

  private Limits() {}

  /** Bytes of the text in UTF-8. */
  public static int utf8Length(String text) {
    return text.getBytes(StandardCharsets.UTF_8).length;
  }

  /** Whether the JSON text fits the payload limit. */
  public static boolean fitsPayload(String json) {
    return json.length() <= MAX_PAYLOAD_BYTES && utf8Length(json) <= MAX_PAYLOAD_BYTES;
  }

  /** The message of a refusal: "<what> must be at most 1 MiB of JSON". */
  public static String tooLarge(String what) {
    return what + " must be at most 1 MiB of JSON";
  }
}
