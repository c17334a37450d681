package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.schemas.DeadLetters;
import dev.ferry.schemas.Topics;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The example workflows end to end: HTTP → Kafka → orchestrator → workers → HTTP. */
class DevStackIT {
  private static DevStack stack;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    stack = TestStacks.start(Files.createTempDirectory("ferry-devstack-it"), Examples.registry());
    api = Api.of(stack, "acct");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  @Test
  void shouldCompleteThreeStepExampleWithEveryStepRecorded() {
    assertThat(
            api.create("three-steps", "{\"instance_id\":\"three-1\",\"params\":{\"value\":5}}")
                .status())
        .isEqualTo(201);

    JsonNode result = api.awaitStatus("three-steps", "three-1", "complete");

    assertThat(result.path("output").path("value").asInt()).isEqualTo(11);
    assertThat(result.path("success").asBoolean()).isTrue();
    assertThat(names(result.path("steps"))).containsExactly("double", "add one", "describe");
    assertThat(result.path("steps").findValues("success")).allMatch(JsonNode::asBoolean);
    assertThat(result.path("step_count").asInt()).isEqualTo(3);
  }

  @Test
  void shouldSleepDurablyBetweenStepsThenComplete() {
    api.create(
        "sleepy",
        "{\"instance_id\":\"sleepy-1\",\"params\":{\"name\":\"Ada\",\"sleepSeconds\":2}}");

    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.status("sleepy", "sleepy-1").equals("waiting"));
    JsonNode result = api.awaitStatus("sleepy", "sleepy-1", "complete");

