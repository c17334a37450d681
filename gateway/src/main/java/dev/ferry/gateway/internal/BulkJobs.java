package dev.ferry.gateway.internal;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.CommandReply;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * The bulk jobs this gateway runs (terminate a workflow's unfinished instances, delete a deleted
 * workflow's instances), each with an id and its progress for the API, the CLI and the dashboard.
 * At most one job of a kind runs per workflow at a time.
 *
 * <p>Jobs live in this gateway's memory: another gateway does not know them, and one that restarts
 * forgets them (what they already sent stays done). Finished jobs are kept for {@link #KEPT_FOR},
 * at most {@link #MAX_KEPT} of them.
 */
public final class BulkJobs {
  static final Duration KEPT_FOR = Duration.ofHours(24);
  static final int MAX_KEPT = 1000;

  /** The job asked for, or the one of its kind that was already running for the workflow. */
  record Started(BulkJob job, boolean alreadyRunning) {}

  private final Map<String, BulkJob> jobs = new ConcurrentHashMap<>();
  private final Map<String, BulkJob> running = new ConcurrentHashMap<>();
  private final Clock clock;

  public BulkJobs() {
    this(Clock.systemUTC());
  }

  BulkJobs(Clock clock) {
    this.clock = clock;
  }

  /**
   * Starts a job over the instances {@code instances} lists (asked in the background), sending each
   * the command {@code send} makes, unless one of this kind runs for the workflow already.
   */
  Started start(
      BulkJob.Kind kind,
      String account,
      String workflow,
      String statusFilter,
      Supplier<List<String>> instances,
      Function<String, CompletableFuture<CommandReply>> send) {
    String name = kind + "/" + WorkflowKey.of(account, workflow);
    BulkJob fresh =
        new BulkJob(
            UUID.randomUUID().toString(), kind, account, workflow, statusFilter, clock.instant());
    BulkJob job = running.computeIfAbsent(name, n -> fresh);
    if (job != fresh) {
      return new Started(job, true);
    }
    prune();
    jobs.put(job.id(), job);
    CompletableFuture.supplyAsync(instances)
        .thenCompose(
            ids -> {
              job.listed(ids.size());
              return CompletableFuture.allOf(
                  ids.stream()
                      .map(id -> sent(send, id).whenComplete((r, e) -> job.answered(id, r, e)))
                      .toArray(CompletableFuture[]::new));
            })
        .whenComplete(
            (done, error) -> {
              // Each instance's failure is counted by answered(); the job's own only when it could
              // not even list the instances.
              job.ended(job.listed() ? null : error, clock.instant());
              running.remove(name, job);
            });
    return new Started(job, false);
  }

  private static CompletableFuture<CommandReply> sent(
      Function<String, CompletableFuture<CommandReply>> send, String id) {
    try {
      return send.apply(id);
    } catch (RuntimeException e) {
      return CompletableFuture.failedFuture(e);
    }
  }

  /** The account's job with this id. */
  Optional<BulkJob> find(String account, String id) {
    return Optional.ofNullable(jobs.get(id)).filter(j -> j.account().equals(account));
  }

  /** The account's jobs, of one workflow when {@code workflow} is not null, newest first. */
  List<BulkJob> list(String account, String workflow) {
    prune();
    return jobs.values().stream()
        .filter(j -> j.account().equals(account))
        .filter(j -> workflow == null || j.workflow().equals(workflow))
        .sorted(Comparator.comparing(BulkJob::createdOn).reversed().thenComparing(BulkJob::id))
        .toList();
  }

  /** Forgets finished jobs past their time, and the oldest finished ones beyond the cap. */
  private void prune() {
    Instant oldest = clock.instant().minus(KEPT_FOR);
    jobs.values().removeIf(j -> j.endedOn() != null && j.endedOn().isBefore(oldest));
    int over = jobs.size() - MAX_KEPT;
    if (over > 0) {
      jobs.values().stream()
          .filter(j -> j.endedOn() != null)
          .sorted(Comparator.comparing(BulkJob::endedOn))
          .limit(over)
          .toList()
          .forEach(j -> jobs.remove(j.id()));
    }
  }
}
