package dev.ferry.worker;

import dev.ferry.schemas.config.FerryConfig;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** A worker's configuration; each key can be set with {@code FERRY_<KEY>}. */
public final class WorkerConfig extends FerryConfig {
  public static final String GROUP_ID = "worker.group.id";
  public static final String WORKER_ID = "worker.id";
  public static final String CONCURRENCY = "worker.concurrency";
  public static final String HEARTBEAT_MS = "worker.heartbeat.interval.ms";
  public static final String LINGER_MS = "worker.producer.linger.ms";
  public static final String SESSION_TIMEOUT_MS = "worker.session.timeout.ms";
  public static final String GROUP_INSTANCE_ID = "worker.group.instance.id";
  public static final String REPORT_FLUSH_MS = "worker.report.flush.ms";
  public static final String ACCOUNTS = "worker.accounts";
  public static final String PRESENCE_INTERVAL_MS = "worker.presence.interval.ms";
  public static final String HISTORY_CACHE_MB = "worker.history.cache.mb";

  /** Where a worker serves /metrics, /livez and /readyz. */
  public static final String ADMIN_HOST = adminHostKey("worker");

  public static final String ADMIN_PORT = adminPortKey("worker");

  static final ConfigDef DEFINITION =
      withSessionTimeout(
              withAdminKeys(withCommonKeys(new ConfigDef()), "worker", 8789),
              SESSION_TIMEOUT_MS,
              "a crashed worker's task partitions move")
          .define(
              GROUP_ID,
              Type.STRING,
              "ferry-workers",
              new ConfigDef.NonEmptyString(),
              Importance.HIGH,
              "Worker group: the consumer group sharing this group's tasks, which arrive on the"
                  + " topic <topic.prefix>tasks.<group>; shown as the workflows' script_name."
                  + " Letters, digits, '.', '_' and '-'.")
          .define(
              ACCOUNTS,
              Type.LIST,
              "default",
              (name, value) -> {
                if (value == null || ((java.util.List<?>) value).isEmpty()) {
                  throw new org.apache.kafka.common.config.ConfigException(
                      name, value, "list at least one account");
                }
              },
              Importance.HIGH,
              "Accounts this worker registers its workflows in (comma-separated); the management"
                  + " API shows a workflow in an account once a worker registered it there.")
          .define(
              WORKER_ID,
              Type.STRING,
              "",
              Importance.LOW,
              "Name of this worker in reports and logs; empty picks host-pid.")
          .define(
              GROUP_INSTANCE_ID,
              Type.STRING,
              "",
              Importance.LOW,
              "Kafka static membership: a stable id of this worker process, distinct within its"
                  + " group. Restarted after a crash, it takes its task partitions back at once"
                  + " instead of waiting out its predecessor's session; a second process with the"
                  + " same id stops the first. Empty: dynamic membership.")
          .define(
              CONCURRENCY,
              Type.INT,
              32,
              Range.between(1, 10_000),
              Importance.MEDIUM,
              "Activations run at the same time in this process.")
          .define(
              HEARTBEAT_MS,
              Type.LONG,
              3_000L,
              Range.atLeast(10),
              Importance.MEDIUM,
              "A running activation that reported nothing for this long sends a heartbeat; keep it"
                  + " well under the orchestrator's lease.")
          .define(
              PRESENCE_INTERVAL_MS,
              Type.LONG,
              5_000L,
              Range.atLeast(100),
              Importance.LOW,
              "How often the worker renews its announcement on the workers topic; after three"
                  + " missed renewals the orchestrator stops routing new work to it.")
          .define(
              HISTORY_CACHE_MB,
              Type.INT,
              64,
              Range.atLeast(0),
              Importance.LOW,
              "Step histories kept between activations, in MiB (estimated), least recently used"
                  + " dropped first: an activation then carries only the entries written since"
                  + " this worker's last one. 0 = keep none (every activation carries the whole"
                  + " history, fetched again in pages).")
          .define(
              LINGER_MS,
              Type.INT,
              0,
              Range.atLeast(0),
              Importance.LOW,
              "linger.ms of the report producer (0 = send each step's outcome at once).")
          .define(
              REPORT_FLUSH_MS,
              Type.LONG,
              5L,
              Range.atLeast(0),
              Importance.LOW,
              "Step outcomes are sent together when the activation stops or finishes; a step still"
                  + " running after this long sends what came before it first (0 = after every"
                  + " step).");

  public WorkerConfig(Map<String, ?> overrides, Map<String, String> env) {
    super(DEFINITION, overrides, env);
  }

  public static WorkerConfig fromEnv(Map<String, ?> overrides) {
    return new WorkerConfig(overrides, System.getenv());
  }

  public static ConfigDef definition() {
    return DEFINITION;
  }

  /** The worker group, checked against the topic-name rules. */
  public String group() {
    String group = getString(GROUP_ID);
    dev.ferry.schemas.Names.checkGroup(group)
        .ifPresent(
            problem -> {
              throw new org.apache.kafka.common.config.ConfigException(GROUP_ID, group, problem);
            });
    return group;
  }

  public String workerId() {
    String id = getString(WORKER_ID);
    if (!id.isBlank()) {
      return id;
    }
    String host;
    try {
      host = java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.net.UnknownHostException e) {
      host = "worker";
    }
    return host + "-" + ProcessHandle.current().pid();
  }
}