    assertThat(result.path("output").asText()).isEqualTo("Hello, Ada! (slept 2 s)");
    JsonNode nap = result.path("steps").path(1);
    assertThat(nap.path("type").asText()).isEqualTo("sleep");
    assertThat(nap.path("finished").asBoolean()).isTrue();
    Duration slept =
        Duration.between(
            Instant.parse(nap.path("start").asText()), Instant.parse(nap.path("end").asText()));
    assertThat(slept).isGreaterThanOrEqualTo(Duration.ofMillis(1_900));
  }

  @Test
  void shouldRetryFailingStepWithBackoffUntilItSucceeds() {
    api.create("flaky", "{\"instance_id\":\"flaky-1\"}");

    JsonNode result = api.awaitStatus("flaky", "flaky-1", "complete");

    JsonNode attempts = result.path("steps").path(0).path("attempts");
    assertThat(attempts).hasSize(3);
    assertThat(attempts.get(0).path("error").path("message").asText())
        .isEqualTo("service unavailable (attempt 1)");
    assertThat(attempts.get(2).path("success").asBoolean()).isTrue();
    // exponential backoff with a 1 s base: ~1 s before attempt 2, ~2 s before attempt 3
    assertThat(gap(attempts.get(0), attempts.get(1)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(gap(attempts.get(1), attempts.get(2)))
        .isGreaterThanOrEqualTo(Duration.ofMillis(1_950));
    assertThat(result.path("output").asText()).isEqualTo("reached service on attempt 3");
  }

  @Test
  void shouldRunParallelBranchesAndRetryOnlyTheFailedOne() {
    api.create("fan-out", "{\"instance_id\":\"fan-1\",\"params\":{\"base\":10}}");

    JsonNode result = api.awaitStatus("fan-out", "fan-1", "complete");

    assertThat(result.path("output").asInt()).isEqualTo(11);
    assertThat(names(result.path("steps")))
        .containsExactly("post quote", "courier quote", "pickup quote", "cheapest");
    assertThat(result.path("steps").path(1).path("attempts")).hasSize(2);
    assertThat(result.path("steps").path(0).path("attempts")).hasSize(1);
    assertThat(result.path("step_count").asInt()).isEqualTo(4);
  }

  @Test
  void shouldEndErroredWithNameAndMessageOfNonRetryableError() {
    api.create("refusing", "{\"instance_id\":\"refuse-1\",\"params\":{\"amount\":0}}");

    JsonNode result = api.awaitStatus("refusing", "refuse-1", "errored");

    assertThat(result.path("error").path("name").asText()).isEqualTo("InvalidOrder");
    assertThat(result.path("error").path("message").asText())
        .isEqualTo("amount must be positive, got 0");
    assertThat(result.path("steps").path(1).path("attempts")).hasSize(1);
    assertThat(result.path("success").asBoolean(true)).isFalse();
  }

  @Test
  void shouldAnswer409ForSecondCreateWithSameId() {
    assertThat(
            api.create("three-steps", "{\"instance_id\":\"dup-1\",\"params\":{\"value\":1}}")
                .status())
        .isEqualTo(201);

    Api.Response again =
        api.create("three-steps", "{\"instance_id\":\"dup-1\",\"params\":{\"value\":2}}");

    assertThat(again.status()).isEqualTo(409);
    assertThat(again.body().path("success").asBoolean(true)).isFalse();
    assertThat(again.firstError()).contains("already exists");
    assertThat(
            api.awaitStatus("three-steps", "dup-1", "complete")
                .path("params")
                .path("value")
                .asInt())
        .isEqualTo(1);
  }

  @Test
  void shouldAnswer400NamingTheRuleForInvalidIdOrWorkflowName() {
    Api.Response badId = api.create("three-steps", "{\"instance_id\":\"no spaces\"}");
    Api.Response longId =
        api.create("three-steps", "{\"instance_id\":\"" + "a".repeat(101) + "\"}");
    Api.Response badName = api.create("bad.name", "{}");
    Api.Response notObject = api.create("three-steps", "[]");

    assertThat(badId.status()).isEqualTo(400);
    assertThat(badId.firstError()).contains("instance_id").contains("must match");
    assertThat(longId.firstError()).contains("instance_id").contains("at most 100");
    assertThat(badName.status()).isEqualTo(400);
    assertThat(badName.firstError()).contains("workflow_name");
    assertThat(notObject.firstError()).contains("JSON object");
  }

  @Test
  void shouldRefuseJsonThatWouldOtherwiseBeAlteredAndCreateNothing() {
    Api.Response trailing =
        api.create("three-steps", "{\"instance_id\":\"json-trailing\",\"params\":{}}xyz");
    Api.Response duplicate =
        api.create("three-steps", "{\"instance_id\":\"json-dup\",\"instance_id\":\"other\"}");
    Api.Response surrogate =
        api.create(
            "three-steps", "{\"instance_id\":\"json-surrogate\",\"params\":{\"s\":\"\\ud800\"}}");

    assertThat(trailing.status()).isEqualTo(400);
    assertThat(duplicate.status()).isEqualTo(400);
    assertThat(duplicate.firstError()).contains("Duplicate field 'instance_id'");
    assertThat(surrogate.status()).isEqualTo(400);
    assertThat(surrogate.firstError()).contains("unpaired UTF-16 surrogate");
    assertThat(api.get("three-steps", "json-trailing").status()).isEqualTo(404);
    assertThat(api.get("three-steps", "json-surrogate").status()).isEqualTo(404);
  }

  @Test
  void shouldAnswerHeadAsGetWouldWithoutTheBody() throws Exception {
    api.create("three-steps", "{\"instance_id\":\"head-known\",\"params\":{\"value\":1}}");
    String instances =
        stack.gatewayUrl() + "/client/v4/accounts/acct/workflows/three-steps/instances/";
    var http = java.net.http.HttpClient.newHttpClient();
    java.util.function.Function<String, java.net.http.HttpResponse<String>> head =
        url -> {
          try {
            return http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(url))
                    .header("Authorization", "Bearer " + stack.token("acct"))
                    .method("HEAD", java.net.http.HttpRequest.BodyPublishers.noBody())
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
          } catch (Exception e) {
            throw new IllegalStateException(e);
          }
        };

    assertThat(head.apply(instances + "head-unknown").statusCode()).isEqualTo(404);
    assertThat(head.apply(instances + "head-known").statusCode()).isEqualTo(200);
    assertThat(head.apply(instances + "head-known").body()).isEmpty();
    assertThat(head.apply(stack.registryUrl() + "/subjects/no-such-value/versions").statusCode())
        .isEqualTo(404);
  }

  @Test
  void shouldCheckTheLocationHintThenIgnoreIt() {
    Api.Response number =
        api.create("three-steps", "{\"instance_id\":\"hint-number\",\"location_hint\":42}");
    Api.Response unknown =
        api.create("three-steps", "{\"instance_id\":\"hint-mars\",\"location_hint\":\"mars\"}");
    Api.Response known =
        api.create(
            "three-steps",
            "{\"instance_id\":\"hint-weur\",\"params\":{\"value\":1},\"location_hint\":\"weur\"}");

    assertThat(List.of(number, unknown))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(400);
              assertThat(r.firstError()).contains("location_hint must be one of wnam");
            });
    assertThat(known.status()).isEqualTo(201);
    assertThat(api.get("three-steps", "hint-number").status()).isEqualTo(404);
  }

  @Test
  void shouldAnswerRequestsJettyRefusesWithTheJsonEnvelope() throws Exception {
    String badEncoding = raw("GET /client/v4/accounts/acct/workflows/%zz HTTP/1.1\r\n\r\n");
    String hugeHeader = raw("GET /health HTTP/1.1\r\nX-Big: " + "a".repeat(20_000) + "\r\n\r\n");

    for (String answer : List.of(badEncoding, hugeHeader)) {
      assertThat(answer)
          .startsWith("HTTP/1.1 4")
          .containsIgnoringCase("content-type: application/json");
      String body = answer.substring(answer.indexOf("\r\n\r\n") + 4);
      JsonNode envelope = new com.fasterxml.jackson.databind.ObjectMapper().readTree(body);
      assertThat(envelope.path("success").asBoolean(true)).isFalse();
      assertThat(envelope.path("errors").path(0).path("code").asInt()).isEqualTo(10002);
    }
  }

  @Test
  void shouldRefuseAChunkedBodyPastTheLimitWith413() throws Exception {
    // No Content-Length: the body's size shows only while it is read.
    byte[] head = "{\"instance_id\":\"chunked-huge\",\"params\":{\"s\":\"".getBytes();
    // Past the 2 MiB limit by less than what the gateway reads and drops to answer cleanly.
    long total = 5L * 1024 * 1024;
    java.io.InputStream body =
        new java.io.InputStream() {
          long sent;

          @Override
          public int read() {
            if (sent >= total) {
              return -1;
            }
            int b = sent < head.length ? head[(int) sent] : 'a';
            sent++;
            return b;
          }

          @Override
          public int read(byte[] buffer, int offset, int length) {
            if (sent >= total) {
              return -1;
            }
            int n = (int) Math.min(length, total - sent);
            for (int i = 0; i < n; i++) {
              buffer[offset + i] = sent < head.length ? head[(int) sent] : (byte) 'a';
              sent++;
            }
            return n;
          }
        };
    java.net.http.HttpResponse<String> answer =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(
                            stack.gatewayUrl()
                                + "/client/v4/accounts/acct/workflows/three-steps/instances"))
                    .header("Authorization", "Bearer " + stack.token("acct"))
                    .header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofInputStream(() -> body))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());

    assertThat(answer.statusCode()).isEqualTo(413);
    assertThat(answer.body()).contains("\"code\":10005").contains("larger than");
    assertThat(api.get("three-steps", "chunked-huge").status()).isEqualTo(404);
  }

  /** Sends the bytes as they are (no client would send them) and reads the whole answer. */
  private String raw(String request) throws Exception {
    java.net.URI gateway = java.net.URI.create(stack.gatewayUrl());
    try (var socket = new java.net.Socket(gateway.getHost(), gateway.getPort())) {
      socket.setSoTimeout(10_000);
      String withHost =
          request.replaceFirst("\r\n", "\r\nHost: 127.0.0.1\r\nConnection: close\r\n");
      socket
          .getOutputStream()
          .write(withHost.getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
      socket.getOutputStream().flush();
      return new String(
          socket.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
  }

  @Test
  void shouldCreateBatchSkippingIdsThatExistOrRepeat() {
    api.create("three-steps", "{\"instance_id\":\"batch-old\",\"params\":{\"value\":0}}");

    Api.Response batch =
        api.createBatch(
            "three-steps",
            "[{\"instance_id\":\"batch-1\",\"params\":{\"value\":1}},"
                + "{\"instance_id\":\"batch-old\",\"params\":{\"value\":9}},"
                + "{\"instance_id\":\"batch-1\",\"params\":{\"value\":8}},"
                + "{\"instance_id\":\"batch-2\",\"params\":{\"value\":2}}]");

    assertThat(batch.status()).isEqualTo(201);
    assertThat(batch.result().findValuesAsText("id")).containsExactly("batch-1", "batch-2");
    assertThat(batch.body().path("messages")).hasSize(2);
    assertThat(
            api.awaitStatus("three-steps", "batch-1", "complete")
                .path("output")
                .path("value")
                .asInt())
        .isEqualTo(3);
    assertThat(
            api.awaitStatus("three-steps", "batch-2", "complete")
                .path("output")
                .path("value")
                .asInt())
        .isEqualTo(5);
    assertThat(
            api.awaitStatus("three-steps", "batch-old", "complete")
                .path("params")
                .path("value")
                .asInt())
        .isZero();
  }

  @Test
  void shouldRejectEmptyOversizedOrInvalidBatchNamingTheItem() {
    Api.Response empty = api.createBatch("three-steps", "[]");
    Api.Response tooMany =
        api.createBatch(
            "three-steps", "[" + String.join(",", java.util.Collections.nCopies(101, "{}")) + "]");
    Api.Response badItem = api.createBatch("three-steps", "[{}, {\"instance_id\":\"-x\"}]");

    assertThat(empty.status()).isEqualTo(400);
    assertThat(tooMany.firstError()).contains("1..100");
    assertThat(badItem.status()).isEqualTo(400);
    assertThat(badItem.firstError()).startsWith("[1].instance_id");
  }

  @Test
  void shouldListInstancesNewestFirstWithPagesCursorsAndFilters() {
    // A workflow defined through the API that no worker hosts: its instances stay queued, waiting
    // for a worker, which the status filter below relies on.
    assertThat(
            api.call(
                    "PUT",
                    "workflows/listing",
                    "{\"class_name\":\"Listing\",\"script_name\":\"nowhere\"}")
                .status())
        .isEqualTo(200);
    for (String id : List.of("l-1", "l-2", "l-3")) {
      assertThat(api.create("listing", "{\"instance_id\":\"" + id + "\"}").status()).isEqualTo(201);
    }
    for (String id : List.of("l-1", "l-2", "l-3")) {
      JsonNode waiting = api.awaitStatus("listing", id, "queued"); // no worker hosts "listing"
      assertThat(waiting.path("waiting_for_worker").path("workflow").asText()).isEqualTo("listing");
    }

    Api.Response first = api.list("listing", "?per_page=2");
    assertThat(first.result().findValuesAsText("id")).containsExactly("l-3", "l-2");
    JsonNode info = first.body().path("result_info");
    assertThat(info.path("total_count").asInt()).isEqualTo(3);
    assertThat(info.path("total_pages").asInt()).isEqualTo(2);
    assertThat(info.path("count").asInt()).isEqualTo(2);

    Api.Response next = api.list("listing", "?per_page=2&cursor=" + info.path("cursor").asText());
    assertThat(next.result().findValuesAsText("id")).containsExactly("l-1");
    assertThat(next.body().path("result_info").path("cursor").isNull()).isTrue();

    assertThat(api.list("listing", "?direction=asc&per_page=1").result().findValuesAsText("id"))
        .containsExactly("l-1");
    assertThat(api.list("listing", "?status=complete").result()).isEmpty();
    assertThat(api.list("listing", "?status=queued").result().get(0).path("status").asText())
        .isEqualTo("queued");
    Api.Response bad = api.list("listing", "?per_page=0");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.firstError()).contains("per_page");
  }

  @Test
  void shouldServeOneStepsOutputAndEachAttemptsOutcome() {
    api.create("flaky", "{\"instance_id\":\"step-out\",\"params\":{\"target\":\"billing\"}}");
    api.awaitStatus("flaky", "step-out", "complete");

    Api.Response step = api.step("flaky", "step-out", "?name=call%20flaky%20service-1");
    Api.Response firstAttempt =
        api.step("flaky", "step-out", "?name=call%20flaky%20service-1&attempt=1");
    Api.Response missing = api.step("flaky", "step-out", "?name=nothing-1");
    Api.Response noCounter = api.step("flaky", "step-out", "?name=call%20flaky%20service");

    assertThat(step.result().path("status").asText()).isEqualTo("complete");
    assertThat(step.result().path("output").asText()).isEqualTo("reached billing on attempt 3");
    assertThat(firstAttempt.result().path("status").asText()).isEqualTo("errored");
    assertThat(firstAttempt.result().path("error").path("message").asText())
        .isEqualTo("service unavailable (attempt 1)");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(noCounter.status()).isEqualTo(400);
    assertThat(noCounter.firstError()).contains("counter");
  }

  @Test
  void shouldAnswer404ForUnknownInstance() {
    Api.Response missing = api.get("three-steps", "never-created");

    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body().path("errors").path(0).path("code").asInt()).isEqualTo(10400);
  }

  @Test
  void shouldDeadLetterGarbageOnCommandsTopicAndKeepProcessing() {
    String commands = "workflows." + Topics.COMMANDS.suffix();
    try (var producer =
        new KafkaProducer<>(
            Map.<String, Object>of("bootstrap.servers", stack.bootstrapServers()),
            new StringSerializer(),
            new ByteArraySerializer())) {
      producer
          .send(new ProducerRecord<>(commands, "acct/three-steps/poison", new byte[] {9, 9, 9}))
          .get();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
    api.create("three-steps", "{\"instance_id\":\"after-poison\",\"params\":{\"value\":2}}");

    api.awaitStatus("three-steps", "after-poison", "complete");
    List<ConsumerRecord<String, byte[]>> dead = readAll("workflows.dead-letter");
    assertThat(dead)
        .anySatisfy(
            record -> {
              assertThat(record.value()).containsExactly(9, 9, 9);
              assertThat(DeadLetters.header(record.headers(), DeadLetters.REASON))
                  .contains("magic byte");
            });
  }

  private static List<ConsumerRecord<String, byte[]>> readAll(String topic) {
    return CommittedRecords.read(stack.bootstrapServers(), topic);
  }

  private static List<String> names(JsonNode steps) {
    List<String> names = new ArrayList<>();
    steps.forEach(step -> names.add(step.path("name").asText()));
    return names;
  }

  private static Duration gap(JsonNode before, JsonNode after) {
    return Duration.between(
        Instant.parse(before.path("end").asText()), Instant.parse(after.path("start").asText()));
  }
}
