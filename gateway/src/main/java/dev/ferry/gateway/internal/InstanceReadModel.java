package dev.ferry.gateway.internal;

import dev.ferry.schemas.TopicFollower;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.config.KafkaSettings;
import io.micrometer.core.instrument.MeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gateway's view of instances, built by reading the status and history topics (committed
 * records only) into an {@link InstanceStore} on disk: the heap holds per-workflow and per-account
 * counts, never per-instance data, and a restarted gateway resumes at the positions it saved
 * instead of reading the topics from the start (see docs/design.md, "The gateway's read model").
 */
public final class InstanceReadModel implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(InstanceReadModel.class);

  private final InstanceStore store;
  private final WorkflowActivity activity;
  private final AccountUsage usage = new AccountUsage();
  private final TopicFollower follower;
  private final InstanceQueries queries;

  /**
   * Follows the status and history topics into a store in {@code stateDir} (a temporary one when
   * empty: each start then reads the topics again); the counts per status go to {@code registry}.
   */
  public InstanceReadModel(
      KafkaSettings kafka, Topics topics, MeterRegistry registry, Optional<Path> stateDir) {
    this.activity = new WorkflowActivity(new StatusGauges(registry));
    InstanceStore opened = stateDir.map(InstanceStore::open).orElseGet(InstanceStore::temporary);
    StoreValidity.Now now = StoreFacts.read(kafka, topics);
    Optional<String> why = StoreValidity.whyNotResume(opened.meta(), opened.offsets(), now);
    if (why.isPresent()) {
      LOG.info("reading status and history from the start into {}: {}", opened.dir(), why.get());
      opened = opened.emptied();
    }
    this.store = opened;
    this.queries = new InstanceQueries(store, activity);
    store.forEach(StoreKeys.ACTIVITY, (key, value) -> activity.load(StoreKeys.textOf(key), value));
    store.forEach(StoreKeys.USAGE, (key, value) -> usage.load(StoreKeys.textOf(key), value));
    StoreFacts.save(store, now);
    Map<TopicPartition, Long> resumeAt = store.offsets();
    if (why.isEmpty()) {
      LOG.info("resuming the read model in {} at its saved positions {}", store.dir(), resumeAt);
    }
    var started = new java.util.concurrent.atomic.AtomicReference<TopicFollower>();
    StoreWriter writer =
        new StoreWriter(
            store,
            activity,
            usage,
            System::currentTimeMillis,
            () -> started.get() != null && started.get().hasCaughtUpOnce());
    this.follower =
        TopicFollower.follow(kafka, "ferry-gateway-read-model", topics)
            .on(Topics.STATUS, writer::apply)
            .on(Topics.HISTORY, writer::apply)
            .resumingAt(resumeAt)
            .afterEachRound(writer::roundDone)
            .start();
    started.set(follower);
    io.micrometer.core.instrument.FunctionCounter.builder(
            "ferry.read.model.records.read", follower, TopicFollower::recordsHandled)
        .description(
            "Status and history records the gateway's read model has read since it started (one"
                + " resumed from its saved state reads only what is new)")
        .register(registry);
    io.micrometer.core.instrument.Gauge.builder(
            "ferry.read.model.store", store, InstanceStore::bytesOnDisk)
        .baseUnit("bytes")
        .description("Size of the gateway's read model on disk")
        .register(registry);
  }

  public Optional<InstanceView> get(String key) {
    return queries.get(key);
  }

  /** The queries this view answers: pages, counts and ids of a workflow's instances. */
  public InstanceQueries queries() {
    return queries;
  }

  /** The activity of every workflow of an account that has instances. */
  public Map<String, WorkflowActivity.Activity> activity(String account) {
    return activity.ofAccount(account);
  }

  /** The activity of one workflow. */
  public WorkflowActivity.Activity activity(String account, String workflow) {
    return activity.of(account, workflow);
  }

  /**
   * The instance once every history event its snapshot counts has been read, or as it is after
   * {@code timeout} (see {@link CompleteViews}).
   */
  public Optional<InstanceView> awaitComplete(String key, Duration timeout) {
    return CompleteViews.await(
        () -> get(key),
        new CompleteViews.Rounds() {
          @Override
          public long finished() {
            return follower.rounds();
          }

          @Override
          public void awaitAfter(long round, Duration wait) {
            follower.awaitRoundAfter(round, wait);
          }
        },
        timeout);
  }

  /**
   * Waits until everything committed to status and history before this call has been read, so a
   * caller can read its own writes. Returns false on timeout.
   */
  public boolean awaitCaughtUp(Duration timeout) {
    return follower.awaitCaughtUp(timeout);
  }

  /** The follower of this view, for {@link Warmup}. */
  TopicFollower follower() {
    return follower;
  }

  /** Records read since this gateway started (a resumed one reads only what is new). */
  public long recordsRead() {
    return follower.recordsHandled();
  }

  /** Bytes of the store's files on disk. */
  public long bytesOnDisk() {
    return store.bytesOnDisk();
  }

  /** How many live instances the account has and how much the read model holds for it. */
  public AccountUsage.Usage usage(String account) {
    return usage.of(account);
  }

  @Override
  public void close() {
    follower.close();
    store.close();
  }
}
