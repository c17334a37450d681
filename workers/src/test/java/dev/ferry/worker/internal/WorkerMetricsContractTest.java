package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.ops.FerryMetrics;
import dev.ferry.ops.Observability;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.internals.AutoOffsetResetStrategy;
import org.apache.kafka.clients.producer.MockProducer;
import org.junit.jupiter.api.Test;

/**
 * The worker's metrics against {@code contract/metrics.json}, which the Python worker's suite reads
 * too: the same names, types, labels and buckets from a Java and a Python worker.
 */
class WorkerMetricsContractTest {
  private static JsonNode table() throws Exception {
    return new ObjectMapper().readTree(Path.of("..", "contract", "metrics.json").toFile());
  }

  private static String scrapeOfAWorkerThatRanSteps() {
    Observability observability = Observability.create();
    WorkerMetrics metrics = new WorkerMetrics(observability.registry());
    metrics.attemptFinished("checkout", true, Duration.ofMillis(4));
    metrics.attemptFinished("checkout", false, Duration.ofMillis(200));
    metrics.activationStarted("checkout", Duration.ofMillis(30));
    try (WorkerObservation observation =
        WorkerObservation.start(
            observability,
            new Topics("t.", SchemaRegistryClients.forUrl("mock://metrics-" + UUID.randomUUID())),
            new MockConsumer<>(AutoOffsetResetStrategy.EARLIEST.name()),
            new MockProducer<>(),
            "billing",
            "w-1",
            new WorkerObservation.AdminPort("127.0.0.1", -1, "worker.admin.port"))) {
      return observability.registry().scrape();
    }
  }

  @Test
  void shouldServeEveryWorkerMetricOfTheSharedTableWithItsTypeAndLabels() throws Exception {
    String scrape = scrapeOfAWorkerThatRanSteps();

    for (JsonNode family : table().get("worker")) {
      String name = family.get("name").asText();
      Set<String> labels = new HashSet<>();
      family.get("labels").forEach(l -> labels.add(l.asText()));
      assertThat(scrape).contains("# TYPE " + name + " " + family.get("type").asText());
      Matcher samples =
          Pattern.compile("(?m)^" + Pattern.quote(name) + "(?:_bucket|_count|_sum)?\\{([^}]*)\\}")
              .matcher(scrape);
      assertThat(samples.find()).as(name).isTrue();
      do {
        Set<String> have = new HashSet<>();
        for (String pair : samples.group(1).split(",")) {
          have.add(pair.substring(0, pair.indexOf('=')));
        }
        have.remove("le");
        assertThat(have).as(samples.group()).isEqualTo(labels);
      } while (samples.find());
    }
  }

  @Test
  void shouldUseTheLatencyBucketsOfTheSharedTable() throws Exception {
    double[] shared = new double[table().get("latencyBucketsSeconds").size()];
    for (int i = 0; i < shared.length; i++) {
      shared[i] = table().get("latencyBucketsSeconds").get(i).asDouble();
    }

    assertThat(
            Arrays.stream(FerryMetrics.LATENCY_BUCKETS)
                .mapToDouble(d -> d.toNanos() / 1e9)
                .toArray())
        .containsExactly(shared);
  }
}
