package dev.ferry.orchestrator;

import dev.ferry.engine.DeciderSettings;
import dev.ferry.engine.InstanceMachine;
import dev.ferry.orchestrator.internal.CatalogStoreUpdater;
import dev.ferry.orchestrator.internal.DecodeProcessor;
import dev.ferry.orchestrator.internal.EagerCommits;
import dev.ferry.orchestrator.internal.Inbound;
import dev.ferry.orchestrator.internal.InstanceProcessor;
import dev.ferry.orchestrator.internal.OrchestratorMetrics;
import dev.ferry.orchestrator.internal.RoutedTask;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.HeldCreate;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceState;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.WorkerReport;
import java.time.Duration;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.Stores;

/**
 * The orchestrator's Kafka Streams topology (Processor API). Every node and store has a constant
 * name: renaming a store would orphan its changelog, so these names are part of the data format.
 *
 * <pre>
 * commands ─► decode-commands ─┐                      ┌─► tasks-sink (tasks.<group>, per record)
 * results  ─► decode-results  ─┼─► instance-processor ├─► status-sink / history-sink / replies-sink
 * events   ─► decode-events   ─┘   (stores: instances,└─► (timers fire from a wall-clock punctuator)
 *        (undecodable records ─► dead-letter-sink)      instance-params, steps, timers,
 *                                                       buffered-events, admission-queue,
 *                                                       awaiting-worker)
 * global stores: catalog-versions, catalog-definitions (the create check), catalog-workers
 * (which worker groups are present and what they host: the routing of tasks)
 * </pre>
 */
public final class OrchestratorTopology {
  public static final String COMMANDS_SOURCE = "commands-source";
  public static final String RESULTS_SOURCE = "results-source";
  public static final String EVENTS_SOURCE = "events-source";
  public static final String DECODE_EVENTS = "decode-events";
  public static final String EVENTS_STORE = "buffered-events";
  public static final String QUEUE_STORE = "admission-queue";

  /** Instances waiting for a worker group that hosts their workflow: key → fencing token. */
  public static final String AWAITING_WORKER_STORE = "awaiting-worker";

  /** Running instances per workflow in this partition: workflow key → count. */
  public static final String RUNNING_SLOTS_STORE = "running-slots";

  /** Creates for a workflow not yet in the catalogue, held for a grace period. */
  public static final String HELD_CREATES_STORE = "held-creates";

  public static final String DECODE_COMMANDS = "decode-commands";
  public static final String DECODE_RESULTS = "decode-results";
  public static final String INSTANCE_PROCESSOR = "instance-processor";
  public static final String TASKS_SINK = "tasks-sink";
  public static final String STATUS_SINK = "status-sink";
  public static final String HISTORY_SINK = "history-sink";
  public static final String REPLIES_SINK = "replies-sink";
  public static final String DEAD_LETTER_SINK = "dead-letter-sink";

  public static final String INSTANCES_STORE = "instances";
  public static final String PARAMS_STORE = "instance-params";
  public static final String STEPS_STORE = "steps";
  public static final String TIMERS_STORE = "timers";

  /** Global stores mirroring the workflow catalogue, for the create check. */
  public static final String CATALOG_VERSIONS_STORE = "catalog-versions";

  public static final String CATALOG_DEFINITIONS_STORE = "catalog-definitions";
  public static final String CATALOG_VERSIONS_SOURCE = "catalog-versions-source";
  public static final String CATALOG_DEFINITIONS_SOURCE = "catalog-definitions-source";
  public static final String CATALOG_VERSIONS_UPDATER = "catalog-versions-updater";
  public static final String CATALOG_DEFINITIONS_UPDATER = "catalog-definitions-updater";

  /** Global store mirroring the workers topic, for routing tasks to worker groups. */
  public static final String CATALOG_WORKERS_STORE = "catalog-workers";

  public static final String CATALOG_WORKERS_SOURCE = "catalog-workers-source";
  public static final String CATALOG_WORKERS_UPDATER = "catalog-workers-updater";

