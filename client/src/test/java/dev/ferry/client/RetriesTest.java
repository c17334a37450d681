package dev.ferry.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The client's bounded retries against a real HTTP server that answers from a script: what is asked
 * again, what is not, and how often.
 */
class RetriesTest {
  private HttpServer server;
  private final Deque<int[]> script = new ArrayDeque<>(); // {status, error code}
  private final List<String> requests = new ArrayList<>();
  private Workflows workflows;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext("/", this::answer);
    server.start();
    workflows =
        Workflows.connect(
            "http://127.0.0.1:" + server.getAddress().getPort() + "/client/v4/accounts/a", "t");
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private synchronized void answer(HttpExchange exchange) throws IOException {
    requests.add(exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath());
    int[] next = script.isEmpty() ? new int[] {200, 0} : script.poll();
    String body =
        next[0] < 300
            ? "{\"success\":true,\"errors\":[],\"messages\":[],\"result\":{\"id\":\"x\",\"status\":\"queued\"}}"
            : "{\"success\":false,\"errors\":[{\"code\":"
                + next[1]
                + ",\"message\":\"scripted\"}],\"messages\":[],\"result\":null}";
    if (next[0] == 429) {
      exchange.getResponseHeaders().add("Retry-After", "0");
    }
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(next[0], bytes.length);
    exchange.getResponseBody().write(bytes);
    exchange.close();
  }

  @Test
  void shouldRetryARateLimitedRequestUntilItIsAnswered() {
    script.add(new int[] {429, 10429});
    script.add(new int[] {429, 10429});

    workflows.workflow("w").instance("i").pause();

    assertThat(requests).hasSize(3).allMatch(r -> r.startsWith("PATCH "));
  }

  @Test
  void shouldGiveUpAfterTheBoundedNumberOfRetries() {
    for (int i = 0; i <= ApiTransport.RETRIES + 2; i++) {
      script.add(new int[] {503, 10008});
    }

    assertThatThrownBy(() -> workflows.workflow("w").instance("i").status())
        .isInstanceOfSatisfying(
            WorkflowsException.class, e -> assertThat(e.code()).isEqualTo(10008));
    assertThat(requests).hasSize(ApiTransport.RETRIES + 1);
  }

  @Test
  void shouldNotAskAgainAfterATimeoutWhenAskingTwiceCouldDoItTwice() {
    script.add(new int[] {504, 10003});

    assertThatThrownBy(() -> workflows.workflow("w").instance("i").pause())
        .isInstanceOfSatisfying(
            WorkflowsException.class, e -> assertThat(e.httpStatus()).isEqualTo(504));
    assertThat(requests).hasSize(1);
  }

  @Test
  void shouldTakeExistsAfterATimeoutAsTheFirstTryOfACreateWithAGeneratedId() {
    script.add(new int[] {504, 10003});
    script.add(new int[] {409, 10401});

    WorkflowInstance created = workflows.workflow("w").create();

    assertThat(requests).hasSize(2);
    assertThat(created.id()).hasSize(36); // the UUID the client generated
  }

  @Test
  void shouldReportExistsForAnIdTheCallerChose() {
    script.add(new int[] {504, 10003});

    assertThatThrownBy(() -> workflows.workflow("w").create(CreateOptions.withId("mine")))
        .isInstanceOfSatisfying(
            WorkflowsException.class, e -> assertThat(e.httpStatus()).isEqualTo(504));
    assertThat(requests).hasSize(1);
  }
}
