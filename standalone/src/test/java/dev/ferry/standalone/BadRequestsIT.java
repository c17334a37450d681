package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.schemas.Json;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Hundreds of requests, each wrong in some way, over every documented route: every answer is a 4xx
 * error envelope, nothing is created or changed, and the gateway serves on as before.
 */
class BadRequestsIT {
  private static DevStack stack;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    stack =
        TestStacks.start(Files.createTempDirectory("ferry-bad-requests-it"), Examples.registry());
    api = Api.of(stack, "acct");
    api.create("three-steps", "{\"instance_id\":\"corpus-done\",\"params\":{\"value\":1}}");
    api.awaitStatus("three-steps", "corpus-done", "complete");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** Everything a request could have changed: workflows with their settings, instances, steps. */
  private static Map<String, JsonNode> everything() {
    Map<String, JsonNode> seen = new LinkedHashMap<>();
    for (String account : List.of("acct", "other")) {
      Api client = Api.of(stack, account);
      JsonNode workflows = client.call("GET", "workflows?per_page=100", null).result();
      seen.put(account + " workflows", workflows);
      for (JsonNode workflow : workflows) {
        String name = workflow.path("name").asText();
        JsonNode instances = client.list(name, "?per_page=100").result();
        seen.put(account + " " + name, instances);
        for (JsonNode instance : instances) {
          String id = instance.path("id").asText();
          seen.put(account + " " + name + " " + id, client.get(name, id).result());
        }
      }
    }
    return seen;
  }

  @Test
  void shouldAnswerEveryBadRequestWithA4xxEnvelopeAndChangeNothing() throws Exception {
    String version =
        api.call("GET", "workflows/three-steps", null).result().path("version_id").asText();
    List<BadRequests.Request> corpus =
        new BadRequests(
                OpenApiContract.DOCUMENT,
                Map.of(
                    "account_id", "acct",
                    "workflow_name", "three-steps",
                    "instance_id", "corpus-done",
                    "version_id", version,
                    "event_type", "go",
                    "job_id", "no-such-job"),
                stack.token("acct"),
                stack.token("other"))
            .all();
    Map<String, JsonNode> before = everything();
    URI gateway = URI.create(stack.gatewayUrl());

    List<String> wrong = new ArrayList<>();
    Map<Integer, Integer> statuses = new java.util.TreeMap<>();
    for (BadRequests.Request request : corpus) {
      RawHttp.Answer answer = RawHttp.send(gateway, request);
      statuses.merge(answer.status(), 1, Integer::sum);
      String problem = problem(answer);
      if (problem != null) {
        wrong.add(request + " -> " + answer.status() + " " + problem);
      }
    }

    System.out.println("bad requests: " + corpus.size() + ", answers by status: " + statuses);
    assertThat(corpus).hasSizeGreaterThanOrEqualTo(500);
    // Each kind of defect met its own refusal, not one catch-all.
    assertThat(statuses).containsKeys(400, 401, 403, 404, 405, 409, 431);
    assertThat(wrong).as("requests answered otherwise than with a 4xx envelope").isEmpty();
    assertThat(everything()).isEqualTo(before);
    api.create("three-steps", "{\"instance_id\":\"after-corpus\",\"params\":{\"value\":2}}");
    assertThat(
            api.awaitStatus("three-steps", "after-corpus", "complete")
                .path("output")
                .path("value")
                .asInt())
        .isEqualTo(5);
  }

  @Test
  void shouldRefuseOversizedBodiesOnEveryRouteThatTakesOne() throws Exception {
    String base = stack.gatewayUrl() + "/client/v4/accounts/acct/workflows/three-steps";
    byte[] huge = ("{\"params\":{\"pad\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}}").getBytes();
    byte[] payload = ("{\"pad\":\"" + "x".repeat(1024 * 1024 + 10) + "\"}").getBytes();
    Map<String, String> routes = new LinkedHashMap<>();
    routes.put("PUT", base);
    routes.put("POST", base + "/instances");
    routes.put("POST batch", base + "/instances/batch");
    routes.put("POST delete", base + "/instances/batch/delete");
    routes.put("PATCH", base + "/instances/corpus-done/status");
    routes.put("POST event", base + "/instances/corpus-done/events/go");
    HttpClient http = HttpClient.newHttpClient();
    Map<String, JsonNode> before = everything();

    List<String> wrong = new ArrayList<>();
    for (Map.Entry<String, String> route : routes.entrySet()) {
      for (byte[] body : List.of(huge, payload)) {
        if (body == payload && !route.getKey().equals("POST event")) {
          continue;
        }
        HttpResponse<String> answer =
            http.send(
                HttpRequest.newBuilder(URI.create(route.getValue()))
                    .header("Authorization", "Bearer " + stack.token("acct"))
                    .header("Content-Type", "application/json")
                    .method(
                        route.getKey().split(" ")[0], HttpRequest.BodyPublishers.ofByteArray(body))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() != 413 || !answer.body().contains("\"code\":10005")) {
          wrong.add(route.getKey() + " " + body.length + " -> " + answer.statusCode());
        }
      }
    }

    assertThat(wrong).isEmpty();
    assertThat(everything()).isEqualTo(before);
  }

  /** What is wrong with an answer to a bad request, or null when it is a 4xx envelope. */
  private static String problem(RawHttp.Answer answer) {
    if (answer.status() < 400 || answer.status() >= 500) {
      return "status; body " + cut(answer.body());
    }
    if (!answer.headers().getOrDefault("content-type", "").startsWith("application/json")) {
      return "content type "
          + answer.headers().get("content-type")
          + "; body "
          + cut(answer.body());
    }
    try {
      JsonNode envelope = Json.parse(answer.body());
      if (envelope.path("success").asBoolean(true)
          || envelope.path("errors").path(0).path("code").asInt(0) == 0
          || envelope.path("errors").path(0).path("message").asText("").isEmpty()) {
        return "not an error envelope: " + cut(answer.body());
      }
      return null;
    } catch (IllegalArgumentException e) {
      return "not JSON: " + cut(answer.body());
    }
  }

  private static String cut(String body) {
    return body.length() > 200 ? body.substring(0, 200) : body;
  }
}
