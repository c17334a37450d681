package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.examples.Examples;
import dev.ferry.examples.kafka.KafkaCommands;
import dev.ferry.examples.kafka.PrintCompletions;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.apache.kafka.common.utils.Utils;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Ferry driven by Kafka clients alone, through the examples in {@code examples/…/kafka}: a producer
 * with an Avro serializer in, the status and replies topics out.
 */
class KafkaInterfaceIT {
  private static DevStack stack;
  private static Api api;
  private static Topics topics;
  private static KafkaCommands kafka;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStacks.start(Files.createTempDirectory("ferry-kafka-it"), Examples.registry());
    api = Api.of(stack, "acct");
    topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
    kafka = new KafkaCommands(stack.bootstrapServers(), stack.registryUrl());
  }

  @AfterAll
  static void stop() {
    kafka.close();
    stack.close();
  }

  /** Committed records of a topic decoded with {@code decode}, read from the start. */
  private static <T> List<T> read(
      String topic, Function<ConsumerRecord<String, byte[]>, T> decode) {
    return CommittedRecords.read(stack.bootstrapServers(), topic).stream().map(decode).toList();
  }

  private static Optional<CommandReply> reply(String requestId) {
    var values = topics.serde(Topics.REPLIES).deserializer();
    return read(topics.name(Topics.REPLIES), r -> values.deserialize(r.topic(), r.value())).stream()
        .filter(r -> r.getRequestId().equals(requestId))
        .findFirst();
  }

  private static CommandReply awaitReply(String requestId) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> reply(requestId), Optional::isPresent)
        .get();
  }

  private static List<HistoryEvent> history(String key) {
    var values = topics.serde(Topics.HISTORY).deserializer();
    return read(topics.name(Topics.HISTORY), r -> r).stream()
        .filter(r -> key.equals(r.key()))
        .map(r -> values.deserialize(r.topic(), r.value()))
        .toList();
  }

  @Test
  void shouldPublishEveryTopicSchemaUnderItsValueSubject() {
    var registry = topics.registry();
    for (var topic : Topics.ALL) {
      String subject = topics.name(topic) + "-value";
      assertThat(registry.latest(subject).schema()).as(subject).isEqualTo(topic.valueSchema());
    }
  }

  @Test
  void shouldCreateOnceWhenTheSameCreateIsProducedTwice() {
    String first = kafka.create("acct", "three-steps", "kafka-1", "{\"value\":4}");
    api.awaitStatus("three-steps", "kafka-1", "complete");
    String second = kafka.create("acct", "three-steps", "kafka-1", "{\"value\":4}");

    assertThat(awaitReply(first).getOutcome()).isEqualTo(ReplyOutcome.OK);
    assertThat(awaitReply(second).getOutcome()).isEqualTo(ReplyOutcome.ALREADY_EXISTS);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                history("acct/three-steps/kafka-1").stream()
                    .anyMatch(e -> e.getType() == HistoryEventType.WORKFLOW_DUPLICATE_CREATE));
    List<HistoryEvent> events = history("acct/three-steps/kafka-1");
    assertThat(events.stream().filter(e -> e.getType() == HistoryEventType.WORKFLOW_START))
        .hasSize(1);
    assertThat(
            events.stream()
                .filter(e -> e.getType() == HistoryEventType.WORKFLOW_DUPLICATE_CREATE)
                .findFirst()
                .orElseThrow()
                .getError()
                .getMessage())
        .contains(second);
    assertThat(api.get("three-steps", "kafka-1").result().path("output").path("value").asInt())
        .isEqualTo(9);
  }

  @Test
  void shouldApplyTheSameValidationAsHttp() {
    String badId = kafka.create("acct", "three-steps", "-not-an-id", "{}");
    String badParams = kafka.create("acct", "three-steps", "kafka-bad-params", "{not json");
    String unknownWorkflow = kafka.create("acct", "no-such-flow", "kafka-nowhere", "{}");

    CommandReply idReply = awaitReply(badId);
    CommandReply paramsReply = awaitReply(badParams);

    assertThat(idReply.getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(idReply.getMessage()).contains("instance_id");
    assertThat(paramsReply.getOutcome()).isEqualTo(ReplyOutcome.INVALID);
    assertThat(paramsReply.getMessage()).startsWith("params:");
    CommandReply workflowReply = awaitReply(unknownWorkflow);
    assertThat(workflowReply.getOutcome()).isEqualTo(ReplyOutcome.NOT_FOUND);
    assertThat(workflowReply.getMessage())
        .isEqualTo("workflow 'no-such-flow' not found in account 'acct'");
  }

  @Test
  void shouldPauseResumeTerminateRestartAndSendEventsOverKafka() {
    kafka.create("acct", "sleepy", "kafka-sleepy", "{\"sleepSeconds\":600}");
    api.awaitStatus("sleepy", "kafka-sleepy", "waiting");

    kafka.pause("acct", "sleepy", "kafka-sleepy");
    api.awaitStatus("sleepy", "kafka-sleepy", "paused");
    kafka.resume("acct", "sleepy", "kafka-sleepy");
    api.awaitStatus("sleepy", "kafka-sleepy", "waiting");
    kafka.terminate("acct", "sleepy", "kafka-sleepy");
    api.awaitStatus("sleepy", "kafka-sleepy", "terminated");
    kafka.restart("acct", "sleepy", "kafka-sleepy");
    api.awaitStatus("sleepy", "kafka-sleepy", "waiting");
    kafka.terminate("acct", "sleepy", "kafka-sleepy");

    kafka.create("acct", "approval", "kafka-approval", "{\"request\":\"pen\"}");
    api.awaitStatus("approval", "kafka-approval", "waiting");
    String event =
        kafka.sendEvent(
            "acct",
            "approval",
            "kafka-approval",
            "approval",
            "{\"approver\":\"bo\",\"approved\":true}");
    assertThat(api.awaitStatus("approval", "kafka-approval", "complete").path("output").asText())
        .contains("approved by bo");
    assertThat(awaitReply(event).getOutcome()).isEqualTo(ReplyOutcome.OK);
    String lost = kafka.sendEvent("acct", "approval", "nobody", "approval", "{}");
    assertThat(awaitReply(lost).getOutcome()).isEqualTo(ReplyOutcome.NOT_FOUND);
  }

  @Test
  void shouldDeadLetterPoisonCommandsBetweenTwoGoodOnesAndProcessBoth() throws Exception {
    // Two ids whose keys share a partition, so the poison really sits between them.
    int partitions = 2;
    List<String> ids = new ArrayList<>();
    for (int i = 0; ids.size() < 2; i++) {
      byte[] key = ("acct/three-steps/sandwich-" + i).getBytes(StandardCharsets.UTF_8);
      if (Utils.toPositive(Utils.murmur2(key)) % partitions == 0) {
        ids.add("sandwich-" + i);
      }
    }
    String commandsTopic = topics.name(Topics.COMMANDS);
    byte[] eventBytes =
        topics
            .serde(Topics.EVENTS)
            .serializer()
            .serialize(
                topics.name(Topics.EVENTS),
                InstanceEvent.newBuilder()
                    .setEventId("e")
                    .setAccount("acct")
                    .setWorkflow("three-steps")
                    .setInstanceId(ids.get(0))
                    .setType("t")
                    .setPayload("{}")
                    .setSentAt(0)
                    .build());
    Map<String, byte[]> poisons =
        Map.of(
            "magic byte", new byte[] {9, 9, 9, 9, 9, 9},
            "2147483647", new byte[] {0, 0x7f, (byte) 0xff, (byte) 0xff, (byte) 0xff, 1, 2, 3},
            "InstanceEvent", eventBytes);

    kafka.create("acct", "three-steps", ids.get(0), "{\"value\":1}");
    try (KafkaProducer<String, byte[]> producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(stack.bootstrapServers(), "it-poison"),
            new StringSerializer(),
            new ByteArraySerializer())) {
      for (byte[] poison : poisons.values()) {
        producer
            .send(new ProducerRecord<>(commandsTopic, 0, "acct/three-steps/" + ids.get(0), poison))
            .get();
      }
    }
    kafka.create("acct", "three-steps", ids.get(1), "{\"value\":2}");

    api.awaitStatus("three-steps", ids.get(0), "complete");
    api.awaitStatus("three-steps", ids.get(1), "complete");
    List<String> reasons =
        read(topics.deadLetter(), r -> r).stream()
            .filter(
                r ->
                    commandsTopic.equals(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)))
            .map(r -> DeadLetters.header(r.headers(), DeadLetters.REASON))
            .toList();
    for (String expected : poisons.keySet()) {
      assertThat(reasons).anySatisfy(reason -> assertThat(reason).contains(expected));
    }
  }

  @Test
  void shouldTellStatusSubscribersAboutCompletions() throws Exception {
    List<InstanceSnapshot> finished = new CopyOnWriteArrayList<>();
    AtomicBoolean running = new AtomicBoolean(true);
    Thread subscriber =
        new Thread(
            () ->
                PrintCompletions.follow(
                    stack.bootstrapServers(),
                    stack.registryUrl(),
                    "it-completions",
                    running::get,
                    finished::add));
    subscriber.start();
    try {
      kafka.create("acct", "three-steps", "kafka-watched", "{\"value\":1}");
      await()
          .atMost(Duration.ofSeconds(30))
          .until(() -> finished.stream().anyMatch(s -> s.getInstanceId().equals("kafka-watched")));
    } finally {
      running.set(false);
      subscriber.join(10_000);
    }
    InstanceSnapshot done =
        finished.stream()
            .filter(s -> s.getInstanceId().equals("kafka-watched"))
            .findFirst()
            .orElseThrow();
    assertThat(done.getOutput()).contains("\"value\":3");
  }
}
