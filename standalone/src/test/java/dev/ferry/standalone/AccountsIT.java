package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.read.ListAppender;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.gateway.registry.RegistryConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

/**
 * Accounts and tokens: each account sees only its own workflows and instances. The stack runs its
 * registry with credentials, so every part reaches it through basic auth.
 */
class AccountsIT {
  private static final String REGISTRY_PASSWORD = "registry-secret-never-logged";
  private static final ListAppender<ILoggingEvent> LOGS = new ListAppender<>();
  private static Level ferryLevel;
  private static DevStack stack;
  private static Api acct;
  private static Api other;

  @BeforeAll
  static void start() throws Exception {
    // Everything Ferry logs, at every level, from before the stack starts: tokens must never show.
    Logger ferry = (Logger) LoggerFactory.getLogger("dev.ferry");
    ferryLevel = ferry.getLevel();
    ferry.setLevel(Level.DEBUG);
    LOGS.start();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).addAppender(LOGS);
    stack =
        TestStacks.start(
            Files.createTempDirectory("ferry-accounts-it"),
            Examples.registry(),
            Map.of(RegistryConfig.AUTH_USER_INFO, "ferry:" + REGISTRY_PASSWORD));
    acct = Api.of(stack, "acct");
    other = Api.of(stack, "other");
  }

  @AfterAll
  static void stop() {
    stack.close();
    ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).detachAppender(LOGS);
    ((Logger) LoggerFactory.getLogger("dev.ferry")).setLevel(ferryLevel);
  }

  @Test
  void shouldRefuseAccountRoutesWithoutAValidTokenOfThatAccount() throws Exception {
    Api anonymous = new Api(stack.gatewayUrl(), "acct", null);
    Api forged = new Api(stack.gatewayUrl(), "acct", "not-a-token-of-anybody-at-all");
    Api borrowed = new Api(stack.gatewayUrl(), "acct", stack.token("other"));

    Api.Response none = anonymous.call("GET", "workflows", null);
    Api.Response invalid = forged.call("GET", "workflows", null);
    Api.Response wrongAccount = borrowed.call("POST", "workflows/three-steps/instances", "{}");
    Api.Response unknownRouteWithoutToken = anonymous.call("GET", "anything", null);

    assertThat(List.of(none, invalid, unknownRouteWithoutToken))
        .allSatisfy(
            r -> {
              assertThat(r.status()).isEqualTo(401);
              assertThat(r.body().path("errors").path(0).path("code").asInt()).isEqualTo(10000);
            });
    assertThat(none.firstError()).contains("Bearer");
    assertThat(invalid.firstError()).isEqualTo("invalid API token");
    assertThat(wrongAccount.status()).isEqualTo(403);
    assertThat(wrongAccount.body().path("errors").path(0).path("code").asInt()).isEqualTo(10006);
    assertThat(wrongAccount.firstError()).doesNotContain(stack.token("other"));
    HttpClient http = HttpClient.newHttpClient();
    for (String open : List.of("/health", "/livez", "/readyz", "/client/v4/openapi.yaml")) {
      // Ready once the views have read their topics: moments after start, well before this.
      org.awaitility.Awaitility.await()
          .atMost(java.time.Duration.ofSeconds(30))
          .untilAsserted(
              () ->
                  assertThat(
                          http.send(
                                  HttpRequest.newBuilder(URI.create(stack.gatewayUrl() + open))
                                      .build(),
                                  HttpResponse.BodyHandlers.ofString())
                              .statusCode())
                      .as(open)
                      .isEqualTo(200));
    }
  }

  @Test
  void shouldRunEveryPartThroughARegistryThatNeedsCredentials() throws Exception {
    acct.create("three-steps", "{\"instance_id\":\"via-auth\",\"params\":{\"value\":5}}");
    HttpResponse<String> anonymous =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(stack.registryUrl() + "/subjects")).build(),
                HttpResponse.BodyHandlers.ofString());

    assertThat(
            acct.awaitStatus("three-steps", "via-auth", "complete")
                .path("output")
                .path("value")
                .asInt())
        .isEqualTo(11);
    assertThat(anonymous.statusCode()).isEqualTo(401);
    assertThat(anonymous.body()).contains("40101");
  }

  @Test
  void shouldKeepAccountsApartEvenWithTheSameWorkflowAndInstanceIds() {
    acct.create("three-steps", "{\"instance_id\":\"same-id\",\"params\":{\"value\":1}}");
    other.create("three-steps", "{\"instance_id\":\"same-id\",\"params\":{\"value\":100}}");
    acct.create("three-steps", "{\"instance_id\":\"only-acct\",\"params\":{\"value\":2}}");

    JsonNode mine = acct.awaitStatus("three-steps", "same-id", "complete");
    JsonNode theirs = other.awaitStatus("three-steps", "same-id", "complete");
    acct.awaitStatus("three-steps", "only-acct", "complete");

    assertThat(mine.path("output").path("value").asInt()).isEqualTo(3);
    assertThat(theirs.path("output").path("value").asInt()).isEqualTo(201);
    assertThat(other.get("three-steps", "only-acct").status()).isEqualTo(404);
    assertThat(other.list("three-steps", "?per_page=100").result().findValuesAsText("id"))
        .containsExactly("same-id");
    assertThat(
            other
                .call("GET", "workflows/three-steps", null)
                .result()
                .path("instances")
                .path("complete")
                .asInt())
        .isEqualTo(1);
    // A change in one account leaves the other alone.
    assertThat(
            other
                .call("PUT", "workflows/sleepy", "{\"class_name\":\"Mine\",\"script_name\":\"s\"}")
                .status())
        .isEqualTo(200);
    assertThat(acct.call("GET", "workflows/sleepy", null).result().path("class_name").asText())
        .isEqualTo("dev.ferry.examples.SleepyWorkflow");
    assertThat(acct.changeStatus("three-steps", "only-acct", "{\"status\":\"restart\"}").status())
        .isEqualTo(200);
    assertThat(other.changeStatus("three-steps", "only-acct", "{\"status\":\"restart\"}").status())
        .isEqualTo(404);
  }

  @Test
  void shouldNeverWriteATokenToTheLogs() {
    acct.list("three-steps", "");
    new Api(stack.gatewayUrl(), "acct", "wrong-token-that-is-long-enough").list("three-steps", "");

    List<String> lines =
        List.copyOf(LOGS.list).stream()
            .map(
                e ->
                    e.getFormattedMessage()
                        + (e.getThrowableProxy() == null
                            ? ""
                            : ThrowableProxyUtil.asString(e.getThrowableProxy())))
            .toList();

    assertThat(lines).isNotEmpty();
    assertThat(lines).anyMatch(line -> line.contains("gateway.auth.tokens"));
    for (String token :
        List.of(
            stack.token("acct"),
            stack.token("other"),
            "wrong-token-that-is-long-enough",
            REGISTRY_PASSWORD)) {
      assertThat(lines).noneMatch(line -> line.contains(token));
    }
  }
}
