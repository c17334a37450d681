package dev.ferry.worker;

import dev.ferry.ops.LogContext;
import dev.ferry.ops.Observability;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Control;
import dev.ferry.schemas.avro.ControlAction;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.avro.WorkflowVersion;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import dev.ferry.worker.internal.ActivationRun;
import dev.ferry.worker.internal.HandBack;
import dev.ferry.worker.internal.HistoryViews;
import dev.ferry.worker.internal.PageJoiner;
import dev.ferry.worker.internal.PresencePublisher;
import dev.ferry.worker.internal.StepExecutor;
import dev.ferry.worker.internal.StepOverride;
import dev.ferry.worker.internal.StepValues;
import dev.ferry.worker.internal.VersionRegistrar;
import dev.ferry.worker.internal.WorkerMetrics;
import dev.ferry.worker.internal.WorkerObservation;
import dev.ferry.workflows.WorkflowEntrypoint;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A worker process: consumes activations from its group's task topic ({@code
 * <prefix>tasks.<group>}) as a member of the group's consumer group, runs them on a bounded pool,
 * and produces each step's outcome to the results topic as soon as it is known (idempotent
 * producer, acks=all). It announces what it hosts on the workers topic, so the orchestrator sends
 * its group only instances of those workflows. A task's offset is committed when it is taken: if
 * this worker dies, the orchestrator's lease notices and sends a new activation.
 *
 * <pre>{@code
 * WorkerRuntime worker = WorkerRuntime.start(WorkerConfig.fromEnv(Map.of()),
 *     new WorkflowRegistry().register("orders", OrderWorkflow.class));
 * }</pre>
 */
