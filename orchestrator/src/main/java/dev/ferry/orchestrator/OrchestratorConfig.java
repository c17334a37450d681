package dev.ferry.orchestrator;

import dev.ferry.schemas.Limits;
import dev.ferry.schemas.config.FerryConfig;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/**
 * The orchestrator's configuration. Each key can be set with {@code FERRY_<KEY>}, e.g. {@code
 * FERRY_ORCHESTRATOR_COMMIT_INTERVAL_MS=10}.
 */
public final class OrchestratorConfig extends FerryConfig {
  public static final String APPLICATION_ID = "orchestrator.application.id";
  public static final String STATE_DIR = "orchestrator.state.dir";
  public static final String PROCESSING_GUARANTEE = "orchestrator.processing.guarantee";
  public static final String COMMIT_INTERVAL_MS = "orchestrator.commit.interval.ms";
  public static final String POLL_MS = "orchestrator.poll.ms";
  public static final String EAGER_COMMIT_MAX_RATE = "orchestrator.commit.eager.max.rate";
  public static final String LINGER_MS = "orchestrator.producer.linger.ms";
  public static final String STREAM_THREADS = "orchestrator.stream.threads";
  public static final String STANDBY_REPLICAS = "orchestrator.standby.replicas";
  public static final String LEASE_MS = "orchestrator.activation.lease.ms";
  public static final String TIMER_TICK_MS = "orchestrator.timer.tick.ms";
  public static final String TIMERS_PER_TICK = "orchestrator.timer.max.per.tick";
  public static final String SESSION_TIMEOUT_MS = "orchestrator.session.timeout.ms";
  public static final String MAX_STEPS = "orchestrator.max.steps.per.instance";
  public static final String DEFAULT_RETENTION_MS = "orchestrator.default.retention.ms";
  public static final String MAX_RUNNING = "orchestrator.max.running.per.workflow";
  public static final String UNKNOWN_WORKFLOW_GRACE_MS = "orchestrator.unknown.workflow.grace.ms";
  public static final String TRIGGERS_FILE = "orchestrator.triggers.file";
  public static final String TRIGGERS_TRANSACTIONAL_ID = "orchestrator.triggers.transactional.id";
  public static final String GROUP_INSTANCE_ID = "orchestrator.group.instance.id";
  public static final String SCHEDULER_ENABLED = "orchestrator.scheduler.enabled";
  public static final String SCHEDULER_TICK_MS = "orchestrator.scheduler.tick.ms";
  public static final String FENCE_ORPHANS = "orchestrator.fence.orphaned.transactions";

  /** Where the orchestrator serves /metrics, /livez and /readyz. */
  public static final String ADMIN_HOST = adminHostKey("orchestrator");

  public static final String ADMIN_PORT = adminPortKey("orchestrator");

