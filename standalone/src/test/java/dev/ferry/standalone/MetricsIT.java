package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.client.CreateOptions;
import dev.ferry.client.WorkflowInstance;
import dev.ferry.client.Workflows;
import dev.ferry.examples.Examples;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every process's {@code /metrics}, {@code /livez} and {@code /readyz}: the dev stack's gateway
 * showing every part's metrics, and an orchestrator and a worker running on their own admin ports.
 * The scraped text is checked by Prometheus's own linter ({@code promtool check metrics}).
 */
class MetricsIT {
  private static final HttpClient HTTP = HttpClient.newHttpClient();
  private static Path data;
  private static DevStack stack;
  private static Workflows workflows;

  @BeforeAll
  static void start() throws Exception {
    data = Files.createTempDirectory("ferry-metrics-it");
    stack = TestStacks.start(data, Examples.registry());
    workflows =
        Workflows.connect(stack.gatewayUrl() + "/client/v4/accounts/acct", stack.token("acct"));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  static HttpResponse<String> get(String url) throws Exception {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private static WorkflowInstance runToEnd(String workflow, String id, Object params) {
    WorkflowInstance instance =
        workflows.workflow(workflow).create(CreateOptions.withId(id).params(params));
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> instance.status().status().isFinished());
    return instance;
  }

  /** The sum of every sample of a metric whose labels contain each of {@code labels}. */
  static double sum(String scrape, String name, String... labels) {
    Matcher m =
        Pattern.compile("(?m)^" + Pattern.quote(name) + "(\\{[^}]*\\})? ([0-9.eE+-]+|NaN)$")
            .matcher(scrape);
    double total = 0;
    boolean found = false;
    while (m.find()) {
      String have = m.group(1) == null ? "" : m.group(1);
      if (!java.util.Arrays.stream(labels).allMatch(have::contains)) {
        continue;
      }
      found = true;
      total += Double.parseDouble(m.group(2));
    }
    assertThat(found).as("a sample of %s with %s", name, java.util.List.of(labels)).isTrue();
    return total;
  }

  /**
   * What Prometheus's {@code promtool check metrics} finds wrong: the whole text must parse, and
   * Ferry's own families must pass its lint too (Kafka's client metrics, named by Kafka, do not:
   * "_ns", "_count" on gauges). Empty when nothing is wrong.
   */
  static String promtool(String scrape) throws IOException, InterruptedException {
    String whole = runPromtool(scrape);
    if (whole.contains("parsing error")) {
      return whole;
    }
    return runPromtool(ferryFamilies(scrape));
  }

  /** The lines of the families whose names start with ferry_. */
  static String ferryFamilies(String scrape) {
    StringBuilder out = new StringBuilder();
    for (String line : scrape.lines().toList()) {
      String name =
          line.startsWith("# ") ? line.split(" ", 4).length > 2 ? line.split(" ", 4)[2] : "" : line;
      if (name.startsWith("ferry_")) {
        out.append(line).append('\n');
      }
    }
    assertThat(out).as("ferry_ families in the scrape").isNotEmpty();
    return out.toString();
  }

  private static String runPromtool(String scrape) throws IOException, InterruptedException {
    Process promtool;
    try {
      promtool =
          new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    } catch (IOException e) {
      throw new AssertionError(
          "promtool is needed to check the metrics: apt-get install prometheus (.ci/run does)", e);
    }
    try (var in = promtool.getOutputStream()) {
      in.write(scrape.getBytes(StandardCharsets.UTF_8));
    }
    String said = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return promtool.exitValue() == 0 ? "" : said;
  }

  @Test
  void shouldCountInstancesStepsTimersAndDeadLettersOfEveryPartOnTheGateway() throws Exception {
    runToEnd("three-steps", "m-1", Map.of("value", 1));
    runToEnd("flaky", "m-flaky", Map.of());
    runToEnd("sleepy", "m-sleepy", Map.of("sleepSeconds", 1));
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer.send(new ProducerRecord<>("workflows.commands", "x", new byte[] {1, 2, 3})).get();
    }
    await()
        .atMost(Duration.ofSeconds(30))
        .until(
            () -> get(stack.gatewayUrl() + "/metrics").body().contains("ferry_dead_letters_total"));

    HttpResponse<String> answer = get(stack.gatewayUrl() + "/metrics");
    String scrape = answer.body();
    Files.writeString(Path.of("target", "metrics-gateway.txt"), scrape);

    assertThat(answer.headers().firstValue("Content-Type").orElse("")).startsWith("text/plain");
    assertThat(scrape)
        .contains("# TYPE ferry_instance_creations_total counter")
        .contains("# TYPE ferry_instance_latency_seconds histogram")
        .contains("# TYPE ferry_timer_lateness_seconds histogram")
        .contains("# TYPE ferry_step_duration_seconds histogram")
        .contains("# TYPE ferry_activation_latency_seconds histogram")
        .contains("# TYPE ferry_instances gauge")
        .contains("# TYPE ferry_worker_task_lag_records gauge")
        .contains("kafka_stream_")
        .contains("kafka_consumer_")
        .contains("jvm_memory_used_bytes");
    assertThat(sum(scrape, "ferry_instance_creations_total", "workflow=\"three-steps\""))
        .isPositive();
    assertThat(
            sum(scrape, "ferry_instances_ended_total", "workflow=\"flaky\"", "status=\"complete\""))
        .isPositive();
    assertThat(sum(scrape, "ferry_step_failures_total", "workflow=\"flaky\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(sum(scrape, "ferry_step_attempts_total", "workflow=\"flaky\""))
        .isGreaterThanOrEqualTo(3);
    assertThat(sum(scrape, "ferry_timer_lateness_seconds_count", "kind=\"sleep\"")).isPositive();
    assertThat(sum(scrape, "ferry_instances", "status=\"complete\"")).isPositive();
    assertThat(sum(scrape, "ferry_dead_letters_total", "reason=\"undecodable\"")).isPositive();
    assertThat(promtool(scrape)).isEmpty();
  }

  @Test
  void shouldMoveTheCountersAsInstancesRun() throws Exception {
    runToEnd("three-steps", "m-before", Map.of("value", 1));
    double before =
        sum(
            get(stack.gatewayUrl() + "/metrics").body(),
            "ferry_instances_ended_total",
            "workflow=\"three-steps\"",
            "status=\"complete\"");

    runToEnd("three-steps", "m-after", Map.of("value", 2));

    await()
        .atMost(Duration.ofSeconds(10))
        .until(
            () ->
                sum(
                        get(stack.gatewayUrl() + "/metrics").body(),
                        "ferry_instances_ended_total",
                        "workflow=\"three-steps\"",
                        "status=\"complete\"")
                    > before);
  }

  @Test
  void shouldBeReadyOnlyWithEveryPartOfTheStackAndSayWhichChecksPassed() throws Exception {
    HttpResponse<String> ready = get(stack.gatewayUrl() + "/readyz");
    HttpResponse<String> live = get(stack.gatewayUrl() + "/livez");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(ready.body())
        .contains("\"status\":\"ready\"")
        .contains("Kafka Streams RUNNING")
        .contains("schema registry")
        .contains("worker dev-worker-1");
    assertThat(live.statusCode()).isEqualTo(200);
  }
}
