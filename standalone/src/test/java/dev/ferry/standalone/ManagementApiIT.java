package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.examples.ThreeStepWorkflow;
import dev.ferry.gateway.OpenApiDocument;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Contract tests of the management API against a running stack: every answer here is also checked
 * against the OpenAPI document's schema for its operation and status.
 */
class ManagementApiIT {
  private static DevStack stack;
  private static Api api;

  @BeforeAll
  static void start() throws Exception {
    stack =
        TestStacks.start(
            Files.createTempDirectory("ferry-management-it"),
            Examples.registry()
                .register("limited", ThreeStepWorkflow.class)
                .register("doomed", ThreeStepWorkflow.class));
    api = Api.of(stack, "acct");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  /** The answer, after checking it against the OpenAPI document. */
  private static Api.Response call(String method, String path, String body) {
    Api.Response response = api.call(method, path, body);
    OpenApiContract.assertConforms(response);
    return response;
  }

  @Test
  void shouldListWorkflowsRegisteredByWorkersWithPagesAndSearch() {
    Api.Response all = call("GET", "workflows?per_page=100", null);
    Api.Response firstTwo = call("GET", "workflows?per_page=2&page=1", null);
    Api.Response search = call("GET", "workflows?search=SLEE", null);

    assertThat(all.status()).isEqualTo(200);
    List<String> names = all.result().findValuesAsText("name");
    assertThat(names).contains("three-steps", "sleepy", "approval", "limited").isSorted();
    assertThat(all.result().get(0).path("class_name").asText()).startsWith("dev.ferry.examples.");
    assertThat(all.result().get(0).path("script_name").asText()).isEqualTo("ferry-workers");
    assertThat(firstTwo.result()).hasSize(2);
    assertThat(firstTwo.body().path("result_info").path("total_count").asInt())
        .isEqualTo(names.size());
    assertThat(firstTwo.body().path("result_info").path("total_pages").asInt())
        .isEqualTo((names.size() + 1) / 2);
    assertThat(search.result().findValuesAsText("name")).containsExactly("sleepy");
  }

  @Test
  void shouldShowLiveInstanceCountsAndTheLastTriggerOnTheWorkflow() {
    Api.Response before = call("GET", "workflows/approval", null);
    int waitingBefore = before.result().path("instances").path("waiting").asInt();
    api.create("approval", "{\"instance_id\":\"count-1\",\"params\":{\"request\":\"tea\"}}");
    api.awaitStatus("approval", "count-1", "waiting");

    Api.Response after = call("GET", "workflows/approval", null);

    assertThat(after.result().path("instances").path("waiting").asInt())
        .isEqualTo(waitingBefore + 1);
    assertThat(after.result().path("instances").has("complete")).isTrue();
    assertThat(Instant.parse(after.result().path("triggered_on").asText()))
        .isAfter(Instant.now().minusSeconds(60));
    assertThat(after.result().path("id").asText()).isEqualTo(before.result().path("id").asText());
  }

  @Test
  void shouldKeepOneStableVersionPerBuildAcrossWorkerRestarts() {
    Api.Response versions = call("GET", "workflows/three-steps/versions", null);
    assertThat(versions.result()).hasSize(1);
    JsonNode version = versions.result().get(0);
    String versionId = version.path("id").asText();

    stack.addWorker(); // registers the same builds again
    Api.Response again = call("GET", "workflows/three-steps/versions", null);
    Api.Response one = call("GET", "workflows/three-steps/versions/" + versionId, null);
    Api.Response graph =
        call("GET", "workflows/three-steps/versions/" + versionId + "/graph", null);
    Api.Response created = call("POST", "workflows/three-steps/instances", "{}");
    Api.Response unknown = call("GET", "workflows/three-steps/versions/nope", null);

    assertThat(again.result()).hasSize(1);
    assertThat(again.result().get(0).path("id").asText()).isEqualTo(versionId);
    assertThat(again.result().get(0).path("created_on")).isEqualTo(version.path("created_on"));
    assertThat(one.result().path("class_name").asText())
        .isEqualTo(ThreeStepWorkflow.class.getName());
    assertThat(one.result().path("language").asText()).isEqualTo("java");
    assertThat(graph.result().path("graph").isNull()).isTrue();
    assertThat(created.result().path("version_id").asText()).isEqualTo(versionId);
    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body().path("errors").path(0).path("code").asInt()).isEqualTo(10201);
    // A different class registered under another name is another version.
    assertThat(call("GET", "workflows/sleepy/versions", null).result().get(0).path("id").asText())
        .isNotEqualTo(versionId);
  }

