package dev.ferry.orchestrator.schedules;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.TopicFollower;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.Schedule;
import dev.ferry.schemas.avro.ScheduleCursor;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fires the cron schedules of workflows (set by {@code PUT …/workflows/{name}}): each firing
 * produces one create command, with trigger source {@code cron} and {@code event.schedule()} set,
 * in the same Kafka transaction as the schedule's cursor (its last firing). So a firing is never
 * lost: after a restart the scheduler fires what fell due while it was down (at most {@code
 * maxCatchUp} per schedule); and never doubled: the cursor moves with the firing, and each firing
 * has a fixed instance id that the orchestrator creates only once.
 *
 * <p>Only one process fires at a time: the leader that {@link SchedulerLeadership} elects through a
 * consumer group. When the leader stops, another takes over within a rebalance; when it dies,
 * within the group's session timeout. Each new leader opens its transactional producer anew, which
 * fences any producer of a former leader that still runs, so two leaders never both commit. A
 * leader fenced all the same (by a process that believes it leads, during a rebalance) tries again
 * after {@link #RESUME_AFTER_MS}. Firings stay single because each has a fixed instance id.
 */
public final class CronScheduler implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CronScheduler.class);

  /** Where and how often to look; {@code maxCatchUp} bounds firings replayed after an outage. */
  public record Options(
      KafkaSettings kafka,
      Topics topics,
      String transactionalId,
      Duration tick,
      int maxCatchUp,
      int sessionTimeoutMs) {}

  private final Options options;
  private final Clock clock;
  private final Map<String, WorkflowDefinition> definitions = new ConcurrentHashMap<>();
  private final Map<String, Long> cursors = new ConcurrentHashMap<>();
  private final TopicFollower follower;
  private final SchedulerLeadership leadership;
  private final java.util.concurrent.atomic.AtomicBoolean closed =
      new java.util.concurrent.atomic.AtomicBoolean();
  private KafkaProducer<byte[], byte[]> producer;

  /** The leadership term the producer was opened for; 0 before the first. */
  private long producerTerm;

  private final ScheduledExecutorService ticker =
      Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ferry-cron"));

  /** When another scheduler fenced this one, or null while it may fire. */
  private volatile Long fencedAt;

  /** How long a leader fenced by another process waits before it takes over again. */
  public static final long RESUME_AFTER_MS = 30_000;

  private CronScheduler(Options options, Clock clock) {
    this.options = options;
    this.clock = clock;
    this.follower =
        TopicFollower.follow(
                options.kafka(), options.transactionalId() + "-reader", options.topics())
            .on(
                Topics.DEFINITIONS,
                (key, definition) -> {
                  if (definition != null) {
                    definitions.put(key, withUsableSchedules(definition));
                  }
                })
            .on(
                Topics.SCHEDULES,
                (key, cursor) -> {
                  if (cursor != null) {
                    cursors.merge(key, cursor.getLastFiredAt(), Math::max);
                  }
                })
            .start();
    this.leadership =
        new SchedulerLeadership(
            options.kafka(),
            options.topics().name(Topics.SCHEDULES),
            options.transactionalId() + "-leader",
            options.sessionTimeoutMs());
  }

  private static WorkflowDefinition withUsableSchedules(WorkflowDefinition definition) {
    List<String> usable = Firings.usable(definition.getSchedules());
    if (usable.size() == definition.getSchedules().size()) {
      return definition;
    }
    LOG.warn(
        "workflow {} of account {} has {} schedules; firing only the {} valid distinct ones"
            + " (at most {})",
        definition.getWorkflow(),
        definition.getAccount(),
        definition.getSchedules().size(),
        usable.size(),
        Limits.MAX_SCHEDULES);
    return WorkflowDefinition.newBuilder(definition).setSchedules(usable).build();
  }

  private static KafkaProducer<byte[], byte[]> newProducer(Options options) {
    return KafkaClients.bytesTransactionalProducer(options.kafka(), options.transactionalId());
  }

  /**
   * Whether this scheduler may fire now: it leads, with a producer opened for its current term (a
   * new term opens a new one, fencing any former leader's), and no other process has fenced it in
   * the last {@link #RESUME_AFTER_MS}.
   */
  private boolean mayFire() {
    if (!leadership.isLeader()) {
      return false;
    }
    long term = leadership.term();
    Long since = fencedAt;
    if (term == producerTerm && since != null && clock.millis() - since < RESUME_AFTER_MS) {
      return false;
    }
    if (term != producerTerm || since != null) {
      if (term != producerTerm && !follower.awaitCaughtUp(Duration.ofSeconds(10))) {
        return false; // a new leader first reads the cursors the former one committed
      }
      if (producer != null) {
        producer.close(Duration.ZERO);
      }
      producer = newProducer(options);
      producer.initTransactions(); // fences a former leader's producer, if it still runs
      producerTerm = term;
      fencedAt = null;
    }
    return true;
  }

  /** Reads the definitions and cursors, then fires due schedules every {@code tick}. */
  public static CronScheduler start(Options options, Clock clock) {
    CronScheduler scheduler = create(options, clock);
    long every = options.tick().toMillis();
    scheduler.ticker.scheduleWithFixedDelay(
        scheduler::tickQuietly, every, every, TimeUnit.MILLISECONDS);
    return scheduler;
  }

  /** Ready to {@link #tick()}, but not ticking by itself (tests drive it). */
  public static CronScheduler create(Options options, Clock clock) {
    CronScheduler scheduler = new CronScheduler(options, clock);
    try {
      if (!scheduler.follower.awaitCaughtUp(Duration.ofSeconds(30))) {
        throw new IllegalStateException("cannot read the definitions and schedules topics");
      }
      // Whether it leads is known once the group has assigned it (it may also learn it later).
      scheduler.leadership.awaitFirstAssignment(Duration.ofSeconds(30));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return scheduler;
  }

  /** Fires every firing now due; returns how many. */
  public synchronized int tick() {
    // No catch-up per tick: create() read both topics to their end, the follower keeps up from
    // there, and this scheduler's own firings move its cursors at once.
    if (!mayFire()) {
      return 0;
    }
    Instant now = clock.instant();
    int fired = 0;
    for (WorkflowDefinition definition : definitions.values()) {
      if (definition.getDeleted()) {
        continue;
      }
      for (String cron : definition.getSchedules()) {
        String key = WorkflowKey.of(definition.getAccount(), definition.getWorkflow()).child(cron);
        long after = cursors.getOrDefault(key, definition.getModifiedOn());
        List<Instant> due =
            Firings.due(cron, Instant.ofEpochMilli(after), now, options.maxCatchUp());
        if (!due.isEmpty() && fire(definition, cron, key, due)) {
          fired += due.size();
        }
      }
    }
    return fired;
  }

  /** Fires the due firings in one transaction with the cursor; false if nothing was committed. */
  private boolean fire(WorkflowDefinition definition, String cron, String key, List<Instant> due) {
    Topics topics = options.topics();
    var commands = topics.serde(Topics.COMMANDS).serializer();
    var cursorValues = topics.serde(Topics.SCHEDULES).serializer();
    String commandsTopic = topics.name(Topics.COMMANDS);
    String schedulesTopic = topics.name(Topics.SCHEDULES);
    long last = due.get(due.size() - 1).toEpochMilli();
    try {
      producer.beginTransaction();
      for (Instant firing : due) {
        Command command = create(definition, cron, firing);
        String instanceKey =
            InstanceKey.of(command.getAccount(), command.getWorkflow(), command.getInstanceId())
                .toString();
        producer.send(
            new ProducerRecord<>(
                commandsTopic, utf8(instanceKey), commands.serialize(commandsTopic, command)));
      }
      ScheduleCursor cursor =
          new ScheduleCursor(definition.getAccount(), definition.getWorkflow(), cron, last);
      producer.send(
          new ProducerRecord<>(
              schedulesTopic, utf8(key), cursorValues.serialize(schedulesTopic, cursor)));
      producer.commitTransaction();
      cursors.merge(key, last, Math::max);
      LOG.info("cron '{}' of {} fired {} time(s)", cron, definition.getWorkflow(), due.size());
      return true;
    } catch (KafkaException e) {
      if (!fenced(e)) {
        LOG.warn("cron firing aborted, it will be tried again: {}", e.toString());
        try {
          producer.abortTransaction();
          return false;
        } catch (KafkaException again) {
          if (!fenced(again)) {
            throw again;
          }
        }
      }
      fencedAt = clock.millis();
      LOG.warn(
          "another scheduler took over the transactional id; this one pauses firing for {} ms"
              + " unless it stops leading first",
          RESUME_AFTER_MS);
      return false;
    }
  }

  /** Whether the failure says another producer with this transactional id took over. */
  private static boolean fenced(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ProducerFencedException
          || t instanceof org.apache.kafka.common.errors.InvalidProducerEpochException) {
        return true;
      }
    }
    return false;
  }

  private static Command create(WorkflowDefinition definition, String cron, Instant firing) {
    // The schedule comes from the workflow's definition; the orchestrator adds the definition's
    // defaults (CreateDefaults) as it does for every create.
    CreateInstance.Builder create =
        CreateInstance.newBuilder()
            .setParams("{}")
            .setTriggerSource(TriggerSource.CRON)
            .setSchedule(new Schedule(cron, firing.toEpochMilli()));
    String id = Firings.instanceId(cron, firing);
    return Command.newBuilder()
        .setRequestId(
            "cron:" + InstanceKey.of(definition.getAccount(), definition.getWorkflow(), id))
        .setAccount(definition.getAccount())
        .setWorkflow(definition.getWorkflow())
        .setInstanceId(id)
        .setIssuedAt(firing.toEpochMilli())
        .setAction(create.build())
        .build();
  }

  private void tickQuietly() {
    try {
      tick();
    } catch (RuntimeException e) {
      LOG.warn("cron tick failed: {}", e.toString());
    }
  }

  @Override
  public void close() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    ticker.shutdownNow();
    leadership.close(); // another scheduler leads from here
    synchronized (this) {
      if (producer != null) {
        producer.close(Duration.ofSeconds(5));
      }
    }
    follower.close();
  }

  /** Whether this scheduler is the one that fires (for tests and logs). */
  public boolean leads() {
    return leadership.isLeader();
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
