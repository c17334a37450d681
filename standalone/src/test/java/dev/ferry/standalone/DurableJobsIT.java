package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.gateway.Gateway;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.config.FerryConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bulk jobs outlive the gateway that runs them: every gateway answers for every job, and a job left
 * running by a gateway that went silent is taken over and finished by another.
 */
class DurableJobsIT {
  @Test
  void shouldAnswerForAJobFromAnyGatewayAndFinishOneWhoseGatewayDied(@TempDir Path dir)
      throws Exception {
    try (DevStack stack = TestStacks.start(dir, Examples.registry())) {
      Api first = Api.of(stack, "acct");
      Map<String, Object> settings = new HashMap<>();
      settings.put(FerryConfig.KAFKA_BOOTSTRAP_SERVERS, stack.bootstrapServers());
      settings.put(FerryConfig.SCHEMA_REGISTRY_URL, stack.registryUrl());
      settings.put(GatewayConfig.PORT, 0);
      settings.put(GatewayConfig.AUTH_TOKENS, "acct:" + stack.token("acct"));
      try (Gateway other = Gateway.start(new GatewayConfig(settings, Map.of()))) {
        Api second = new Api("http://127.0.0.1:" + other.port(), "acct", stack.token("acct"));

        asleep(first, "j-1", "j-2");
        String id = first.terminateAll("sleepy", "").result().path("job").path("id").asText();
        JsonNode seen = awaitEnded(second, id);
        assertThat(seen.path("status").asText()).isEqualTo("complete");
        assertThat(seen.path("succeeded").asInt()).isEqualTo(2);

        // A gateway started this job, recorded it once, and died.
        asleep(first, "d-1", "d-2");
        Instant created = Instant.now().minus(Duration.ofMinutes(10));
        try (var producer =
            new KafkaProducer<>(
                KafkaClients.reliableProducer(stack.bootstrapServers(), "dead-gateway"),
                new StringSerializer(),
                new StringSerializer())) {
          producer
              .send(
                  new ProducerRecord<>(
                      "workflows.jobs", "dead-job", Json.write(abandoned("dead-job", created))))
              .get();
        }

        JsonNode finished = awaitEnded(first, "dead-job");
        assertThat(finished.path("status").asText()).isEqualTo("complete");
        assertThat(finished.path("created_on").asText()).isEqualTo(created.toString());
        assertThat(finished.path("processed").asInt()).isEqualTo(2);
        for (String instance : List.of("d-1", "d-2")) {
          assertThat(second.awaitStatus("sleepy", instance, "terminated")).isNotNull();
        }
      }
    }
  }

  private static void asleep(Api api, String... ids) {
    for (String id : ids) {
      assertThat(
              api.create(
                      "sleepy",
                      "{\"instance_id\":\"" + id + "\",\"params\":{\"sleepSeconds\":600}}")
                  .status())
          .isEqualTo(201);
    }
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> List.of(ids).stream().allMatch(id -> api.status("sleepy", id).equals("waiting")));
  }

  private static JsonNode awaitEnded(Api api, String jobId) {
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () -> {
              Api.Response job = api.call("GET", "jobs/" + jobId, null);
              return job.status() == 200 && !job.result().path("ended_on").isNull();
            });
    return api.call("GET", "jobs/" + jobId, null).result();
  }

  /** A terminate job as its gateway recorded it before dying: running, nothing answered yet. */
  private static Map<String, Object> abandoned(String id, Instant created) {
    Map<String, Object> job = new LinkedHashMap<>();
    job.put("id", id);
    job.put("type", "terminate");
    job.put("workflow", "sleepy");
    job.put("filter", Map.of());
    job.put("status", "running");
    job.put("total", 2);
    job.put("processed", 0);
    job.put("succeeded", 0);
    job.put("skipped", 0);
    job.put("failed", 0);
    job.put("created_on", created.toString());
    job.put("ended_on", null);
    job.put("errors", List.of());
    job.put("account", "acct");
    job.put("gateway", "gone");
    job.put("heartbeat", created.toString());
    return job;
  }
}