public final class WorkerRuntime implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkerRuntime.class);

  private final WorkerConfig config;
  private final WorkflowRegistry registry;
  private final Topics topics;
  private final String workerId;
  private final String group;
  private final Map<String, String> versionIds;
  private final PresencePublisher presence;
  private final KafkaConsumer<String, byte[]> consumer;
  private final KafkaProducer<String, WorkerReport> producer;
  private final ThreadPoolExecutor pool;
  private final ScheduledExecutorService heartbeats;
  private final StepExecutor steps = new StepExecutor();
  private final StepValues values = new StepValues();
  private final Map<String, ActivationRun> active = new ConcurrentHashMap<>();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final AtomicInteger completed = new AtomicInteger();
  private final AtomicInteger controlsApplied = new AtomicInteger();
  private final AtomicInteger foreignTasks = new AtomicInteger();
  private final AtomicInteger historyFetches = new AtomicInteger();
  private final HistoryViews views;
  private final PageJoiner pages = new PageJoiner();
  private final String resultsTopic;
  private final Thread pollThread;
  private final WorkerMetrics metrics;
  private WorkerObservation observation;

  private WorkerRuntime(
      WorkerConfig config,
      WorkflowRegistry registry,
      Topics topics,
      Map<String, String> versionIds,
      PresencePublisher presence,
      WorkerMetrics metrics) {
    this.config = config;
    this.metrics = metrics;
    this.registry = registry;
    this.topics = topics;
    this.workerId = config.workerId();
    this.group = config.group();
    this.versionIds = versionIds;
    this.presence = presence;
    this.resultsTopic = topics.name(Topics.RESULTS);
    this.views = new HistoryViews(config.getInt(WorkerConfig.HISTORY_CACHE_MB) * 1024L * 1024L);
    Map<String, Object> consumerConfig = new java.util.HashMap<>();
    consumerConfig.put(ConsumerConfig.GROUP_ID_CONFIG, group);
    // Activations are written in orchestrator transactions: never run an aborted one.
    consumerConfig.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
    consumerConfig.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    consumerConfig.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
    consumerConfig.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, 500);
    consumerConfig.put(ConsumerConfig.CLIENT_ID_CONFIG, "ferry-worker-" + workerId);
    String instanceId = config.getString(WorkerConfig.GROUP_INSTANCE_ID);
    if (!instanceId.isBlank()) {
      consumerConfig.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
    }
    this.consumer =
        new KafkaConsumer<>(
            config.kafka().clientConfig(consumerConfig),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    Map<String, Object> producerConfig =
        KafkaClients.reliableProducer(config.kafka(), "ferry-worker-" + workerId + "-reports");
    producerConfig.put(ProducerConfig.LINGER_MS_CONFIG, config.getInt(WorkerConfig.LINGER_MS));
    this.producer =
        new KafkaProducer<>(
            producerConfig, new StringSerializer(), topics.serde(Topics.RESULTS).serializer());
    int concurrency = config.getInt(WorkerConfig.CONCURRENCY);
    AtomicInteger threadNumber = new AtomicInteger();
    this.pool =
        new ThreadPoolExecutor(
            concurrency,
            concurrency,
            60,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> new Thread(r, "ferry-activation-" + threadNumber.incrementAndGet()));
    this.heartbeats =
        Executors.newSingleThreadScheduledExecutor(r -> new Thread(r, "ferry-worker-heartbeat"));
    this.pollThread = new Thread(this::pollLoop, "ferry-worker-poll");
  }

  /** Starts consuming tasks in the background, with metrics and readiness on its admin port. */
  public static WorkerRuntime start(WorkerConfig config, WorkflowRegistry registry) {
    return start(config, registry, Observability.create());
  }

  /**
   * Starts consuming tasks in the background, adding its metrics and readiness to {@code
   * observability} (shared by the parts of one process) and serving them on {@code
   * worker.admin.port} unless it is -1.
   */
  public static WorkerRuntime start(
      WorkerConfig config, WorkflowRegistry registry, Observability observability) {
    Topics topics =
        new Topics(config.topicPrefix(), SchemaRegistryClients.of(config.registrySettings()));
    String group = config.group();
    TopicProvisioner.ensureFerryTopics(config, topics);
    // The group's topic exists before anyone learns of the group, so no task is ever sent to a
    // topic that is missing.
    TopicProvisioner.ensureTaskTopic(config, topics, group);
    long now = System.currentTimeMillis();
    // Registered before consuming anything, so a worker that cannot register does not run.
    List<WorkflowVersion> versions =
        VersionRegistrar.register(
            config.kafka(),
            topics,
            registry.names().stream()
                .map(name -> new VersionRegistrar.Build(name, registry.workflowClass(name).get()))
                .toList(),
            config.getList(WorkerConfig.ACCOUNTS),
            group,
            config.workerId(),
            now);
    Map<String, String> versionIds = new java.util.HashMap<>();
    versions.forEach(v -> versionIds.put(v.getWorkflow(), v.getVersionId()));
    PresencePublisher presence =
        new PresencePublisher(
            config.kafka(),
            topics,
            group,
            config.workerId(),
            versions,
            Duration.ofMillis(config.getLong(WorkerConfig.PRESENCE_INTERVAL_MS)),
            now);
    WorkerRuntime runtime =
        new WorkerRuntime(
            config,
            registry,
            topics,
            versionIds,
            presence,
            new WorkerMetrics(observability.registry()));
    runtime.observation =
        WorkerObservation.start(
            observability,
            topics,
            runtime.consumer,
            runtime.producer,
            group,
            runtime.workerId,
            new WorkerObservation.AdminPort(
                config.getString(WorkerConfig.ADMIN_HOST),
                config.getInt(WorkerConfig.ADMIN_PORT),
                FerryConfig.envName(WorkerConfig.ADMIN_PORT)));
    LOG.info(
        "started worker {} of group {} hosting {} (tasks from {}) with\n{}",
        runtime.workerId,
        group,
        registry.names(),
        topics.tasks(group),
        config.describe());
    versions.forEach(
        v ->
            LOG.info(
                "registered workflow {} version {} in account {}",
                v.getWorkflow(),
                v.getVersionId(),
                v.getAccount()));
    long interval = config.getLong(WorkerConfig.HEARTBEAT_MS);
    runtime.heartbeats.scheduleWithFixedDelay(
        runtime::sendHeartbeats, interval / 2, Math.max(5, interval / 2), TimeUnit.MILLISECONDS);
    runtime.pollThread.start();
    // Announced last: the orchestrator may route tasks here from now on, and the poll loop runs.
    presence.announce(System.currentTimeMillis());
    long renewal = config.getLong(WorkerConfig.PRESENCE_INTERVAL_MS);
    runtime.heartbeats.scheduleWithFixedDelay(
        () -> presence.renew(System.currentTimeMillis()), renewal, renewal, TimeUnit.MILLISECONDS);
    return runtime;
  }

  /** The admin port it serves /metrics, /livez and /readyz on, or -1 when it serves none. */
  public int adminPort() {
    return observation.adminPort();
  }

  /** The worker group this worker belongs to. */
  public String group() {
    return group;
  }

  /**
   * Tasks this worker received for a workflow it does not host and handed back to the orchestrator
   * (for logs and tests; each one is a routing mistake, never an instance failure).
   */
  public int foreignTasks() {
    return foreignTasks.get();
  }

  /**
   * Activations this worker asked to be sent again whole, because it lacked the history they build
   * on (for logs and tests).
   */
  public int historyFetches() {
    return historyFetches.get();
  }

  public String workerId() {
    return workerId;
  }

  /** Pause/terminate control records this worker applied to a run it had (for logs and tests). */
  public int controlsApplied() {
    return controlsApplied.get();
  }

  /** Activations this worker finished running (for logs and tests). */
  public int completedActivations() {
    return completed.get();
  }

  private void pollLoop() {
    consumer.subscribe(
        List.of(topics.tasks(group)),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            pages.clear(); // the rest of their pages go to the partitions' new owner
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            observation.joined(consumer.assignment().size());
          }
        });
    var taskDeserializer = topics.serde(Topics.TASKS).deserializer();
    int backlogLimit = config.getInt(WorkerConfig.CONCURRENCY) * 4;
    try {
      while (running.get()) {
        ConsumerRecords<String, byte[]> records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> record : records) {
          Task task;
          try {
            task = taskDeserializer.deserialize(record.topic(), record.value());
          } catch (RuntimeException e) {
            LOG.warn(
                "skipping undecodable task at {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
            continue;
          }
          if (task == null || record.key() == null) {
            LOG.warn(
                "skipping a task without key or value at {}-{}@{}",
                record.topic(),
                record.partition(),
                record.offset());
            continue;
          }
          try (LogContext.Scope log = LogContext.instance(record.key())) {
            handle(record.key(), task, record.timestamp());
          }
        }
        if (!records.isEmpty()) {
          consumer.commitAsync();
        }
        // Backpressure: stop fetching while the pool has plenty queued; leases cover the rest.
        if (pool.getQueue().size() > backlogLimit) {
          consumer.pause(consumer.assignment());
        } else if (!consumer.paused().isEmpty()) {
          consumer.resume(consumer.paused());
        }
      }
    } catch (WakeupException e) {
      if (running.get()) {
        throw e;
      }
    } finally {
      try {
        consumer.commitSync(Duration.ofSeconds(5));
      } catch (RuntimeException e) {
        LOG.debug("final commit failed: {}", e.getMessage());
      }
      // Leave the group even as a static member, so a stopped worker's partitions move at once.
      consumer.close(
          org.apache.kafka.clients.consumer.CloseOptions.groupMembershipOperation(
                  org.apache.kafka.clients.consumer.CloseOptions.GroupMembershipOperation
                      .LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(5)));
    }
  }

  /** One task; whatever it does wrong, the poll thread goes on with the others. */
  private void handle(String key, Task task, long writtenAt) {
    try {
      if (task.getBody() instanceof Activation page) {
        take(key, page, writtenAt);
      } else if (task.getBody() instanceof Control control) {
        obey(key, control);
      }
    } catch (RuntimeException e) {
      // The lease brings that instance back.
      LOG.error("task for {} could not be taken", key, e);
    }
  }

  /** A page of an activation: runs the activation once it is complete. */
  private void take(String key, Activation page, long writtenAt) {
    PageJoiner.Outcome outcome = pages.add(key, page);
    if (outcome instanceof PageJoiner.Outcome.Complete complete) {
      dispatch(key, complete.activation(), writtenAt);
    } else if (outcome instanceof PageJoiner.Outcome.Orphan orphan) {
      send(
          key,
          HandBack.historyMissing(
              orphan.page(),
              workerId,
              "page " + orphan.page().getPage() + " arrived without the pages before it",
              System.currentTimeMillis()));
    }
  }

  /** Runs a whole activation; {@code writtenAt} is when its (last) task record was written. */
  private void dispatch(String key, Activation activation, long writtenAt) {
    long now = System.currentTimeMillis();
    Optional<WorkflowEntrypoint<?, ?>> workflow;
    try {
      workflow = registry.create(activation.getWorkflow());
    } catch (RuntimeException | LinkageError e) {
      // The workflow's own code cannot even be constructed: that run fails, the worker goes on.
      LOG.warn("workflow {} could not be created for {}", activation.getWorkflow(), key, e);
      send(key, HandBack.notCreated(activation, workerId, e, now));
      return;
    }
    if (workflow.isEmpty()) {
      // The orchestrator routes by what workers announce, so this is a routing mistake (e.g. a
      // member of this group runs a build with fewer workflows): hand it back, never fail it.
      foreignTasks.incrementAndGet();
      LOG.warn(
          "worker {} of group {} does not host workflow '{}'; handing {} back to the orchestrator",
          workerId,
          group,
          activation.getWorkflow(),
          key);
      String reason =
          "worker "
              + workerId
              + " hosts "
              + registry.names()
              + ", not '"
              + activation.getWorkflow()
              + "'";
      send(key, HandBack.notHosted(activation, workerId, group, reason, now));
      return;
    }
    Optional<List<StepRecord>> history = views.resolve(key, activation);
    if (history.isEmpty()) {
      // Restarted, dropped the view, or another member ran the previous activation.
      historyFetches.incrementAndGet();
      LOG.debug("{}: no view of activation {}; asking for all", key, activation.getBaseToken());
      send(
          key,
          HandBack.historyMissing(
              activation,
              workerId,
              "worker " + workerId + " keeps no history of activation " + activation.getBaseToken(),
              now));
      return;
    }
    activation.setHistory(history.get());
    String versionId = versionIds.get(activation.getWorkflow());
    ActivationRun run =
        new ActivationRun(
            activation,
            workflow.get(),
            report -> {
              report.setVersionId(versionId);
              send(key, report);
            },
            steps,
            values,
            Clock.systemUTC(),
            workerId,
            Duration.ofMillis(config.getLong(WorkerConfig.REPORT_FLUSH_MS)),
            StepOverride.NONE,
            metrics);
    ActivationRun previous = active.put(key, run);
    if (previous != null && previous.activation().getToken() < activation.getToken()) {
      previous.cancel();
    }
    pool.execute(
        () -> {
          metrics.activationStarted(
              activation.getWorkflow(), Duration.ofMillis(System.currentTimeMillis() - writtenAt));
          try {
            run.execute();
            completed.incrementAndGet();
          } finally {
            // Kept before the run counts as gone, so the next activation finds it.
            views.keep(key, activation.getToken(), run.view());
            active.remove(key, run);
          }
        });
  }

  /** A pause or terminate for the run of that activation, if this worker has it. */
  private void obey(String key, Control control) {
    ActivationRun run = active.get(key);
    if (run == null || run.activation().getToken() != control.getToken()) {
      return; // finished already, or another worker's
    }
    if (control.getAction() == ControlAction.PAUSE) {
      run.pause();
    } else {
      run.cancel();
    }
    controlsApplied.incrementAndGet();
  }

  private void send(String key, WorkerReport report) {
    producer.send(
        new ProducerRecord<>(resultsTopic, key, report),
        (metadata, error) -> {
          if (error != null) {
            // The orchestrator's lease recovers the run; log so operators see why. Its history
            // now differs from what this worker saw, so the next activation brings it all.
            views.forget(key);
            LOG.warn("report for {} not delivered: {}", key, error.toString());
          }
        });
  }

  private void sendHeartbeats() {
    long stale = System.currentTimeMillis() - config.getLong(WorkerConfig.HEARTBEAT_MS);
    for (ActivationRun run : active.values()) {
      if (run.lastReportAt() < stale) {
        try {
          run.heartbeat();
        } catch (RuntimeException e) {
          LOG.warn("heartbeat failed: {}", e.toString());
        }
      }
    }
  }

  /** Stops taking tasks, lets running activations end (bounded), and closes the clients. */
  @Override
  public void close() {
    if (!running.compareAndSet(true, false)) {
      return;
    }
    // First, so the orchestrator stops routing new work here while the rest winds down.
    presence.withdraw();
    presence.close();
    consumer.wakeup();
    try {
      pollThread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdown();
    try {
      pool.awaitTermination(10, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    pool.shutdownNow();
    heartbeats.shutdownNow();
    steps.close();
    producer.close(Duration.ofSeconds(5));
    observation.close();
  }

  /** Like {@link #close()} but without letting anything finish: what a crash looks like. */
  public void kill() {
    running.set(false);
    // Cut the producer first so that nothing the dying runs do afterwards reaches Kafka.
    producer.close(Duration.ZERO);
    presence.abandon();
    heartbeats.shutdownNow();
    pool.shutdownNow();
    steps.close();
    consumer.wakeup();
    observation.close();
  }
}
