package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.examples.Examples;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Over a hundred bad records on the commands and events topics, interleaved with good ones: each
 * bad one is dead-lettered with a reason, every good one takes effect, nothing stalls.
 */
class BadRecordsIT {
  private final Random random = new Random(20261201);

  @Test
  void shouldDeadLetterEveryBadRecordWithAReasonAndTakeEveryGoodOne(@TempDir Path dir)
      throws Exception {
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      Api api = Api.of(stack, "acct");
      Topics topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
      String commands = topics.name(Topics.COMMANDS);
      String events = topics.name(Topics.EVENTS);
      var commandBytes = topics.serde(Topics.COMMANDS).serializer();
      var eventBytes = topics.serde(Topics.EVENTS).serializer();
      for (int i = 0; i < 5; i++) {
        api.create(
            "approval", "{\"instance_id\":\"waits-" + i + "\",\"params\":{\"request\":\"r\"}}");
      }
      for (int i = 0; i < 5; i++) {
        api.awaitStatus("approval", "waits-" + i, "waiting");
      }
      api.create("three-steps", "{\"instance_id\":\"done\",\"params\":{\"value\":1}}");
      api.awaitStatus("three-steps", "done", "complete");

      byte[] goodCommand = commandBytes.serialize(commands, create("template", "{\"value\":1}"));
      byte[] goodEvent = eventBytes.serialize(events, event("waits-0", "approval", "{}"));
      List<byte[]> badCommands = new ArrayList<>();
      List<byte[]> badEvents = new ArrayList<>();
      malformed(badCommands, goodCommand, 10);
      malformed(badEvents, goodEvent, 8);
      for (int i = 0; i < 10; i++) { // valid Avro of the other topic's type
        badCommands.add(eventBytes.serialize(events, event("waits-0", "approval", "{}")));
        badEvents.add(commandBytes.serialize(commands, create("wrong-type-" + i, "{}")));
      }
      for (Command invalid :
          List.of(
              create("bad id!", "{}"),
              create("-dash", "{}"),
              create("not-json", "{nope"),
              create("trailing", "{}x"),
              withAction(create("negative", "{}"), a -> a.setSuccessRetentionMs(-1L)),
              withAction(create("no-steps", "{}"), a -> a.setMaxSteps(0)),
              withAction(create("huge-steps", "{}"), a -> a.setMaxSteps(Integer.MAX_VALUE)),
              create("oversized", "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}"),
              Command.newBuilder(create("unknown-workflow", "{}")).setWorkflow("no-such").build(),
              Command.newBuilder(create("bad-account", "{}")).setAccount("bad account").build())) {
        badCommands.add(commandBytes.serialize(commands, invalid));
      }
      for (InstanceEvent invalid :
          List.of(
              event("waits-1", "bad type!", "{}"),
              event("waits-1", "approval", "{nope"),
              event("waits-1", "approval", "{\"pad\":\"" + "x".repeat(1_100_000) + "\"}"),
              event("no-such-instance", "approval", "{}"),
              event("no-such-instance-2", "approval", "{}"),
              InstanceEvent.newBuilder(event("waits-1", "approval", "{}"))
                  .setEventId("x".repeat(200))
                  .build(),
              InstanceEvent.newBuilder(event("waits-1", "approval", "{}"))
                  .setWorkflow("no-such")
                  .build(),
              event("done", "approval", "{}"), // finished
              InstanceEvent.newBuilder(event("waits-1", "approval", "{}")).setAccount("").build(),
              InstanceEvent.newBuilder(event("waits-1", "approval", "{}"))
                  .setInstanceId("bad id!")
                  .build())) {
        badEvents.add(eventBytes.serialize(events, invalid));
      }

      try (var producer =
          new KafkaProducer<>(
              KafkaClients.reliableProducer(stack.bootstrapServers(), "bad-records-it"),
              new StringSerializer(),
              new ByteArraySerializer())) {
        int good = 0;
        for (int i = 0; i < Math.max(badCommands.size(), badEvents.size()); i++) {
          if (i < badCommands.size()) {
            producer.send(
                new ProducerRecord<>(commands, "acct/three-steps/bad-" + i, badCommands.get(i)));
          }
          if (i < badEvents.size()) {
            producer.send(new ProducerRecord<>(events, "acct/approval/waits-1", badEvents.get(i)));
          }
          if (i % 6 == 0) {
            String id = "good-" + good++;
            producer.send(
                new ProducerRecord<>(
                    commands,
                    "acct/three-steps/" + id,
                    commandBytes.serialize(commands, create(id, "{\"value\":" + good + "}"))));
          }
          if (i == 20) {
            for (int w = 0; w < 5; w++) {
              producer.send(
                  new ProducerRecord<>(
                      events,
                      "acct/approval/waits-" + w,
                      eventBytes.serialize(
                          events,
                          event(
                              "waits-" + w,
                              "approval",
                              "{\"approver\":\"ada\",\"approved\":true}"))));
            }
          }
        }
        producer.flush();

        assertThat(badCommands.size() + badEvents.size()).isGreaterThanOrEqualTo(100);
        for (int g = 0; g < good; g++) {
          api.awaitStatus("three-steps", "good-" + g, "complete");
        }
        for (int w = 0; w < 5; w++) {
          assertThat(api.awaitStatus("approval", "waits-" + w, "complete").path("output").asText())
              .isEqualTo("request r approved by ada");
        }
        Map<String, Integer> expected =
            Map.of(commands, badCommands.size(), events, badEvents.size());
        Map<String, Integer> deadLettered = new HashMap<>();
        await()
            .atMost(Duration.ofSeconds(60))
            .untilAsserted(
                () -> {
                  deadLettered.clear();
                  for (ConsumerRecord<String, byte[]> dead :
                      CommittedRecords.read(stack.bootstrapServers(), topics.deadLetter())) {
                    assertThat(DeadLetters.header(dead.headers(), DeadLetters.REASON)).isNotBlank();
                    deadLettered.merge(
                        DeadLetters.header(dead.headers(), DeadLetters.SOURCE_TOPIC),
                        1,
                        Integer::sum);
                  }
                  assertThat(deadLettered).isEqualTo(expected);
                });
        api.create("three-steps", "{\"instance_id\":\"after-all\",\"params\":{\"value\":3}}");
        assertThat(
                api.awaitStatus("three-steps", "after-all", "complete")
                    .path("output")
                    .path("value")
                    .asInt())
            .isEqualTo(7);
      }
    }
  }

  /** Garbage, a wrong magic byte, an unknown schema id and truncations of a good record. */
  private void malformed(List<byte[]> out, byte[] good, int each) {
    for (int i = 0; i < each; i++) {
      byte[] garbage = new byte[1 + random.nextInt(64)];
      random.nextBytes(garbage);
      garbage[0] = (byte) (1 + random.nextInt(255));
      out.add(garbage);
      byte[] magic = good.clone();
      magic[0] = (byte) (1 + i);
      out.add(magic);
      byte[] unknownId = good.clone();
      unknownId[1] = 0x7f;
      unknownId[2] = (byte) (0xf0 + i);
      out.add(unknownId);
      out.add(Arrays.copyOf(good, 5 + random.nextInt(good.length - 6)));
    }
  }

  private static Command create(String id, String params) {
    return Command.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setAccount("acct")
        .setWorkflow("three-steps")
        .setInstanceId(id)
        .setIssuedAt(System.currentTimeMillis())
        .setAction(CreateInstance.newBuilder().setParams(params).build())
        .build();
  }

  private static Command withAction(
      Command command, java.util.function.Consumer<CreateInstance> change) {
    CreateInstance action = CreateInstance.newBuilder((CreateInstance) command.getAction()).build();
    change.accept(action);
    return Command.newBuilder(command).setAction(action).build();
  }

  private static InstanceEvent event(String instance, String type, String payload) {
    return InstanceEvent.newBuilder()
        .setEventId(UUID.randomUUID().toString())
        .setAccount("acct")
        .setWorkflow("approval")
        .setInstanceId(instance)
        .setType(type)
        .setPayload(payload)
        .setSentAt(System.currentTimeMillis())
        .build();
  }
}
