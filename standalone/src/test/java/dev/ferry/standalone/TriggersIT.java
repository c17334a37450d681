package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.examples.ThreeStepWorkflow;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.orchestrator.triggers.TriggerRunner;
import dev.ferry.orchestrator.triggers.TriggerSpec;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.avro.Schema;
import org.apache.avro.SchemaBuilder;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericDatumWriter;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.EncoderFactory;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Queue-style triggers on a real broker: one instance per source record, exactly. */
class TriggersIT {
  private static final dev.ferry.schemas.Replication SINGLE_COPY =
      new dev.ferry.schemas.Replication((short) 1, null);

  private static final String ORDERS = "it.orders";
  private static final String CRASHY = "it.crashy";
  private static final String FLAKY = "it.flaky";
  private static final String EARLY = "it.early";

  /** The runners started here run outside an orchestrator; their workflows are registered. */
  private static final java.util.function.Predicate<dev.ferry.schemas.WorkflowKey> KNOWN =
      workflow -> true;

  private static DevStack stack;
  private static Api api;
  private static Topics topics;

  @BeforeAll
  static void start() throws Exception {
    Path dir = Files.createTempDirectory("ferry-triggers-it");
    Path triggers = dir.resolve("triggers.json");
    Files.writeString(
        triggers,
        """
        {"triggers": [{"name": "orders", "topic": "%s", "account": "acct", "workflow": "ordered",
          "format": "json", "id": {"from": "field", "name": "orderId"},
          "params": {"from": "field", "name": "body"}},
         {"name": "early", "topic": "%s", "account": "acct", "workflow": "defined-late",
          "format": "json", "id": {"from": "field", "name": "id"}}]}
        """
            .formatted(ORDERS, EARLY));
    stack =
        TestStacks.start(
            dir.resolve("stack"),
            Examples.registry()
                .register("ordered", ThreeStepWorkflow.class)
                .register("triggered", ThreeStepWorkflow.class)
                .register("flaky-triggered", ThreeStepWorkflow.class),
            Map.of(
                OrchestratorConfig.TRIGGERS_FILE,
                triggers.toString(),
                // Short, so a create the orchestrator held for the unknown workflow "defined-late"
                // would be refused (and dead-lettered) well within the test's watch below.
                OrchestratorConfig.UNKNOWN_WORKFLOW_GRACE_MS,
                "500"));
    api = Api.of(stack, "acct");
    topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
    // The orchestrator created the configured trigger's topic; the crash test's is made here.
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", stack.bootstrapServers()))) {
      admin
          .createTopics(
              List.of(new NewTopic(CRASHY, 2, (short) 1), new NewTopic(FLAKY, 2, (short) 1)))
          .all()
          .get();
    }
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static void produce(String topic, List<String> values) throws Exception {
    try (KafkaProducer<String, String> producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(stack.bootstrapServers(), "it-source"),
            new StringSerializer(),
            new StringSerializer())) {
      for (int i = 0; i < values.size(); i++) {
        producer.send(new ProducerRecord<>(topic, "k" + i, values.get(i))).get();
      }
    }
  }

  private static List<ConsumerRecord<String, byte[]>> committed(String topic) {
    return CommittedRecords.read(stack.bootstrapServers(), topic);
  }

  /** The create commands a trigger committed, by request id. */
  private static List<String> triggerCreates(String trigger) {
    var values = topics.serde(Topics.COMMANDS).deserializer();
    List<String> requests = new ArrayList<>();
    for (var record : committed(topics.name(Topics.COMMANDS))) {
      Command command = values.deserialize(record.topic(), record.value());
      if (command.getRequestId().startsWith("trigger:" + trigger + ":")) {
        requests.add(command.getRequestId());
      }
    }
    return requests;
  }

  /** {@code {"value": i}} for i in 0..count-1. */
  private static List<String> numbered(int count) {
    List<String> values = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      values.add("{\"value\":" + i + "}");
    }
    return values;
  }

  /** A JSON trigger from {@code topic} creating {@code workflow} instances with generated ids. */
  private static TriggerSpec generatedIds(String name, String topic, String workflow) {
    return new TriggerSpec(
        name,
        topic,
        "acct",
        workflow,
        TriggerSpec.Format.JSON,
        TriggerSpec.IdFrom.GENERATED,
        null,
        TriggerSpec.ParamsFrom.VALUE,
        null);
  }

  @Test
  void shouldGoOnAfterABatchFailsAndCreateEachInstanceOnce() throws Exception {
    int records = 5;
    produce(FLAKY, numbered(records));
    TriggerSpec spec = generatedIds("flaky", FLAKY, "flaky-triggered");
    TriggerRunner.Options options =
        new TriggerRunner.Options(
            stack.kafkaSettings(), topics, "it-flaky", "it-flaky-tx", 2, SINGLE_COPY, KNOWN);
    AtomicInteger calls = new AtomicInteger();

    try (TriggerRunner runner =
        TriggerRunner.start(
            options,
            List.of(spec),
            record -> {
              if (calls.incrementAndGet() == 1) {
                throw new IllegalStateException("the first batch fails");
              }
            },
            Clock.systemUTC())) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> triggerCreates("flaky").size() >= records);
    }

    assertThat(calls.get()).isGreaterThan(records);
    assertThat(new HashSet<>(triggerCreates("flaky"))).hasSize(records);
    assertThat(triggerCreates("flaky")).hasSize(records);
  }

  @Test
  void shouldCreateExactlyOneInstancePerRecordWhenTheTriggerDiesMidBatch() throws Exception {
    int records = 40;
    produce(CRASHY, numbered(records));
    TriggerSpec spec = generatedIds("crashy", CRASHY, "triggered");
    TriggerRunner.Options options =
        new TriggerRunner.Options(
            stack.kafkaSettings(), topics, "it-crashy", "it-crashy-tx", 2, SINGLE_COPY, KNOWN);
    AtomicReference<TriggerRunner> first = new AtomicReference<>();
    AtomicInteger sent = new AtomicInteger();
    first.set(
        TriggerRunner.start(
            options,
            List.of(spec),
            record -> {
              // Dies after sending 15 creates inside its open transaction.
              if (sent.incrementAndGet() == 15) {
                first.get().crashAfterThisRecord();
              }
            },
            Clock.systemUTC()));
    await().atMost(Duration.ofSeconds(30)).until(() -> sent.get() >= 15);
    first.get().crash();
    int committedBeforeRestart = triggerCreates("crashy").size();

    try (TriggerRunner second = TriggerRunner.start(options, List.of(spec))) {
      await()
          .atMost(Duration.ofSeconds(60))
          .pollInterval(Duration.ofMillis(250))
          .until(() -> triggerCreates("crashy").size() >= records);
      await()
          .atMost(Duration.ofSeconds(60))
          .until(
              () ->
                  api.list("triggered", "?per_page=100&status=complete")
                          .body()
                          .path("result_info")
                          .path("total_count")
                          .asInt()
                      == records);
    }

    List<String> creates = triggerCreates("crashy");
    assertThat(committedBeforeRestart).isLessThan(records);
    assertThat(creates).hasSize(records);
    assertThat(new HashSet<>(creates)).hasSize(records);
    JsonNode listed = api.list("triggered", "?per_page=100").result();
    Set<String> ids = new HashSet<>(listed.findValuesAsText("id"));
    assertThat(ids).hasSize(records);
    assertThat(listed.findValuesAsText("trigger_source")).containsOnly("event");
  }

  @Test
  void shouldDeadLetterRecordsItCannotMapAndKeepGoing() throws Exception {
    produce(
        ORDERS,
        List.of(
            "{\"orderId\":\"o-1\",\"body\":{\"value\":1}}",
            "this is not json",
            "{\"orderId\":\"o-2\",\"body\":{\"value\":2}}"));

    JsonNode first = api.awaitStatus("ordered", "o-1", "complete");
    JsonNode second = api.awaitStatus("ordered", "o-2", "complete");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () ->
                committed(topics.deadLetter()).stream()
                    .anyMatch(
                        r ->
                            ORDERS.equals(
                                DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC))));

    assertThat(first.path("output").path("value").asInt()).isEqualTo(3);
    assertThat(second.path("output").path("value").asInt()).isEqualTo(5);
    assertThat(first.path("trigger").path("source").asText()).isEqualTo("event");
    ConsumerRecord<String, byte[]> dead =
        committed(topics.deadLetter()).stream()
            .filter(r -> ORDERS.equals(DeadLetters.header(r.headers(), DeadLetters.SOURCE_TOPIC)))
            .findFirst()
            .orElseThrow();
    assertThat(new String(dead.value(), StandardCharsets.UTF_8)).isEqualTo("this is not json");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON))
        .startsWith("trigger 'orders': value:");
    assertThat(DeadLetters.header(dead.headers(), DeadLetters.SOURCE_OFFSET)).isNotBlank();
  }

  @Test
  void shouldCreateInstancesFromAvroRecordsReadWithTheRegistrysSchema() throws Exception {
    Schema schema =
        SchemaBuilder.record("Order")
            .namespace("shop")
            .fields()
            .requiredString("id")
            .name("body")
            .type(SchemaBuilder.record("Body").fields().requiredInt("value").endRecord())
            .noDefault()
            .endRecord();
    var registry = SchemaRegistryClients.forUrl(stack.registryUrl());
    int schemaId = registry.register("it.avro-orders-value", schema);
    GenericRecord body = new GenericData.Record(schema.getField("body").schema());
    body.put("value", 6);
    GenericRecord order = new GenericData.Record(schema);
    order.put("id", "avro-order-1");
    order.put("body", body);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    bytes.write(0);
    bytes.write(ByteBuffer.allocate(4).putInt(schemaId).array());
    BinaryEncoder encoder = EncoderFactory.get().binaryEncoder(bytes, null);
    new GenericDatumWriter<GenericRecord>(schema).write(order, encoder);
    encoder.flush();
    TriggerSpec spec =
        new TriggerSpec(
            "avro-orders",
            "it.avro-orders",
            "acct",
            "ordered",
            TriggerSpec.Format.AVRO,
            TriggerSpec.IdFrom.FIELD,
            "id",
            TriggerSpec.ParamsFrom.FIELD,
            "body");

    try (TriggerRunner runner =
        TriggerRunner.start(
            new TriggerRunner.Options(
                stack.kafkaSettings(), topics, "it-avro", "it-avro-tx", 2, SINGLE_COPY, KNOWN),
            List.of(spec))) {
      try (KafkaProducer<byte[], byte[]> producer =
          new KafkaProducer<>(
              KafkaClients.reliableProducer(stack.bootstrapServers(), "it-avro-source"),
              new ByteArraySerializer(),
              new ByteArraySerializer())) {
        producer.send(new ProducerRecord<>("it.avro-orders", bytes.toByteArray())).get();
      }
      JsonNode done = api.awaitStatus("ordered", "avro-order-1", "complete");

      assertThat(done.path("params").path("value").asInt()).isEqualTo(6);
      assertThat(done.path("output").path("value").asInt()).isEqualTo(13);
    }
  }

  @Test
  void shouldLeaveRecordsInTheSourceUntilTheTriggersWorkflowExists() throws Exception {
    produce(EARLY, List.of("{\"id\":\"early-1\"}", "{\"id\":\"early-2\"}"));

    // Nothing is created (and so nothing refused) while no worker registered "defined-late" and
    // nobody defined it: the trigger's source partitions stay paused.
    await()
        .during(Duration.ofSeconds(3))
        .atMost(Duration.ofSeconds(10))
        .until(() -> triggerCreates("early").isEmpty());
    assertThat(
            api.call(
                    "PUT",
                    "workflows/defined-late",
                    "{\"class_name\":\"Late\",\"script_name\":\"nowhere\"}")
                .status())
        .isEqualTo(200);

    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> triggerCreates("early").size() == 2);
    for (String id : List.of("early-1", "early-2")) {
      api.awaitStatus("defined-late", id, "queued"); // no worker hosts it: created, waiting
    }
    assertThat(committed(topics.deadLetter()))
        .noneSatisfy(dead -> assertThat(dead.key()).contains("defined-late"));
  }

  @Test
  void shouldListTheTriggersOfAWorkflowThroughTheApi() {
    Api.Response listed = api.call("GET", "workflows/ordered/triggers", null);

    assertThat(listed.status()).isEqualTo(200);
    // Other tests may add triggers of their own to this workflow; the configured one is listed.
    JsonNode trigger = null;
    for (JsonNode candidate : listed.result()) {
      if (candidate.path("name").asText().equals("orders")) {
        trigger = candidate;
      }
    }
    assertThat(trigger).as("the trigger from the configuration file").isNotNull();
    assertThat(trigger.path("topic").asText()).isEqualTo(ORDERS);
    assertThat(trigger.path("id").path("from").asText()).isEqualTo("field");
    assertThat(trigger.path("id").path("name").asText()).isEqualTo("orderId");
    assertThat(api.call("GET", "workflows/sleepy/triggers", null).result()).isEmpty();
  }
}