  private OrchestratorTopology() {}

  /** Settings the topology itself needs (the rest is Kafka Streams configuration). */
  public record Settings(
      Duration lease,
      Duration timerTick,
      int maxTimersPerTick,
      int maxStepsPerInstance,
      Duration defaultRetention,
      long runningSlotsPerPartition,
      Duration unknownWorkflowGrace,
      int eagerCommitMaxRate) {
    public static Settings defaults() {
      return new Settings(
          Duration.ofSeconds(15),
          Duration.ofMillis(50),
          1000,
          Limits.DEFAULT_MAX_STEPS,
          Duration.ofDays(30),
          Long.MAX_VALUE,
          Duration.ofSeconds(10),
          400);
    }

    DeciderSettings decider() {
      return new DeciderSettings(
          lease.toMillis(), defaultRetention.toMillis(), unknownWorkflowGrace.toMillis());
    }
  }

  public static Topology build(Topics topics, Settings settings) {
    return build(topics, settings, OrchestratorMetrics.none());
  }

  /** The topology, counting what it decides in {@code metrics}. */
  public static Topology build(Topics topics, Settings settings, OrchestratorMetrics metrics) {
    Topology topology = new Topology();
    var bytes = Serdes.ByteArray().deserializer();
    var strings = Serdes.String();

    topology.addSource(
        COMMANDS_SOURCE, strings.deserializer(), bytes, topics.name(Topics.COMMANDS));
    topology.addSource(RESULTS_SOURCE, strings.deserializer(), bytes, topics.name(Topics.RESULTS));

    topology.addSource(EVENTS_SOURCE, strings.deserializer(), bytes, topics.name(Topics.EVENTS));

    topology.addProcessor(
        DECODE_COMMANDS,
        () ->
            new DecodeProcessor<Command>(
                topics.serde(Topics.COMMANDS).deserializer(),
                c -> InstanceKey.of(c.getAccount(), c.getWorkflow(), c.getInstanceId()),
                Inbound.CommandIn::new,
                INSTANCE_PROCESSOR,
                DEAD_LETTER_SINK,
                metrics),
        COMMANDS_SOURCE);
    topology.addProcessor(
        DECODE_RESULTS,
        () ->
            new DecodeProcessor<WorkerReport>(
                topics.serde(Topics.RESULTS).deserializer(),
                r -> InstanceKey.of(r.getAccount(), r.getWorkflow(), r.getInstanceId()),
                Inbound.ReportIn::new,
                INSTANCE_PROCESSOR,
                DEAD_LETTER_SINK,
                metrics),
        RESULTS_SOURCE);
    topology.addProcessor(
        DECODE_EVENTS,
        () ->
            new DecodeProcessor<InstanceEvent>(
                topics.serde(Topics.EVENTS).deserializer(),
                e -> InstanceKey.of(e.getAccount(), e.getWorkflow(), e.getInstanceId()),
                Inbound.EventIn::new,
                INSTANCE_PROCESSOR,
                DEAD_LETTER_SINK,
                metrics),
        EVENTS_SOURCE);

    InstanceProcessor.Names names =
        new InstanceProcessor.Names(
            INSTANCES_STORE,
            PARAMS_STORE,
            STEPS_STORE,
            TIMERS_STORE,
            EVENTS_STORE,
            QUEUE_STORE,
            TASKS_SINK,
            STATUS_SINK,
            HISTORY_SINK,
            REPLIES_SINK,
            DEAD_LETTER_SINK,
            CATALOG_DEFINITIONS_STORE,
            CATALOG_VERSIONS_STORE,
            AWAITING_WORKER_STORE,
            CATALOG_WORKERS_STORE,
            RUNNING_SLOTS_STORE,
            HELD_CREATES_STORE);
    InstanceMachine machine =
        new InstanceMachine(settings.decider(), settings.runningSlotsPerPartition());
    // One per stream thread: a commit commits every task of the thread, so they share the rate.
    ThreadLocal<EagerCommits> eagerCommits =
        ThreadLocal.withInitial(() -> new EagerCommits(settings.eagerCommitMaxRate()));
    topology.addProcessor(
        INSTANCE_PROCESSOR,
        () ->
            new InstanceProcessor(
                machine,
                names,
                settings.timerTick(),
                settings.maxTimersPerTick(),
                settings.maxStepsPerInstance(),
                topics,
                metrics,
                eagerCommits),
        DECODE_COMMANDS,
        DECODE_RESULTS,
        DECODE_EVENTS);

    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(QUEUE_STORE), strings, strings),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(AWAITING_WORKER_STORE), strings, strings),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(RUNNING_SLOTS_STORE), strings, strings),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(HELD_CREATES_STORE),
            strings,
            topics.<HeldCreate>serde(HeldCreate.getClassSchema())),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(EVENTS_STORE),
            strings,
            topics.<InstanceEvent>serde(InstanceEvent.getClassSchema())),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(INSTANCES_STORE),
            strings,
            topics.<InstanceState>serde(InstanceState.getClassSchema())),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(Stores.persistentKeyValueStore(PARAMS_STORE), strings, strings),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(STEPS_STORE),
            strings,
            topics.<StepRecord>serde(StepRecord.getClassSchema())),
        INSTANCE_PROCESSOR);
    topology.addStateStore(
        Stores.keyValueStoreBuilder(
            Stores.persistentKeyValueStore(TIMERS_STORE),
            Serdes.Bytes(),
            topics.<Timer>serde(Timer.getClassSchema())),
        INSTANCE_PROCESSOR);

    addCatalogStore(
        topology,
        CATALOG_VERSIONS_STORE,
        CATALOG_VERSIONS_SOURCE,
        CATALOG_VERSIONS_UPDATER,
        topics.name(Topics.VERSIONS));
    addCatalogStore(
        topology,
        CATALOG_DEFINITIONS_STORE,
        CATALOG_DEFINITIONS_SOURCE,
        CATALOG_DEFINITIONS_UPDATER,
        topics.name(Topics.DEFINITIONS));

    addCatalogStore(
        topology,
        CATALOG_WORKERS_STORE,
        CATALOG_WORKERS_SOURCE,
        CATALOG_WORKERS_UPDATER,
        topics.name(Topics.WORKERS));

    topology.addSink(
        TASKS_SINK,
        RoutedTask.topics(topics),
        Serdes.String().serializer(),
        RoutedTask.serializer(topics.serde(Topics.TASKS).serializer()),
        INSTANCE_PROCESSOR);
    addAvroSink(topology, STATUS_SINK, topics, Topics.STATUS);
    addAvroSink(topology, HISTORY_SINK, topics, Topics.HISTORY);
    addAvroSink(topology, REPLIES_SINK, topics, Topics.REPLIES);
    topology.addSink(
        DEAD_LETTER_SINK,
        topics.deadLetter(),
        strings.serializer(),
        Serdes.ByteArray().serializer(),
        DECODE_COMMANDS,
        DECODE_RESULTS,
        DECODE_EVENTS,
        INSTANCE_PROCESSOR);
    return topology;
  }

  private static void addCatalogStore(
      Topology topology, String store, String source, String updater, String topic) {
    topology.addGlobalStore(
        Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(store), Serdes.String(), Serdes.ByteArray())
            .withLoggingDisabled(),
        source,
        Serdes.String().deserializer(),
        Serdes.ByteArray().deserializer(),
        topic,
        updater,
        () -> new CatalogStoreUpdater(store));
  }

  private static <V extends org.apache.avro.specific.SpecificRecord> void addAvroSink(
      Topology topology, String name, Topics topics, dev.ferry.schemas.TopicSpec<V> topic) {
    topology.addSink(
        name,
        topics.name(topic),
        Serdes.String().serializer(),
        topics.serde(topic).serializer(),
        INSTANCE_PROCESSOR);
  }
}
