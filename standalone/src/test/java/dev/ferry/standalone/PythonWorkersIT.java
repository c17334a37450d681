package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ferry.client.CreateOptions;
import dev.ferry.client.Workflows;
import dev.ferry.examples.Examples;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Python workflows in real Python worker processes ({@code python3 -m ferry.worker}) against the
 * real stack: the examples end to end, a worker killed mid-step, controls reaching Python runs, and
 * a Java and a Python group working together. A machine without the Python packages fails here with
 * what to install (never a skip): {@code .ci/run} installs them.
 */
class PythonWorkersIT {
  private static final String GROUP = "it-python";
  private static final Path HOME = Path.of("..", "python").toAbsolutePath().normalize();
  private static final Map<String, String> FLOWS =
      Map.of(
          "py-gated", "itflows:Gated",
          "py-slow", "itflows:Slow",
          "py-notifier", "itflows:Notifier",
          "py-flaky", "itflows:Flaky");

  private static Path dir;
  private static DevStack stack;
  private static Api api;
  private static final List<PythonWorker> workers = new ArrayList<>();

  /** A Java workflow that starts a Python instance and waits for the event it sends back. */
  public static final class AsksPython extends WorkflowEntrypoint<Map<String, Object>, Object> {
    @Override
    public Object run(WorkflowEvent<Map<String, Object>> event, WorkflowStep step) {
      Map<String, Object> p = event.payload();
      String started =
          step.run(
              "start python",
              () ->
                  Workflows.connect((String) p.get("account_url"), (String) p.get("token"))
                      .workflow("py-notifier")
                      .create(
                          CreateOptions.withId("notifier-for-" + event.instanceId())
                              .params(
                                  Map.of(
                                      "account_url", p.get("account_url"),
                                      "token", p.get("token"),
                                      "workflow", "asks-python",
                                      "instance", event.instanceId(),
                                      "value", p.get("value"))))
                      .id());
      var answer =
          step.waitForEvent(
              "python answers", WaitOptions.type("python-done").timeout("2 minutes"), Map.class);
      return Map.of("started", started, "answer", answer.payload());
    }
  }

  @BeforeAll
  static void start() throws Exception {
    assertThat(PythonWorker.unavailable(PythonWorker.home().or(() -> java.util.Optional.of(HOME))))
        .as(
            "a python3 with confluent-kafka, avro and prometheus-client (apt-get install -y"
                + " python3-confluent-kafka python3-avro python3-prometheus-client)")
        .isEmpty();
    dir = Files.createTempDirectory("ferry-python-it");
    stack =
        TestStacks.start(
            dir.resolve("stack"), Examples.registry().register("asks-python", AsksPython.class));
    api = Api.of(stack, "acct");
    startWorker("py-1", allWorkflows());
    awaitRegistered("py-three-steps");
    awaitRegistered("py-gated");
  }

  @AfterAll
  static void stop() {
    workers.forEach(PythonWorker::close);
    stack.close();
  }

  private static Map<String, String> allWorkflows() {
    Map<String, String> all = new java.util.HashMap<>(PythonWorker.EXAMPLES);
    all.putAll(FLOWS);
    all.remove("py-slow"); // hosted only by the workers of the crash test
    return all;
  }

  private static PythonWorker startWorker(String id, Map<String, String> workflows)
      throws IOException {
    return startWorker(GROUP, id, workflows);
  }

  private static PythonWorker startWorker(String group, String id, Map<String, String> workflows)
      throws IOException {
    return startWorker(group, id, workflows, Map.of());
  }

  private static PythonWorker startWorker(
      String group, String id, Map<String, String> workflows, Map<String, String> settings)
      throws IOException {
    Map<String, String> env =
        new java.util.HashMap<>(
            Map.of(
                "PYTHONPATH",
                HOME.resolve("tests").resolve("e2e").toString(),
                "FERRY_WORKER_HEARTBEAT_INTERVAL_MS",
                "300",
                // A killed worker's presence expires after three intervals.
                "FERRY_WORKER_PRESENCE_INTERVAL_MS",
                "1000",
                "FERRY_WORKER_SESSION_TIMEOUT_MS",
                "6000",
                "FERRY_WORKER_LOG_LEVEL",
                "DEBUG"));
    env.putAll(settings);
    PythonWorker worker =
        PythonWorker.start(
            HOME,
            new PythonWorker.Options(
                group,
                id,
                List.of("acct"),
                workflows,
                stack.bootstrapServers(),
                stack.registryUrl(),
                env,
                dir.resolve(id + ".log")));
    workers.add(worker);
    return worker;
  }

