package dev.ferry.orchestrator;

import dev.ferry.schemas.TopicSpec;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.HostedWorkflow;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.WorkerPresence;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** Test topics of a {@link TopologyTestDriver} for Ferry's topics, with their own serdes. */
final class DriverTopics {
  /** How long the topologies under test hold a create for a workflow they do not know. */
  static final java.time.Duration GRACE = java.time.Duration.ofSeconds(10);

  private final TopologyTestDriver driver;
  private final Topics topics;

  DriverTopics(TopologyTestDriver driver, Topics topics) {
    this.driver = driver;
    this.topics = topics;
  }

  /**
   * A driver of the orchestrator's topology with these settings, its wall clock at {@code start}.
   */
  static TopologyTestDriver driver(
      Topics topics, OrchestratorTopology.Settings settings, java.time.Instant start) {
    return driver(
        topics, settings, start, dev.ferry.orchestrator.internal.OrchestratorMetrics.none());
  }

  static TopologyTestDriver driver(
      Topics topics,
      OrchestratorTopology.Settings settings,
      java.time.Instant start,
      dev.ferry.orchestrator.internal.OrchestratorMetrics metrics) {
    java.util.Properties props = new java.util.Properties();
    props.put(org.apache.kafka.streams.StreamsConfig.APPLICATION_ID_CONFIG, "topology-test");
    props.put(org.apache.kafka.streams.StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
    return new TopologyTestDriver(
        OrchestratorTopology.build(topics, settings, metrics), props, start);
  }

  <V extends SpecificRecord> TestInputTopic<String, V> input(TopicSpec<V> topic) {
    return driver.createInputTopic(
        topics.name(topic), Serdes.String().serializer(), topics.serde(topic).serializer());
  }

  /** The task topic of one worker group. */
  TestOutputTopic<String, Task> tasks(String group) {
    return driver.createOutputTopic(
        topics.tasks(group),
        Serdes.String().deserializer(),
        topics.serde(Topics.TASKS).deserializer());
  }

  /**
   * A worker of {@code group} registers version {@code versionId} of these workflows of {@code
   * account} and announces that it hosts it, present for {@code lasting} from {@code at}.
   */
  void announce(
      String group,
      String worker,
      String account,
      String versionId,
      java.time.Instant at,
      java.time.Duration lasting,
      String... workflows) {
    for (String workflow : workflows) { // a worker registers what it hosts, then announces it
      register(account, workflow, versionId, at);
    }
    input(Topics.WORKERS)
        .pipeInput(
            group + "/" + worker,
            WorkerPresence.newBuilder()
                .setGroup(group)
                .setWorkerId(worker)
                .setWorkflows(
                    java.util.Arrays.stream(workflows)
                        .map(w -> new HostedWorkflow(account, w, versionId))
                        .toList())
                .setStartedAt(at.toEpochMilli())
                .setHeartbeatAt(at.toEpochMilli())
                .setExpiresAfterMs(lasting.toMillis())
                .build());
  }

  /** A worker registered version {@code versionId} of the workflow at {@code at}. */
  void register(String account, String workflow, String versionId, java.time.Instant at) {
    input(Topics.VERSIONS)
        .pipeInput(
            account + "/" + workflow + "/" + versionId,
            dev.ferry.schemas.avro.WorkflowVersion.newBuilder()
                .setAccount(account)
                .setWorkflow(workflow)
                .setVersionId(versionId)
                .setClassName("Wf")
                .setScriptName("workers")
                .setCreatedOn(at.toEpochMilli())
                .setRegisteredAt(at.toEpochMilli())
                .setWorkerId("w")
                .build());
  }

  /** The worker's tombstone: it stopped. */
  void withdraw(String group, String worker) {
    driver
        .createInputTopic(
            topics.name(Topics.WORKERS),
            Serdes.String().serializer(),
            Serdes.ByteArray().serializer())
        .pipeInput(group + "/" + worker, (byte[]) null);
  }

  <V extends SpecificRecord> TestOutputTopic<String, V> output(TopicSpec<V> topic) {
    return driver.createOutputTopic(
        topics.name(topic), Serdes.String().deserializer(), topics.serde(topic).deserializer());
  }
}
