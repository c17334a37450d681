package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.worker.WorkflowRegistry;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whatever one record or one workflow class does wrong, the part that meets it goes on: workers
 * take the other tasks, the gateway answers the other requests.
 */
class PoisonInputIT {

  /** Its constructor throws, as a workflow whose configuration is missing would. */
  public static final class CannotBeCreated extends WorkflowEntrypoint<Object, String> {
    public CannotBeCreated() {
      throw new IllegalStateException("no configuration for the mailer");
    }

    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return "unreachable";
    }
  }

  public static final class Works extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run("work", () -> "worked");
    }
  }

  private static WorkflowRegistry workflows() {
    return new WorkflowRegistry()
        .register("cannot-be-created", CannotBeCreated.class)
        .register("works", Works.class);
  }

  @Test
  void shouldFailOnlyTheRunWhoseWorkflowCannotBeCreatedAndGoOn(@TempDir Path dir) {
    try (DevStack stack = TestStacks.start(dir, workflows())) {
      Api api = Api.of(stack, "acct");

      api.create("cannot-be-created", "{\"instance_id\":\"broken-1\"}");
      JsonNode broken = api.awaitStatus("cannot-be-created", "broken-1", "errored");
      api.create("works", "{\"instance_id\":\"works-1\"}");

      assertThat(broken.path("error").path("message").asText())
          .isEqualTo("the workflow could not be created: no configuration for the mailer");
      assertThat(api.awaitStatus("works", "works-1", "complete").path("output").asText())
          .isEqualTo("worked");
    }
  }

  @Test
  void shouldSkipATaskWithoutValueAndGoOn(@TempDir Path dir) throws Exception {
    try (DevStack stack = TestStacks.start(dir, workflows())) {
      Api api = Api.of(stack, "acct");
      String tasks = "workflows.tasks." + stack.workers().get(0).group();
      produce(stack, tasks, "acct/works/ghost", null);
      produce(stack, tasks, null, new byte[] {0, 0, 0, 0, 1});

      api.create("works", "{\"instance_id\":\"after-tombstone\"}");

      assertThat(api.awaitStatus("works", "after-tombstone", "complete").path("output").asText())
          .isEqualTo("worked");
    }
  }

  @Test
  void shouldAnswerWritesAfterATombstoneAndGarbageOnTheRepliesTopic(@TempDir Path dir)
      throws Exception {
    try (DevStack stack = TestStacks.start(dir, workflows())) {
      Api api = Api.of(stack, "acct");
      produce(stack, "workflows.replies", "acct/works/ghost", null);
      produce(stack, "workflows.replies", "acct/works/ghost", new byte[] {9, 9, 9});

      Api.Response created = api.create("works", "{\"instance_id\":\"after-poison\"}");

      assertThat(created.status()).isEqualTo(201);
      assertThat(api.awaitStatus("works", "after-poison", "complete").path("output").asText())
          .isEqualTo("worked");
    }
  }

  private static void produce(DevStack stack, String topic, String key, byte[] value)
      throws Exception {
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    }
  }
}
