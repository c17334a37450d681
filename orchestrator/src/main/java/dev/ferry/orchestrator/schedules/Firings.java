package dev.ferry.orchestrator.schedules;

import dev.ferry.schemas.CronSchedules;
import dev.ferry.schemas.Limits;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Pure rules of cron firing: which firings are due, and the instance id each one gets. */
public final class Firings {
  private static final DateTimeFormatter ID_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmm").withZone(ZoneOffset.UTC);

  private Firings() {}

  /**
   * The firings after {@code after} up to and including {@code now}, oldest first; when more are
   * due than {@code max} (a long outage), only the newest {@code max}.
   */
  public static List<Instant> due(String cron, Instant after, Instant now, int max) {
    Deque<Instant> due = new ArrayDeque<>();
    Instant cursor = after;
    while (true) {
      var next = CronSchedules.next(cron, cursor);
      if (next.isEmpty() || next.get().isAfter(now)) {
        break;
      }
      due.addLast(next.get());
      if (due.size() > max) {
        due.removeFirst();
      }
      cursor = next.get();
    }
    return List.copyOf(due);
  }

  /**
   * The schedules of a definition the scheduler keeps: valid expressions, each once, at most {@link
   * Limits#MAX_SCHEDULES}. The gateway refuses anything else; a definition produced to Kafka
   * directly is not checked, and must not make every tick evaluate thousands of crons.
   */
  public static List<String> usable(List<String> schedules) {
    Set<String> kept = new LinkedHashSet<>();
    for (String cron : schedules) {
      if (kept.size() == Limits.MAX_SCHEDULES) {
        break;
      }
      if (cron != null && CronSchedules.check(cron).isEmpty()) {
        kept.add(cron.strip());
      }
    }
    return List.copyOf(kept);
  }

  /**
   * {@code cron-<yyyyMMdd'T'HHmm>-<8 hex of the expression>}: the same firing always gets the same
   * id, so firing it twice (a restart, a second scheduler) can never create two instances.
   */
  public static String instanceId(String cron, Instant firing) {
    try {
      byte[] hash =
          MessageDigest.getInstance("SHA-256").digest(cron.getBytes(StandardCharsets.UTF_8));
      return "cron-" + ID_TIME.format(firing) + "-" + HexFormat.of().formatHex(hash, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }
}