  @Test
  void shouldApplyWorkflowSettingsToInstancesCreatedAfterAPut() {
    Api.Response put =
        call(
            "PUT",
            "workflows/limited",
            """
            {"class_name": "dev.ferry.examples.ThreeStepWorkflow", "script_name": "examples",
             "default_retention": {"success_retention": "2 days", "error_retention": 60000},
             "limits": {"steps": 1},
             "schedules": [{"cron": "0 9 * * 1"}]}
            """);
    api.create("limited", "{\"instance_id\":\"lim-1\",\"params\":{\"value\":1}}");
    JsonNode failed = api.awaitStatus("limited", "lim-1", "errored");
    Api.Response workflow = call("GET", "workflows/limited", null);
    Api.Response version = call("GET", "workflows/limited/versions", null);

    assertThat(put.status()).isEqualTo(200);
    assertThat(put.result().path("script_name").asText()).isEqualTo("examples");
    assertThat(put.result().path("is_deleted").asBoolean()).isFalse();
    assertThat(failed.path("error").path("name").asText()).isEqualTo("WorkflowLimitError");
    assertThat(failed.path("error").path("message").asText()).startsWith("The limit of 1 steps");
    assertThat(failed.path("step_count").asInt()).isEqualTo(1);
    JsonNode schedule = workflow.result().path("schedules").get(0);
    assertThat(schedule.path("cron").asText()).isEqualTo("0 9 * * 1");
    Instant next = Instant.parse(schedule.path("next_instance").asText());
    assertThat(next).isAfter(Instant.now());
    assertThat(next.atZone(java.time.ZoneOffset.UTC).getDayOfWeek())
        .isEqualTo(java.time.DayOfWeek.MONDAY);
    JsonNode defaults = version.result().get(0);
    assertThat(defaults.path("default_retention").path("success_retention").asLong())
        .isEqualTo(Duration.ofDays(2).toMillis());
    assertThat(defaults.path("limits").path("steps").asInt()).isEqualTo(1);
  }

  @Test
  void shouldRejectInvalidWorkflowSettingsNamingTheField() {
    List<Api.Response> answers = new ArrayList<>();
    answers.add(call("PUT", "workflows/sleepy", "{\"script_name\":\"s\"}"));
    answers.add(
        call("PUT", "workflows/sleepy", "{\"class_name\":\"C\",\"script_name\":\"s\",\"x\":1}"));
    answers.add(
        call(
            "PUT",
            "workflows/sleepy",
            "{\"class_name\":\"C\",\"script_name\":\"s\",\"schedules\":[{\"cron\":\"61 * * * *\"}]}"));
    answers.add(
        call(
            "PUT",
            "workflows/sleepy",
            "{\"class_name\":\"C\",\"script_name\":\"s\",\"limits\":{\"steps\":0}}"));
    answers.add(
        call(
            "PUT",
            "workflows/sleepy",
            "{\"class_name\":\"C\",\"script_name\":\"s\",\"default_retention\":{\"forever\":1}}"));

    assertThat(answers).allMatch(r -> r.status() == 400);
    assertThat(answers)
        .allMatch(r -> r.body().path("errors").path(0).path("code").asInt() == 10002);
    assertThat(answers.get(0).firstError()).isEqualTo("class_name is required");
    assertThat(answers.get(1).firstError()).startsWith("unknown field 'x'");
    assertThat(answers.get(2).firstError()).startsWith("schedules[0].cron");
    assertThat(answers.get(3).firstError()).startsWith("limits.steps");
    assertThat(answers.get(4).firstError()).startsWith("unknown field 'default_retention.forever'");
    // Nothing was saved: the class name is still the registered one.
    assertThat(call("GET", "workflows/sleepy", null).result().path("class_name").asText())
        .isEqualTo("dev.ferry.examples.SleepyWorkflow");
  }

  @Test
  void shouldDeleteAWorkflowWithItsInstancesUntilItIsPutAgain() {
    api.create("doomed", "{\"instance_id\":\"doomed-1\",\"params\":{\"value\":1}}");
    api.awaitStatus("doomed", "doomed-1", "complete");

    Api.Response deleted = call("DELETE", "workflows/doomed", null);
    Api.Response gone = call("GET", "workflows/doomed", null);
    Api.Response createAfter = call("POST", "workflows/doomed/instances", "{}");
    List<String> listed =
        call("GET", "workflows?per_page=100", null).result().findValuesAsText("name");
    await()
        .atMost(Duration.ofSeconds(30))
        .until(() -> api.get("doomed", "doomed-1").status() == 404);
    Api.Response putAgain =
        call("PUT", "workflows/doomed", "{\"class_name\":\"C\",\"script_name\":\"s\"}");

    assertThat(deleted.status()).isEqualTo(200);
    assertThat(deleted.result().path("status").asText()).isEqualTo("ok");
    assertThat(gone.status()).isEqualTo(404);
    assertThat(gone.body().path("errors").path(0).path("code").asInt()).isEqualTo(10200);
    assertThat(createAfter.status()).isEqualTo(404);
    assertThat(listed).doesNotContain("doomed").contains("sleepy");
    assertThat(putAgain.status()).isEqualTo(200);
    // The versions registered before the deletion stay hidden; a new registration would show.
    assertThat(call("GET", "workflows/doomed/versions", null).result()).isEmpty();
  }

