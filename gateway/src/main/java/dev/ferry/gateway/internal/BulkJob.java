package dev.ferry.gateway.internal;

import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.ReplyOutcome;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bulk job and its progress: how many instances it found, and for how many the orchestrator
 * said done, nothing to do (skipped), or failed. Counts move as replies arrive, from any thread.
 */
final class BulkJob {
  /** At most this many failures are kept with their instance and message. */
  static final int MAX_ERRORS = 20;

  /** What the job does to each instance it finds. */
  enum Kind {
    TERMINATE,
    DELETE;

    String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  /**
   * {@code running} until every instance has an answer; then {@code complete} or {@code errored}.
   */
  enum State {
    RUNNING,
    COMPLETE,
    ERRORED;

    String apiName() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private record Failure(String instanceId, String message) {}

  private final String id;
  private final Kind kind;
  private final String account;
  private final String workflow;
  private final String statusFilter;
  private final Instant createdOn;
  private volatile Integer total; // null until the instances are listed
  private final AtomicInteger succeeded = new AtomicInteger();
  private final AtomicInteger skipped = new AtomicInteger();
  private final AtomicInteger failed = new AtomicInteger();
  private final ConcurrentLinkedQueue<Failure> failures = new ConcurrentLinkedQueue<>();
  private volatile Instant endedOn;
  private volatile String jobError;

  BulkJob(
      String id,
      Kind kind,
      String account,
      String workflow,
      String statusFilter,
      Instant createdOn) {
    this.id = id;
    this.kind = kind;
    this.account = account;
    this.workflow = workflow;
    this.statusFilter = statusFilter;
    this.createdOn = createdOn;
  }

  String id() {
    return id;
  }

  Kind kind() {
    return kind;
  }

  String account() {
    return account;
  }

  String workflow() {
    return workflow;
  }

  Instant createdOn() {
    return createdOn;
  }

  /** The status it is limited to, or null for every instance of its kind. */
  String statusFilter() {
    return statusFilter;
  }

  /** When it ended, or null while it runs. */
  Instant endedOn() {
    return endedOn;
  }

  State state() {
    if (endedOn == null) {
      return State.RUNNING;
    }
    return jobError == null && failed.get() == 0 ? State.COMPLETE : State.ERRORED;
  }

  void listed(int instances) {
    total = instances;
  }

  boolean listed() {
    return total != null;
  }

  /**
   * Counts the orchestrator's answer for one instance. "Not found" (already deleted) and "conflict"
   * (already finished) mean there was nothing left to do: skipped, not failed.
   */
  void answered(String instanceId, CommandReply reply, Throwable error) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      fail(
          instanceId,
          cause instanceof TimeoutException
              ? "the orchestrator did not answer in time"
              : String.valueOf(cause.getMessage()));
    } else if (reply.getOutcome() == ReplyOutcome.OK) {
      succeeded.incrementAndGet();
    } else if (reply.getOutcome() == ReplyOutcome.NOT_FOUND
        || reply.getOutcome() == ReplyOutcome.CONFLICT) {
      skipped.incrementAndGet();
    } else {
      fail(instanceId, reply.getOutcome() + ": " + reply.getMessage());
    }
  }

  private void fail(String instanceId, String message) {
    failed.incrementAndGet();
    if (failures.size() < MAX_ERRORS) {
      failures.add(new Failure(instanceId, message));
    }
  }

  /** Every instance has its answer, or the job could not go on ({@code error} not null). */
  void ended(Throwable error, Instant at) {
    if (error != null) {
      Throwable cause = error instanceof CompletionException ? error.getCause() : error;
      jobError = String.valueOf(cause.getMessage());
    }
    endedOn = at;
  }

  /** The job as the job log keeps it: what the API shows, whose it is and when it said so. */
  Map<String, Object> toRecord(String owner, Instant heartbeat) {
    Map<String, Object> record = toJson();
    record.put("account", account);
    record.put(OWNER, owner);
    record.put(HEARTBEAT, heartbeat.toString());
    return record;
  }

  static final String OWNER = "gateway";
  static final String HEARTBEAT = "heartbeat";

  /** A job as another gateway recorded it (its counts as they were then). */
  @SuppressWarnings("unchecked")
  static BulkJob restore(Map<String, Object> record) {
    Object filter = record.get("filter");
    BulkJob job =
        new BulkJob(
            (String) record.get("id"),
            Kind.valueOf(((String) record.get("type")).toUpperCase(Locale.ROOT)),
            (String) record.get("account"),
            (String) record.get("workflow"),
            filter instanceof Map<?, ?> f ? (String) f.get("status") : null,
            Instant.parse((String) record.get("created_on")));
    Object total = record.get("total");
    job.total = total == null ? null : ((Number) total).intValue();
    job.succeeded.set(((Number) record.getOrDefault("succeeded", 0)).intValue());
    job.skipped.set(((Number) record.getOrDefault("skipped", 0)).intValue());
    job.failed.set(((Number) record.getOrDefault("failed", 0)).intValue());
    for (Object error : (List<Object>) record.getOrDefault("errors", List.of())) {
      Map<String, Object> e = (Map<String, Object>) error;
      if (e.get("instance_id") == null) {
        job.jobError = String.valueOf(e.get("message"));
      } else {
        job.failures.add(
            new Failure(String.valueOf(e.get("instance_id")), String.valueOf(e.get("message"))));
      }
    }
    Object ended = record.get("ended_on");
    job.endedOn = ended == null ? null : Instant.parse((String) ended);
    return job;
  }

  /** The job as the API shows it (a Ferry addition: Cloudflare's jobs have no status route). */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("id", id);
    json.put("type", kind.apiName());
    json.put("workflow", workflow);
    json.put("filter", statusFilter == null ? Map.of() : Map.of("status", statusFilter));
    json.put("status", state().apiName());
    int done = succeeded.get();
    int none = skipped.get();
    int bad = failed.get();
    json.put("total", total);
    json.put("processed", done + none + bad);
    json.put("succeeded", done);
    json.put("skipped", none);
    json.put("failed", bad);
    json.put("created_on", createdOn.toString());
    Instant ended = endedOn;
    json.put("ended_on", ended == null ? null : ended.toString());
    List<Object> errors = new ArrayList<>();
    if (jobError != null) {
      errors.add(Map.of("message", jobError));
    }
    for (Failure f : failures) {
      errors.add(Map.of("instance_id", f.instanceId(), "message", f.message()));
    }
    json.put("errors", errors);
    return json;
  }
}
