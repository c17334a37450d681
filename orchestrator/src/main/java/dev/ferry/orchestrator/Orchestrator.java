package dev.ferry.orchestrator;

import dev.ferry.ops.AdminServer;
import dev.ferry.ops.Observability;
import dev.ferry.ops.ReadinessCheck;
import dev.ferry.ops.RegistryCheck;
import dev.ferry.orchestrator.internal.CatalogQueries;
import dev.ferry.orchestrator.internal.OrchestratorMetrics;
import dev.ferry.orchestrator.internal.OrphanFencer;
import dev.ferry.orchestrator.schedules.CronScheduler;
import dev.ferry.orchestrator.triggers.TriggerConfigFile;
import dev.ferry.orchestrator.triggers.TriggerRunner;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Replication;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the orchestrator topology: creates missing topics, starts Kafka Streams, and waits until it
 * is running.
 *
 * <pre>{@code
 * try (Orchestrator orchestrator = Orchestrator.start(OrchestratorConfig.fromEnv(Map.of()))) {
 *   orchestrator.awaitRunning(Duration.ofSeconds(60));
 * }
 * }</pre>
 */
public final class Orchestrator implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Orchestrator.class);

  /** Most firings of one schedule replayed after an outage. */
  static final int MAX_CATCH_UP = 100;

  private final KafkaStreams streams;
  private final CountDownLatch running = new CountDownLatch(1);
  private final List<AutoCloseable> services = new ArrayList<>();
  private int adminPort = -1;

  private Orchestrator(KafkaStreams streams) {
    this.streams = streams;
  }

  /** Starts with metrics and readiness of its own, served on its admin port. */
  public static Orchestrator start(OrchestratorConfig config) {
    return start(config, Observability.create());
  }

  /**
   * Starts, adding its metrics and readiness to {@code observability} (shared by the parts of one
   * process), and serving them on {@code orchestrator.admin.port} unless it is -1.
   */
  public static Orchestrator start(OrchestratorConfig config, Observability observability) {
    LOG.info("starting orchestrator with\n{}", config.describe());
    Topics topics =
        new Topics(config.topicPrefix(), SchemaRegistryClients.of(config.registrySettings()));
    Replication replication = TopicProvisioner.ensureFerryTopics(config, topics);
    KafkaStreams streams =
        new KafkaStreams(
            OrchestratorTopology.build(
                topics,
                config.topologySettings(),
                new OrchestratorMetrics(observability.registry())),
            streamsProperties(config, replication));
    KafkaStreamsMetrics streamsMetrics = new KafkaStreamsMetrics(streams);
    streamsMetrics.bindTo(observability.registry());
    ReadinessCheck running =
        new ReadinessCheck(
            "orchestrator",
            () ->
                streams.state() == KafkaStreams.State.RUNNING
                    ? ReadinessCheck.Result.ready("Kafka Streams RUNNING")
                    : ReadinessCheck.Result.notReady("Kafka Streams " + streams.state()));
    ReadinessCheck registryAnswers = RegistryCheck.of(topics);
    observability.health().add(running).add(registryAnswers);
    Orchestrator orchestrator = new Orchestrator(streams);
    OrphanFencer fencer = orphanFencer(config);
    if (fencer != null) {
      orchestrator.services.add(fencer);
    }
    // Stopped inside a longer-lived process (ferry dev, tests), it leaves no stale check behind.
    orchestrator.services.add(streamsMetrics);
    orchestrator.services.add(() -> observability.health().remove(running).remove(registryAnswers));
    streams.setStateListener(
        (now, before) -> {
          LOG.info("orchestrator streams {} -> {}", before, now);
          if (now == KafkaStreams.State.REBALANCING && fencer != null) {
            fencer.rebalancing();
          }
          if (now == KafkaStreams.State.RUNNING) {
            orchestrator.running.countDown();
          }
        });
    streams.setUncaughtExceptionHandler(
        error -> {
          LOG.error("orchestrator stream thread failed; replacing it", error);
          return org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler
              .StreamThreadExceptionResponse.REPLACE_THREAD;
        });
    streams.start();
    orchestrator.startServices(config, topics, replication);
    AdminServer admin =
        observability.serve(
            config.getString(OrchestratorConfig.ADMIN_HOST),
            config.getInt(OrchestratorConfig.ADMIN_PORT),
            "orchestrator",
            FerryConfig.envName(OrchestratorConfig.ADMIN_PORT));
    if (admin != null) {
      orchestrator.services.add(admin);
      orchestrator.adminPort = admin.port();
    }
    return orchestrator;
  }

  /**
   * Under exactly-once, what aborts the transactions of a killed orchestrator at once (else its
   * successor's restore waits for the broker's transaction timeout); null when off.
   */
  private static OrphanFencer orphanFencer(OrchestratorConfig config) {
    boolean transactional =
        StreamsConfig.EXACTLY_ONCE_V2.equals(
            config.getString(OrchestratorConfig.PROCESSING_GUARANTEE));
    if (!transactional || !config.getBoolean(OrchestratorConfig.FENCE_ORPHANS)) {
      return null;
    }
    return OrphanFencer.start(
        KafkaClients.admin(config.kafka()), config.getString(OrchestratorConfig.APPLICATION_ID));
  }

  /** Triggers and the cron scheduler run beside the stream threads, in the same process. */
  private void startServices(OrchestratorConfig config, Topics topics, Replication replication) {
    String applicationId = config.getString(OrchestratorConfig.APPLICATION_ID);
    String triggersFile = config.getString(OrchestratorConfig.TRIGGERS_FILE);
    if (!triggersFile.isBlank()) {
      services.add(
          TriggerRunner.start(
              new TriggerRunner.Options(
                  config.kafka(),
                  topics,
                  applicationId + "-triggers",
                  config.getString(OrchestratorConfig.TRIGGERS_TRANSACTIONAL_ID),
                  config.topicPartitions(),
                  replication,
                  new CatalogQueries(
                      streams,
                      topics,
                      OrchestratorTopology.CATALOG_DEFINITIONS_STORE,
                      OrchestratorTopology.CATALOG_VERSIONS_STORE)),
              TriggerConfigFile.load(Path.of(triggersFile))));
    }
    if (config.getBoolean(OrchestratorConfig.SCHEDULER_ENABLED)) {
      services.add(
          CronScheduler.start(
              new CronScheduler.Options(
                  config.kafka(),
                  topics,
                  applicationId + "-scheduler",
                  Duration.ofMillis(config.getLong(OrchestratorConfig.SCHEDULER_TICK_MS)),
                  MAX_CATCH_UP,
                  config.getInt(OrchestratorConfig.SESSION_TIMEOUT_MS)),
              Clock.systemUTC()));
    }
  }

  /** The consumer setting (internal, but honoured) that makes a closing member leave its group. */
  static final String LEAVE_GROUP_ON_CLOSE = "internal.leave.group.on.close";

  static Properties streamsProperties(OrchestratorConfig config, Replication replication) {
    Properties props = new Properties();
    props.put(
        StreamsConfig.APPLICATION_ID_CONFIG, config.getString(OrchestratorConfig.APPLICATION_ID));
    props.put(StreamsConfig.STATE_DIR_CONFIG, config.getString(OrchestratorConfig.STATE_DIR));
    props.put(
        StreamsConfig.PROCESSING_GUARANTEE_CONFIG,
        config.getString(OrchestratorConfig.PROCESSING_GUARANTEE));
    props.put(
        StreamsConfig.COMMIT_INTERVAL_MS_CONFIG,
        config.getLong(OrchestratorConfig.COMMIT_INTERVAL_MS));
    props.put(StreamsConfig.POLL_MS_CONFIG, config.getLong(OrchestratorConfig.POLL_MS));
    props.put(
        StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.getInt(OrchestratorConfig.STREAM_THREADS));
    // Its changelogs and repartition topics are replicated like Ferry's own topics.
    props.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication.factor());
    replication
        .topicConfigs()
        .forEach((key, value) -> props.put(StreamsConfig.topicPrefix(key), value));
    int standbys = config.getInt(OrchestratorConfig.STANDBY_REPLICAS);
    props.put(
        StreamsConfig.NUM_STANDBY_REPLICAS_CONFIG,
        standbys >= 0 ? standbys : (replication.minInsync() != null ? 1 : 0));
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG),
        config.getInt(OrchestratorConfig.LINGER_MS));
    props.put(
        StreamsConfig.producerPrefix(ProducerConfig.MAX_REQUEST_SIZE_CONFIG),
        Topics.MAX_MESSAGE_BYTES + 1024 * 1024);
    props.put(
        StreamsConfig.topicPrefix("max.message.bytes"), String.valueOf(Topics.MAX_MESSAGE_BYTES));
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG),
        KafkaClients.FETCH_MAX_WAIT_MS);
    // A crashed orchestrator's partitions move after this long (Kafka's default is 45 s).
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG),
        config.getInt(OrchestratorConfig.SESSION_TIMEOUT_MS));
    props.put(
        StreamsConfig.consumerPrefix(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG),
        Math.max(500, config.getInt(OrchestratorConfig.SESSION_TIMEOUT_MS) / 4));
    // Kafka Streams keeps a stopping member in its group until the session times out (its
    // CloseOptions.leaveGroup acts on static members only): a stopped orchestrator's partitions
    // would wait that long for the others. Leaving on close hands them over at once.
    props.put(StreamsConfig.mainConsumerPrefix(LEAVE_GROUP_ON_CLOSE), true);
    // Static membership when asked for: Kafka Streams suffixes the id with each thread's index. A
    // stop still hands the partitions over at once (close leaves the group, static or not).
    String instanceId = config.getString(OrchestratorConfig.GROUP_INSTANCE_ID);
    if (!instanceId.isBlank()) {
      props.put(
          StreamsConfig.mainConsumerPrefix(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG), instanceId);
    }
    // The cluster's client settings (security, DNS) and any Streams key passed through win over
    // Ferry's tuning above; the keys its guarantees depend on cannot be passed.
    props.putAll(config.kafka().clientConfig());
    return props;
  }

  /** Blocks until the streams app is RUNNING (partitions assigned, stores restored). */
  public boolean awaitRunning(Duration timeout) throws InterruptedException {
    return running.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** The admin port it serves /metrics, /livez and /readyz on, or -1 when it serves none. */
  public int adminPort() {
    return adminPort;
  }

  public KafkaStreams.State state() {
    return streams.state();
  }

  @Override
  public void close() {
    for (AutoCloseable service : services) {
      try {
        service.close();
      } catch (Exception e) {
        LOG.warn("stopping {} failed: {}", service.getClass().getSimpleName(), e.toString());
      }
    }
    // Leave the group so a successor gets the partitions at once, not after the session timeout.
    streams.close(new KafkaStreams.CloseOptions().leaveGroup(true).timeout(Duration.ofSeconds(30)));
  }
}
