package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.ApprovalWorkflow;
import dev.ferry.examples.Examples;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Events end to end: waitForEvent in workflows, sendEvent over HTTP and over Kafka. */
class EventsIT {
  private static DevStack stack;
  private static Api api;

  /** Sleeps first, so events sent right after creation arrive before the wait. */
  public static final class SleepThenWait extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      step.sleep("before waiting", Duration.ofSeconds(2));
      var first =
          step.waitForEvent("first", WaitOptions.type("go"), ApprovalWorkflow.Approval.class);
      var second =
          step.waitForEvent("second", WaitOptions.type("go"), ApprovalWorkflow.Approval.class);
      return first.payload().approver() + "," + second.payload().approver();
    }
  }

  @BeforeAll
  static void start() throws Exception {
    stack =
        TestStacks.start(
            Files.createTempDirectory("ferry-events-it"),
            Examples.registry().register("sleep-then-wait", SleepThenWait.class));
    api = Api.of(stack, "acct");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void shouldDeliverEventSentWhileWaiting() {
    api.create("approval", "{\"instance_id\":\"ev-1\",\"params\":{\"request\":\"laptop\"}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("approval", "ev-1").equals("waiting"));

    Api.Response sent =
        api.sendEvent("approval", "ev-1", "approval", "{\"approver\":\"ada\",\"approved\":true}");

    assertThat(sent.status()).isEqualTo(200);
    JsonNode result = api.awaitStatus("approval", "ev-1", "complete");
    assertThat(result.path("output").asText()).isEqualTo("request laptop approved by ada");
    JsonNode wait = result.path("steps").path(1);
    assertThat(wait.path("type").asText()).isEqualTo("waitForEvent");
    assertThat(wait.path("event_type").asText()).isEqualTo("approval");
    assertThat(wait.path("finished").asBoolean()).isTrue();
    assertThat(wait.path("output").path("approver").asText()).isEqualTo("ada");
  }

  @Test
  void shouldDeliverEventsSentBeforeWaitOldestFirst() {
    api.create("sleep-then-wait", "{\"instance_id\":\"ev-2\"}");
    assertThat(api.sendEvent("sleep-then-wait", "ev-2", "go", "{\"approver\":\"first\"}").status())
        .isEqualTo(200);
    assertThat(api.sendEvent("sleep-then-wait", "ev-2", "go", "{\"approver\":\"second\"}").status())
        .isEqualTo(200);

    JsonNode result = api.awaitStatus("sleep-then-wait", "ev-2", "complete");

    assertThat(result.path("output").asText()).isEqualTo("first,second");
    Instant sleptUntil = Instant.parse(result.path("steps").path(0).path("end").asText());
    Instant waitStarted = Instant.parse(result.path("steps").path(1).path("start").asText());
    assertThat(waitStarted).isAfterOrEqualTo(sleptUntil); // the events really came first
  }

  @Test
  void shouldDeliverAnEventResentWithTheSameIdempotencyKeyOnce() {
    api.create("sleep-then-wait", "{\"instance_id\":\"ev-once\"}");
    String ada = "{\"approver\":\"ada\"}";

    Api.Response first = api.sendEvent("sleep-then-wait", "ev-once", "go", ada, "key-ada");
    Api.Response retried = api.sendEvent("sleep-then-wait", "ev-once", "go", ada, "key-ada");
    Api.Response bob =
        api.sendEvent("sleep-then-wait", "ev-once", "go", "{\"approver\":\"bob\"}", "key-bob");
    Api.Response badKey = api.sendEvent("sleep-then-wait", "ev-once", "go", ada, "x".repeat(129));

    assertThat(List.of(first.status(), retried.status(), bob.status())).containsOnly(200);
    assertThat(badKey.status()).isEqualTo(400);
    assertThat(badKey.firstError()).contains("Idempotency-Key must be 1..128");
    JsonNode result = api.awaitStatus("sleep-then-wait", "ev-once", "complete");
    assertThat(result.path("output").asText()).isEqualTo("ada,bob");
  }

  @Test
  void shouldTimeOutWaitAndDeliverLaterEventToTheNextWait() {
    api.create(
        "approval",
        "{\"instance_id\":\"ev-3\",\"params\":{\"request\":\"x\",\"timeoutSeconds\":1}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("approval", "ev-3").result().path("steps").size() == 4);

    api.sendEvent("approval", "ev-3", "approval", "{\"approver\":\"bob\",\"approved\":false}");

    JsonNode result = api.awaitStatus("approval", "ev-3", "complete");
    assertThat(result.path("output").asText()).isEqualTo("request x rejected by bob");
    JsonNode expired = result.path("steps").path(1);
    assertThat(expired.path("error").path("name").asText()).isEqualTo("WorkflowTimeoutError");
    assertThat(expired.path("output").isNull()).isTrue();
    assertThat(result.path("steps").path(3).path("output").path("approver").asText())
        .isEqualTo("bob");
  }

  @Test
  void shouldAnswer404ForEventToUnknownInstance() {
    Api.Response sent = api.sendEvent("approval", "nobody", "approval", "{}");

    assertThat(sent.status()).isEqualTo(404);
    assertThat(sent.firstError()).contains("not found");
  }

  @Test
  void shouldAnswer409ForEventToFinishedInstance() {
    api.create("three-steps", "{\"instance_id\":\"ev-done\",\"params\":{\"value\":1}}");
    api.awaitStatus("three-steps", "ev-done", "complete");

    Api.Response sent = api.sendEvent("three-steps", "ev-done", "approval", "{}");

    assertThat(sent.status()).isEqualTo(409);
    assertThat(sent.firstError()).contains("complete");
  }

  @Test
  void shouldAnswer413ForEventPayloadOverOneMebibyte() {
    Api.Response sent =
        api.sendEvent("approval", "ev-1", "approval", "\"" + "x".repeat(1024 * 1024) + "\"");

    assertThat(sent.status()).isEqualTo(413);
    assertThat(sent.firstError()).contains("1 MiB");
  }

  @Test
  void shouldAnswer400NamingTheRuleForBadEventTypeOrPayload() {
    Api.Response badType = api.sendEvent("approval", "ev-1", "bad.type", "{}");
    Api.Response badJson = api.sendEvent("approval", "ev-1", "approval", "{nope");

    assertThat(badType.status()).isEqualTo(400);
    assertThat(badType.firstError()).contains("event_type");
    assertThat(badJson.status()).isEqualTo(400);
    assertThat(badJson.firstError()).contains("payload");
  }

  @Test
  void shouldTakeEventsFromKafkaAndDeadLetterThoseForUnknownInstances() throws Exception {
    api.create("approval", "{\"instance_id\":\"ev-kafka\",\"params\":{\"request\":\"k\"}}");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("approval", "ev-kafka").equals("waiting"));
    Topics topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
    try (var producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(stack.bootstrapServers(), "events-it"),
            new StringSerializer(),
            topics.serde(Topics.EVENTS).serializer())) {
      producer.send(record(topics, "ghost")).get();
      producer.send(record(topics, "ev-kafka")).get();
    }

    assertThat(api.awaitStatus("approval", "ev-kafka", "complete").path("output").asText())
        .isEqualTo("request k approved by kafka");
    List<ConsumerRecord<String, byte[]>> dead = new ArrayList<>();
    try (var consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(stack.bootstrapServers(), "events-it-dlq"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      consumer.seekToBeginning(KafkaClients.assignAll(consumer, topics.deadLetter()));
      await()
          .atMost(Duration.ofSeconds(20))
          .until(
              () -> {
                consumer.poll(Duration.ofMillis(100)).forEach(dead::add);
                return dead.stream().anyMatch(r -> r.key().endsWith("/ghost"));
              });
    }
    ConsumerRecord<String, byte[]> ghost =
        dead.stream().filter(r -> r.key().endsWith("/ghost")).findFirst().orElseThrow();
    assertThat(DeadLetters.header(ghost.headers(), DeadLetters.REASON)).contains("not found");
  }

  private static ProducerRecord<String, InstanceEvent> record(Topics topics, String id) {
    InstanceEvent event =
        InstanceEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setAccount("acct")
            .setWorkflow("approval")
            .setInstanceId(id)
            .setType("approval")
            .setPayload("{\"approver\":\"kafka\",\"approved\":true}")
            .setSentAt(System.currentTimeMillis())
            .build();
    return new ProducerRecord<>(topics.name(Topics.EVENTS), "acct/approval/" + id, event);
  }
}
