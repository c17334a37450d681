package dev.ferry.gateway.internal;

import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The bulk jobs of the gateways (terminate a workflow's unfinished instances, delete a deleted
 * workflow's instances), each with an id and its progress for the API, the CLI and the dashboard.
 * At most one job of a kind runs per workflow at a time on one gateway.
 *
 * <p>With a {@link JobLog} the jobs survive their gateway: each gateway writes its running jobs'
 * progress there every {@link #PUBLISH_EVERY} (a heartbeat), answers for every job the log holds,
 * and takes over a running job whose gateway has been silent for {@link #STALE_AFTER}: it runs the
 * job again under the same id, over the instances it covers then (those done already answer "not
 * found" or "conflict" and count as skipped). Without one (tests) jobs live in memory only.
 * Finished jobs are kept for {@link #KEPT_FOR}, at most {@link #MAX_KEPT} of them.
 */
public final class BulkJobs implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(BulkJobs.class);

  static final Duration KEPT_FOR = Duration.ofHours(24);
  static final int MAX_KEPT = 1000;

  /** How often a gateway records its running jobs' progress: their heartbeat. */
  static final Duration PUBLISH_EVERY = Duration.ofSeconds(1);

  /** A running job whose gateway has not written it for this long is taken over. */
  static final Duration STALE_AFTER = Duration.ofSeconds(15);

  /** The job asked for, or the one of its kind that was already running for the workflow. */
  record Started(BulkJob job, boolean alreadyRunning) {}

  private final Map<String, BulkJob> jobs = new ConcurrentHashMap<>();
  private final Map<String, BulkJob> running = new ConcurrentHashMap<>();
  private final Clock clock;
  private final JobLog log;
  private final String owner;
  private final BulkJobWork work;
  private final ScheduledExecutorService ticker;

  /** Jobs in memory only. */
  public BulkJobs() {
    this(Clock.systemUTC());
  }

  BulkJobs(Clock clock) {
    this(clock, null, null, null);
  }

  private BulkJobs(Clock clock, JobLog log, String owner, BulkJobWork work) {
    this.clock = clock;
    this.log = log;
    this.owner = owner;
    this.work = work;
    if (log == null) {
      this.ticker = null;
      return;
    }
    this.ticker =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "ferry-bulk-jobs");
              thread.setDaemon(true);
              return thread;
            });
    long every = PUBLISH_EVERY.toMillis();
    ticker.scheduleWithFixedDelay(this::tick, every, every, TimeUnit.MILLISECONDS);
  }

  /**
   * Jobs kept in the job log of this deployment ({@code <topicPrefix>jobs}), written as the gateway
   * {@code owner}'s (unique per process, so a restarted gateway takes over its own).
   */
  public static BulkJobs durable(
      KafkaSettings kafka,
      String topicPrefix,
      String owner,
      InstanceReadModel readModel,
      CommandClient commands) {
    return new BulkJobs(
        Clock.systemUTC(),
        new JobLog(kafka, JobLog.topic(topicPrefix), "ferry-gateway-" + owner),
        owner,
        new BulkJobWork(readModel, commands));
  }

  /** Starts a job of {@code kind} as {@link BulkJobWork} describes it. */
  Started start(BulkJob.Kind kind, String account, String workflow, String statusFilter) {
    return runDescribed(
        new BulkJob(
            UUID.randomUUID().toString(), kind, account, workflow, statusFilter, clock.instant()));
  }

  /** Runs {@code job} as {@link BulkJobWork} says its kind, workflow and filter mean. */
  private Started runDescribed(BulkJob job) {
    return run(
        job,
        () -> work.instances(job.kind(), job.account(), job.workflow(), job.statusFilter()),
        id -> work.send(job.kind(), job.account(), job.workflow(), id));
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
    return run(
        new BulkJob(
            UUID.randomUUID().toString(), kind, account, workflow, statusFilter, clock.instant()),
        instances,
        send);
  }

  private Started run(
      BulkJob fresh,
      Supplier<List<String>> instances,
      Function<String, CompletableFuture<CommandReply>> send) {
    String name = fresh.kind() + "/" + WorkflowKey.of(fresh.account(), fresh.workflow());
    BulkJob job = running.computeIfAbsent(name, n -> fresh);
    if (job != fresh) {
      return new Started(job, true);
    }
    prune();
    jobs.put(job.id(), job);
    publish(job);
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
              publish(job);
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

  private void publish(BulkJob job) {
    if (log != null) {
      log.write(job.id(), job.toRecord(owner, clock.instant()));
    }
  }

  /** Heartbeats of this gateway's running jobs, and taking over those of silent gateways. */
  private void tick() {
    try {
      running.values().forEach(this::publish);
      Instant stale = clock.instant().minus(STALE_AFTER);
      for (Map<String, Object> record : log.latest().values()) {
        BulkJob recorded = BulkJob.restore(record);
        if (recorded.endedOn() == null
            && !jobs.containsKey(recorded.id())
            && Instant.parse((String) record.get(BulkJob.HEARTBEAT)).isBefore(stale)) {
          LOG.info(
              "taking over bulk job {} ({} of {}) from gateway {}, silent since {}",
              recorded.id(),
              recorded.kind().apiName(),
              WorkflowKey.of(recorded.account(), recorded.workflow()),
              record.get(BulkJob.OWNER),
              record.get(BulkJob.HEARTBEAT));
          // The same id and creation time; the counts start again from the instances left.
          runDescribed(
              new BulkJob(
                  recorded.id(),
                  recorded.kind(),
                  recorded.account(),
                  recorded.workflow(),
                  recorded.statusFilter(),
                  recorded.createdOn()));
        }
      }
    } catch (RuntimeException e) {
      LOG.warn("bulk job bookkeeping failed, trying again: {}", e.toString());
    }
  }

  /** The account's job with this id. */
  Optional<BulkJob> find(String account, String id) {
    return Optional.ofNullable(all().get(id)).filter(j -> j.account().equals(account));
  }

  /** The account's jobs, of one workflow when {@code workflow} is not null, newest first. */
  List<BulkJob> list(String account, String workflow) {
    prune();
    return all().values().stream()
        .filter(j -> j.account().equals(account))
        .filter(j -> workflow == null || j.workflow().equals(workflow))
        .sorted(Comparator.comparing(BulkJob::createdOn).reversed().thenComparing(BulkJob::id))
        .toList();
  }

  /** Every job known: the log's, and this gateway's own over them (they are the newest). */
  private Map<String, BulkJob> all() {
    Map<String, BulkJob> all = new HashMap<>();
    if (log != null) {
      Instant oldest = clock.instant().minus(KEPT_FOR);
      log.latest()
          .forEach(
              (id, record) -> {
                BulkJob job = BulkJob.restore(record);
                if (job.endedOn() == null || !job.endedOn().isBefore(oldest)) {
                  all.put(id, job);
                }
              });
    }
    all.putAll(jobs);
    return all;
  }

  /** Forgets finished jobs past their time, and the oldest finished ones beyond the cap. */
  private void prune() {
    Instant oldest = clock.instant().minus(KEPT_FOR);
    jobs.values().stream()
        .filter(j -> j.endedOn() != null && j.endedOn().isBefore(oldest))
        .toList()
        .forEach(this::forget);
    int over = jobs.size() - MAX_KEPT;
    if (over > 0) {
      jobs.values().stream()
          .filter(j -> j.endedOn() != null)
          .sorted(Comparator.comparing(BulkJob::endedOn))
          .limit(over)
          .toList()
          .forEach(this::forget);
    }
  }

  private void forget(BulkJob job) {
    jobs.remove(job.id());
    if (log != null) {
      log.forget(job.id());
    }
  }

  @Override
  public void close() {
    if (ticker != null) {
      ticker.shutdownNow();
      log.close();
    }
  }
}