  private static void awaitRegistered(String workflow) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(200))
        .until(() -> api.call("GET", "workflows/" + workflow, null).status() == 200);
  }

  private static List<String> stepNames(JsonNode instance) {
    List<String> names = new ArrayList<>();
    instance
        .path("steps")
        .forEach(s -> names.add(s.path("type").asText() + ":" + s.path("name").asText()));
    return names;
  }

  private static Path file(String name) {
    return dir.resolve(name);
  }

  private static void awaitFile(Path path) {
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(50))
        .until(() -> Files.exists(path));
  }

  @Test
  void shouldRunThePythonExamplesToTheirEndWithTheirStepHistory() {
    api.create("py-three-steps", "{\"instance_id\":\"e-3\",\"params\":{\"value\":4}}");
    api.create("py-dag", "{\"instance_id\":\"e-dag\",\"params\":{\"left\":5,\"right\":6}}");
    api.create("py-sleepy", "{\"instance_id\":\"e-sleep\",\"params\":{\"sleepSeconds\":1}}");
    api.create("py-refusing", "{\"instance_id\":\"e-refuse\",\"params\":{\"amount\":9}}");
    api.create("py-approval", "{\"instance_id\":\"e-approve\"}");

    JsonNode three = api.awaitStatus("py-three-steps", "e-3", "complete");
    assertThat(three.path("output").path("value").asInt()).isEqualTo(13);
    assertThat(stepNames(three)).containsExactly("step:add one", "step:double", "step:add three");
    JsonNode dag = api.awaitStatus("py-dag", "e-dag", "complete");
    assertThat(dag.path("output").path("sum").asInt()).isEqualTo(11);
    assertThat(stepNames(dag)).containsExactly("step:left", "step:right", "step:combine");
    JsonNode slept = api.awaitStatus("py-sleepy", "e-sleep", "complete");
    assertThat(stepNames(slept)).containsExactly("sleep:nap", "step:greet");
    JsonNode refused = api.awaitStatus("py-refusing", "e-refuse", "errored");
    assertThat(refused.path("error").path("name").asText()).isEqualTo("NonRetryableError");
    assertThat(refused.path("error").path("message").asText()).isEqualTo("amount 9 refused");
    api.awaitStatus("py-approval", "e-approve", "waiting");
    api.sendEvent("py-approval", "e-approve", "approved", "{\"by\":\"ann\"}");
    JsonNode approved = api.awaitStatus("py-approval", "e-approve", "complete");
    assertThat(approved.path("output").path("approved_by").asText()).isEqualTo("ann");
    api.create("py-flaky", "{\"instance_id\":\"e-flaky\"}");
    JsonNode flaky = api.awaitStatus("py-flaky", "e-flaky", "complete");
    assertThat(flaky.path("output").asText()).isEqualTo("ok on attempt 3");
    JsonNode attempts = flaky.path("steps").get(0).path("attempts");
    assertThat(attempts.size()).isEqualTo(3);
    assertThat(attempts.get(1).path("error").path("message").asText())
        .isEqualTo("attempt 2 failed");
    assertThat(
            api.call("GET", "workflows/py-dag/versions", null)
                .result()
                .get(0)
                .path("language")
                .asText())
        .isEqualTo("python");
  }

  @Test
  void shouldServeMetricsThatMoveAndReadinessFromThePythonWorker() throws Exception {
    PythonWorker worker = workers.get(0);
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> MetricsIT.get(worker.adminUrl() + "/readyz").statusCode() == 200);
    String first = MetricsIT.get(worker.adminUrl() + "/metrics").body();
    // Another test may have run py-flaky already; a counter appears with its first count.
    double before =
        first.contains("ferry_step_attempts_total{workflow=\"py-flaky\"}")
            ? MetricsIT.sum(first, "ferry_step_attempts_total", "workflow=\"py-flaky\"")
            : 0;

    api.create("py-flaky", "{\"instance_id\":\"metrics-flaky\"}");
    api.awaitStatus("py-flaky", "metrics-flaky", "complete");

    String scrape = MetricsIT.get(worker.adminUrl() + "/metrics").body();
    JsonNode ready =
        new ObjectMapper().readTree(MetricsIT.get(worker.adminUrl() + "/readyz").body());
    // Three attempts: two failed, then the one that succeeded.
    assertThat(MetricsIT.sum(scrape, "ferry_step_attempts_total", "workflow=\"py-flaky\""))
        .isEqualTo(before + 3);
    assertThat(MetricsIT.sum(scrape, "ferry_step_failures_total", "workflow=\"py-flaky\""))
        .isGreaterThanOrEqualTo(2);
    assertThat(
            MetricsIT.sum(
                scrape,
                "ferry_step_duration_seconds_count",
                "workflow=\"py-flaky\"",
                "outcome=\"succeeded\""))
        .isPositive();
    assertThat(
            MetricsIT.sum(
                scrape, "ferry_activation_latency_seconds_count", "workflow=\"py-flaky\""))
        .isPositive();
    assertThat(scrape)
        .contains("# TYPE ferry_worker_task_lag_records gauge")
        .contains("ferry_worker_task_lag_records{group=\"it-python\",worker=\"py-1\"}")
        .contains("process_resident_memory_bytes");
    assertThat(MetricsIT.promtool(scrape)).isEmpty();
    assertThat(ready.path("ready").asBoolean()).isTrue();
    assertThat(ready.path("checks").path("worker py-1").path("detail").asText())
        .startsWith("in group it-python with ");
    assertThat(ready.path("checks").path("schema registry").path("ready").asBoolean()).isTrue();
  }

  @Test
  void shouldRetryAStepWhoseWorkerWasKilledMidStepOnAnotherWorker() throws Exception {
    // At first only the doomed worker, in a group of its own, hosts py-slow.
    PythonWorker doomed =
        startWorker("it-python-doomed", "py-doomed", Map.of("py-slow", FLOWS.get("py-slow")));
    awaitRegistered("py-slow");
    Path started = file("slow-started");
    api.create(
        "py-slow", "{\"instance_id\":\"crash-1\",\"params\":{\"started\":\"" + started + "\"}}");
    awaitFile(started);
    // The attempt counts once the orchestrator knows of it: a heartbeat named it in flight.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> api.get("py-slow", "crash-1").result().path("steps").size() == 1);

    doomed.kill();
    // Every member of a group hosts the same workflows, so the rescuer comes in a group of its own.
    startWorker("it-python-rescue", "py-rescue", Map.of("py-slow", FLOWS.get("py-slow")));

    JsonNode done = api.awaitStatus("py-slow", "crash-1", "complete");
    assertThat(Files.readAllLines(started)).startsWith("1").hasSizeGreaterThanOrEqualTo(2);
    assertThat(done.path("output").asText()).isNotEqualTo("done on attempt 1");
    JsonNode attempts = done.path("steps").get(0).path("attempts");
    assertThat(attempts.get(0).path("success").asBoolean()).isFalse();
    assertThat(attempts.get(0).path("error").path("name").asText())
        .isEqualTo("WorkflowInternalError");
    assertThat(attempts.get(attempts.size() - 1).path("success").asBoolean()).isTrue();
  }

  @Test
  void shouldRejoinAsTheSameStaticMemberWhenRestartedInPlaceWithoutWaitingForItsSession()
      throws Exception {
    String group = "it-python-static";
    // A session far longer than the wait below: the dead incarnation's would still run.
    Map<String, String> staticMember =
        Map.of(
            "FERRY_WORKER_GROUP_INSTANCE_ID",
            "py-pod-0",
            "FERRY_WORKER_SESSION_TIMEOUT_MS",
            "60000");
    Map<String, String> hosted = Map.of("py-static", FLOWS.get("py-slow"));
    try (var admin = dev.ferry.schemas.KafkaClients.admin(stack.kafkaSettings())) {
      PythonWorker first = startWorker(group, "py-static-a", hosted, staticMember);
      awaitReady(first, Duration.ofSeconds(60));
      List<String> before = members(admin, group);
      assertThat(before).singleElement().asString().startsWith("py-pod-0 ");

      first.kill();
      PythonWorker second = startWorker(group, "py-static-b", hosted, staticMember);

      // A dynamic member would wait out its dead predecessor's session before any assignment.
      awaitReady(second, Duration.ofSeconds(30));
      assertThat(members(admin, group))
          .singleElement()
          .asString()
          .startsWith("py-pod-0 ")
          .isNotEqualTo(before.get(0)); // the same static member, a new incarnation
    }
  }

  private static void awaitReady(PythonWorker worker, Duration within) {
    await()
        .atMost(within)
        .ignoreExceptions() // not listening yet
        .until(() -> MetricsIT.get(worker.adminUrl() + "/readyz").statusCode() == 200);
  }

  /** "instance-id member-id" of each member that holds partitions (none before the group is). */
  private static List<String> members(org.apache.kafka.clients.admin.Admin admin, String group)
      throws Exception {
    org.apache.kafka.clients.admin.ConsumerGroupDescription described;
    try {
      described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof org.apache.kafka.common.errors.GroupIdNotFoundException) {
        return List.of();
      }
      throw e;
    }
    return described.members().stream()
        .filter(m -> !m.assignment().topicPartitions().isEmpty())
        .map(m -> m.groupInstanceId().orElse("(dynamic)") + " " + m.consumerId())
        .toList();
  }

  @Test
  void shouldPauseResumeTerminateAndRestartPythonRuns() throws Exception {
    Path entered = file("pause-entered");
    Path gate = file("pause-gate");
    api.create("py-gated", gated("pause-1", entered, gate));
    awaitFile(entered);

    assertThat(api.changeStatus("py-gated", "pause-1", "{\"status\":\"pause\"}").status())
        .isEqualTo(200);
    // The pause reaches the worker through its task partition; only then does it hold the run.
    await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(Duration.ofMillis(50))
        .until(
            () ->
                Files.readString(dir.resolve("py-1.log"))
                    .contains("PAUSE of acct/py-gated/pause-1"));
    Files.writeString(gate, "open");
    // The pause reached the Python run: it finished the step in flight and stopped before "after".
    JsonNode paused = api.awaitStatus("py-gated", "pause-1", "paused");
    assertThat(stepNames(paused)).containsExactly("step:gated");
    api.changeStatus("py-gated", "pause-1", "{\"status\":\"resume\"}");
    JsonNode resumed = api.awaitStatus("py-gated", "pause-1", "complete");
    assertThat(resumed.path("output").asText()).isEqualTo("gate passed, then after");

    Path entered2 = file("term-entered");
    api.create("py-gated", gated("term-1", entered2, file("term-gate")));
    awaitFile(entered2);
    api.changeStatus("py-gated", "term-1", "{\"status\":\"terminate\"}");
    api.awaitStatus("py-gated", "term-1", "terminated");
    Files.writeString(file("term-gate"), "open");

    String firstStart = resumed.path("start").asText();
    api.changeStatus("py-gated", "pause-1", "{\"status\":\"restart\"}");
    // The gate is open now: the restarted run goes through both steps again.
    await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(
            () -> {
              JsonNode again = api.get("py-gated", "pause-1").result();
              return again.path("status").asText().equals("complete")
                  && again.path("start").asText().compareTo(firstStart) > 0
                  && stepNames(again).size() == 2;
            });
  }

  private static String gated(String id, Path entered, Path gate) {
    return "{\"instance_id\":\""
        + id
        + "\",\"params\":{\"entered\":\""
        + entered
        + "\",\"gate\":\""
        + gate
        + "\"}}";
  }

  @Test
  void shouldCreateAndWakeAnInstanceFromAPythonProcessThatSpeaksOnlyKafka() throws Exception {
    String script =
        "import sys\n"
            + "from ferry.client.kafka import KafkaCommands\n"
            + "with KafkaCommands(sys.argv[1], sys.argv[2]) as kafka:\n"
            + "    kafka.create('acct', 'py-approval', {}, instance_id='from-kafka')\n"
            + "    kafka.send_event('acct', 'py-approval', 'from-kafka', 'approved', {'by': 'kafka'})\n";
    Process producer =
        new ProcessBuilder(
                "bash",
                HOME.resolve("bin").resolve("ferry-python").toString(),
                "-c",
                script,
                stack.bootstrapServers(),
                stack.registryUrl())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("kafka-producer.log").toFile())
            .start();
    assertThat(producer.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(producer.exitValue())
        .as(Files.readString(dir.resolve("kafka-producer.log")))
        .isZero();

    // The event came before the wait: it was kept, and delivered when the run reached the wait.
    JsonNode approved = api.awaitStatus("py-approval", "from-kafka", "complete");
    assertThat(approved.path("output").path("approved_by").asText()).isEqualTo("kafka");
  }

  @Test
  void shouldLetAJavaWorkflowAndAPythonWorkflowTalkThroughTheirClients() {
    String accountUrl = stack.gatewayUrl() + "/client/v4/accounts/acct";
    api.create(
        "asks-python",
        "{\"instance_id\":\"mixed-1\",\"params\":{\"account_url\":\""
            + accountUrl
            + "\",\"token\":\""
            + stack.token("acct")
            + "\",\"value\":4}}");

    JsonNode java = api.awaitStatus("asks-python", "mixed-1", "complete");

    assertThat(java.path("output").path("started").asText()).isEqualTo("notifier-for-mixed-1");
    assertThat(java.path("output").path("answer").path("from").asText()).isEqualTo("python");
    assertThat(java.path("output").path("answer").path("value").asInt()).isEqualTo(40);
    JsonNode python = api.awaitStatus("py-notifier", "notifier-for-mixed-1", "complete");
    assertThat(python.path("versions_run").size()).isEqualTo(1);
  }
}