  @Test
  void shouldShowInstanceStepsInEitherOrderOrLeaveThemOut() {
    api.create("three-steps", "{\"instance_id\":\"order-1\",\"params\":{\"value\":2}}");
    api.awaitStatus("three-steps", "order-1", "complete");

    Api.Response ascending = call("GET", "workflows/three-steps/instances/order-1", null);
    Api.Response descending =
        call("GET", "workflows/three-steps/instances/order-1?order=desc", null);
    Api.Response simple = call("GET", "workflows/three-steps/instances/order-1?simple=true", null);
    Api.Response bad = call("GET", "workflows/three-steps/instances/order-1?order=up", null);

    assertThat(ascending.result().path("steps").findValuesAsText("name"))
        .containsExactly("double", "add one", "describe");
    assertThat(descending.result().path("steps").findValuesAsText("name"))
        .containsExactly("describe", "add one", "double");
    assertThat(simple.result().has("steps")).isFalse();
    assertThat(simple.result().path("step_count").asInt()).isEqualTo(3);
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.firstError()).startsWith("order must be asc or desc");
  }

  @Test
  void shouldAnswerEveryMalformedRequestWithAnEnvelopeNamingTheProblem() {
    String instances = "workflows/three-steps/instances";
    Api.Response malformed = call("POST", instances, "{\"instance_id\": ");
    Api.Response wrongType = call("POST", instances, "{\"instance_id\": 5}");
    Api.Response unknownField = call("POST", instances, "{\"instanceId\": \"a\"}");
    Api.Response notObject = call("POST", instances, "[1]");
    Api.Response badStatus =
        call("PATCH", instances + "/nobody/status", "{\"status\":\"explode\"}");
    Api.Response badQuery = call("GET", instances + "?per_page=1000", null);
    Api.Response unknownWorkflow = call("POST", "workflows/no-such-flow/instances", "{}");
    Api.Response unknownInstance = call("GET", instances + "/no-such-instance", null);
    Api.Response tooLarge =
        call("POST", instances, "{\"params\":\"" + "x".repeat(3 * 1024 * 1024) + "\"}");
    Api.Response noRoute = api.call("GET", "workflows/three-steps/nothing/here/at/all", null);
    Api.Response wrongMethod = api.call("DELETE", instances + "/batch", null);

    assertThat(List.of(malformed, wrongType, unknownField, notObject, badStatus, badQuery))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(400);
              assertThat(r.body().path("errors").path(0).path("code").asInt()).isEqualTo(10002);
            });
    assertThat(malformed.firstError()).startsWith("request body is");
    assertThat(wrongType.firstError()).isEqualTo("instance_id must be a string");
    assertThat(unknownField.firstError()).startsWith("unknown field 'instanceId'");
    assertThat(badStatus.firstError()).contains("status");
    assertThat(badQuery.firstError()).startsWith("per_page must be an integer 1..100");
    assertThat(unknownWorkflow.status()).isEqualTo(404);
    assertThat(unknownWorkflow.body().path("errors").path(0).path("code").asInt()).isEqualTo(10200);
    assertThat(unknownInstance.body().path("errors").path(0).path("code").asInt()).isEqualTo(10400);
    assertThat(tooLarge.status()).isEqualTo(413);
    assertThat(tooLarge.body().path("errors").path(0).path("code").asInt()).isEqualTo(10005);
    assertThat(noRoute.status()).isEqualTo(404);
    assertThat(noRoute.body().path("errors").path(0).path("code").asInt()).isEqualTo(10004);
    assertThat(wrongMethod.status()).isEqualTo(405);
    assertThat(wrongMethod.body().path("errors").path(0).path("code").asInt()).isEqualTo(10007);
    assertThat(List.of(noRoute, wrongMethod))
        .allMatch(r -> !r.body().path("success").asBoolean() && r.body().has("errors"));
  }

  @Test
  void shouldServeTheCheckedInOpenApiDocumentDescribingEveryRoute() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> yaml =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/client/v4/openapi.yaml"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> json =
        http.send(
            HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + "/client/v4/openapi.json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(yaml.statusCode()).isEqualTo(200);
    assertThat(yaml.body())
        .isEqualTo(
            Files.readString(
                java.nio.file.Path.of(
                    "..", "gateway", "src", "main", "resources", "openapi.yaml")));
    assertThat(yaml.body()).isEqualTo(OpenApiDocument.yaml());
    assertThat(dev.ferry.schemas.Json.parse(json.body())).isEqualTo(OpenApiDocument.tree());
    assertThat(OpenApiContract.operations())
        .containsExactlyInAnyOrderElementsOf(stack.gatewayRoutes());
  }
}
