package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.client.InstanceStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/** How the CLI writes times, durations, statuses and JSON values for people. */
final class Formats {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS 'UTC'").withZone(ZoneOffset.UTC);

  private Formats() {}

  /** UTC to the millisecond, or "-" when it has not happened. */
  static String time(Instant instant) {
    return instant == null ? "-" : TIME.format(instant);
  }

  /** "-" unless both ends are known. */
  static String between(Instant start, Instant end) {
    return start == null || end == null ? "-" : duration(Duration.between(start, end));
  }

  /** 850 ms, 2.5 s, 3 min 4 s, 2 h 5 min, 3 d 4 h: two units at most, as people say them. */
  static String duration(Duration duration) {
    long ms = duration.toMillis();
    if (ms < 1_000) {
      return ms + " ms";
    }
    if (ms < 60_000) {
      return String.format(java.util.Locale.ROOT, "%.1f s", ms / 1000.0).replace(".0 s", " s");
    }
    long s = ms / 1000;
    if (s < 3600) {
      return (s / 60) + " min" + (s % 60 == 0 ? "" : " " + (s % 60) + " s");
    }
    if (s < 86_400) {
      return (s / 3600) + " h" + ((s % 3600) / 60 == 0 ? "" : " " + (s % 3600) / 60 + " min");
    }
    return (s / 86_400) + " d" + ((s % 86_400) / 3600 == 0 ? "" : " " + (s % 86_400) / 3600 + " h");
  }

  /** The API's name of a status ("waitingForPause"), as the API and wrangler print it. */
  static String status(InstanceStatus.Status status) {
    return status == null ? "-" : status.apiName();
  }

  /** Compact JSON, cut to {@code limit} characters with a note of how much was left out. */
  static String json(JsonNode value, int limit) {
    if (value == null) {
      return "-";
    }
    String text = value.toString();
    if (text.length() <= limit) {
      return text;
    }
    return text.substring(0, limit) + "… (" + (text.length() - limit) + " more characters)";
  }

  static String yesNo(Boolean value) {
    return value == null ? "-" : value ? "yes" : "no";
  }
}