  static final ConfigDef DEFINITION =
      withSessionTimeout(
              withAdminKeys(withCommonKeys(new ConfigDef()), "orchestrator", 8788),
              SESSION_TIMEOUT_MS,
              "a crashed orchestrator's partitions move")
          .define(
              APPLICATION_ID,
              Type.STRING,
              "ferry-orchestrator",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Kafka Streams application id; also the prefix of the orchestrator's internal topics.")
          .define(
              STATE_DIR,
              Type.STRING,
              "data/orchestrator",
              Importance.HIGH,
              "Directory of the local state stores (RocksDB); restored from changelogs if lost.")
          .define(
              PROCESSING_GUARANTEE,
              Type.STRING,
              "exactly_once_v2",
              ConfigDef.ValidString.in("exactly_once_v2", "at_least_once"),
              Importance.MEDIUM,
              "Kafka Streams processing guarantee.")
          .define(
              COMMIT_INTERVAL_MS,
              Type.LONG,
              10L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "How often a busy orchestrator commits (a quiet one commits after each input, see"
                  + " orchestrator.commit.eager.max.rate). Under exactly-once each hop then costs"
                  + " up to about one interval, so this bounds latency under load.")
          .define(
              EAGER_COMMIT_MAX_RATE,
              Type.INT,
              400,
              Range.atLeast(0),
              Importance.LOW,
              "While a stream thread makes fewer than this many transitions a second and its"
                  + " inputs do not wait in a backlog, it commits right after each input instead"
                  + " of at the next commit.interval.ms, so a quiet orchestrator answers sooner;"
                  + " a busy one commits by the interval. 0 = always by the interval.")
          .define(
              POLL_MS,
              Type.LONG,
              5L,
              Range.atLeast(0),
              Importance.MEDIUM,
              "Kafka Streams poll.ms: how long a poll blocks when no records wait.")
          .define(
              LINGER_MS,
              Type.INT,
              5,
              Range.atLeast(0),
              Importance.LOW,
              "linger.ms of the orchestrator's producer.")
          .define(
              STREAM_THREADS,
              Type.INT,
              1,
              Range.between(1, 64),
              Importance.MEDIUM,
              "Kafka Streams threads in this process.")
          .define(
              STANDBY_REPLICAS,
              Type.INT,
              -1,
              Range.between(-1, 8),
              Importance.MEDIUM,
              "Standby copies of each state store kept by other orchestrators, so one takes over a"
                  + " failed one's partitions without restoring them; -1: 1 when topics get 3"
                  + " replicas (a production cluster), else 0.")
          .define(
              LEASE_MS,
              Type.LONG,
              15_000L,
              Range.atLeast(100),
              Importance.MEDIUM,
              "How long an activation may go without a worker report (workers heartbeat more"
                  + " often) before it is presumed lost and the instance is activated again.")
          .define(
              TIMER_TICK_MS,
              Type.LONG,
              5L,
              Range.atLeast(1),
              Importance.LOW,
              "How often due timers (sleeps, retries, leases) are looked for: the most a timer"
                  + " fires late when the thread keeps up. A look when none is due reads nothing.")
          .define(
              TIMERS_PER_TICK,
              Type.INT,
              1000,
              Range.atLeast(1),
              Importance.LOW,
              "Most timers fired per look, so a backlog cannot stall the stream thread.")
          .define(
              TRIGGERS_FILE,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "JSON file of queue-style triggers (source topic → workflow); empty runs none."
                  + " See docs/kafka.md.")
          .define(
              TRIGGERS_TRANSACTIONAL_ID,
              Type.STRING,
              "ferry-triggers",
              new ConfigDef.NonEmptyString(),
              Importance.LOW,
              "Transactional id of the trigger producer: keep it stable for a process across"
                  + " restarts and distinct between processes that run triggers.")
          .define(
              GROUP_INSTANCE_ID,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Kafka static membership: a stable id of this orchestrator process (e.g. its pod"
                  + " name), distinct between orchestrators. Restarted after a crash, it takes its"
                  + " partitions back at once instead of waiting out its predecessor's session; a"
                  + " second process with the same id stops the first. Empty: dynamic membership.")
          .define(
              FENCE_ORPHANS,
              Type.BOOLEAN,
              true,
              Importance.LOW,
              "After a rebalance, abort the open transactions of orchestrators that left the group"
                  + " (Admin fenceProducers), so their successors need not wait for the broker to"
                  + " time them out (transaction.timeout.ms plus up to the broker's"
                  + " transaction.abort.timed.out.transaction.cleanup.interval.ms, 10 + 10 s by"
                  + " default). Needs DESCRIBE and WRITE on the orchestrator's transactional ids"
                  + " where ACLs are on; without them it logs once and the broker's timeout"
                  + " applies.")
          .define(
              SCHEDULER_ENABLED,
              Type.BOOLEAN,
              true,
              Importance.MEDIUM,
              "Fire the workflows' cron schedules from this process.")
          .define(
              SCHEDULER_TICK_MS,
              Type.LONG,
              1_000L,
              Range.atLeast(10),
              Importance.LOW,
              "How often due cron firings are looked for.")
          .define(
              MAX_STEPS,
              Type.INT,
              Limits.DEFAULT_MAX_STEPS,
              Range.between(1, 1_000_000),
              Importance.MEDIUM,
              "Most step.run calls one run of an instance may make (sleeps and waits do not"
                  + " count); beyond it the instance ends errored with WorkflowLimitError.")
          .define(
              MAX_RUNNING,
              Type.LONG,
              10_000L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Most instances of one workflow running at once (waiting ones do not count);"
                  + " beyond it instances stay queued and start oldest first, woken ones before new"
                  + " ones. Each partition enforces its share, ceil(limit / topic.partitions).")
          .define(
              UNKNOWN_WORKFLOW_GRACE_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(0),
              Importance.LOW,
              "How long a create for a workflow not in the catalogue is held before it is refused"
                  + " as NOT_FOUND. A sender that saw a worker register can be a few milliseconds"
                  + " ahead of the orchestrator's copy of the catalogue; such a create starts as"
                  + " soon as the copy has the workflow.")
          .define(
              DEFAULT_RETENTION_MS,
              Type.LONG,
              30L * 24 * 3600 * 1000,
              Range.atLeast(0),
              Importance.MEDIUM,
              "How long a finished instance is kept when it sets no instance_retention; then its"
                  + " state and history are deleted (its id stays reserved).");

  public OrchestratorConfig(Map<String, ?> overrides, Map<String, String> env) {
    super(DEFINITION, overrides, env);
    if (getLong(DEFAULT_RETENTION_MS) >= historyRetentionMs()) {
      // Finished instances would outlive the events their step details are read from.
      throw new org.apache.kafka.common.config.ConfigException(
          DEFAULT_RETENTION_MS
              + " ("
              + getLong(DEFAULT_RETENTION_MS)
              + ") must be below "
              + TOPIC_HISTORY_RETENTION_MS
              + " ("
              + historyRetentionMs()
              + ")");
    }
  }

  public static OrchestratorConfig fromEnv(Map<String, ?> overrides) {
    return new OrchestratorConfig(overrides, System.getenv());
  }

  public static ConfigDef definition() {
    return DEFINITION;
  }

  public OrchestratorTopology.Settings topologySettings() {
    return new OrchestratorTopology.Settings(
        Duration.ofMillis(getLong(LEASE_MS)),
        Duration.ofMillis(getLong(TIMER_TICK_MS)),
        getInt(TIMERS_PER_TICK),
        getInt(MAX_STEPS),
        Duration.ofMillis(getLong(DEFAULT_RETENTION_MS)),
        (getLong(MAX_RUNNING) + topicPartitions() - 1) / topicPartitions(),
        Duration.ofMillis(getLong(UNKNOWN_WORKFLOW_GRACE_MS)),
        getInt(EAGER_COMMIT_MAX_RATE));
  }
}
