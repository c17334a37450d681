package dev.ferry.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.Counter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The admin port over real HTTP: metrics, liveness, and readiness from the checks. */
class AdminServerTest {
  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void shouldAnswerNotReadyNamingTheFailingCheckUntilItPasses() throws Exception {
    Observability observability = Observability.create();
    AtomicBoolean running = new AtomicBoolean();
    observability
        .health()
        .add(
            new ReadinessCheck(
                "streams",
                () ->
                    running.get()
                        ? ReadinessCheck.Result.ready("RUNNING")
                        : ReadinessCheck.Result.notReady("REBALANCING")));
    try (AdminServer admin = observability.serve("127.0.0.1", 0, "test", "FERRY_TEST_PORT")) {
      HttpResponse<String> before = get(admin.port(), AdminServer.READYZ);
      running.set(true);
      HttpResponse<String> after = get(admin.port(), AdminServer.READYZ);

      assertThat(before.statusCode()).isEqualTo(503);
      assertThat(before.body())
          .isEqualTo(
              "{\"ready\":false,\"checks\":{\"streams\":{\"ready\":false,\"detail\":\"REBALANCING\"}}}");
      assertThat(after.statusCode()).isEqualTo(200);
      assertThat(get(admin.port(), AdminServer.LIVEZ).statusCode()).isEqualTo(200);
    }
  }

  @Test
  void shouldServeTheRegistryInThePrometheusTextFormat() throws Exception {
    Observability observability = Observability.create();
    Counter.builder("ferry.test.things").register(observability.registry()).increment(3);
    try (AdminServer admin = observability.serve("127.0.0.1", 0, "test", "FERRY_TEST_PORT")) {
      HttpResponse<String> metrics = get(admin.port(), AdminServer.METRICS);

      assertThat(metrics.headers().firstValue("Content-Type")).hasValue(FerryMetrics.CONTENT_TYPE);
      assertThat(metrics.body())
          .contains("# TYPE ferry_test_things_total counter")
          .contains("ferry_test_things_total 3.0")
          .contains("jvm_memory_used_bytes");
    }
  }

  @Test
  void shouldSayWhichSettingToChangeWhenThePortIsTaken() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      assertThatThrownBy(
              () ->
                  Observability.create()
                      .serve(
                          "127.0.0.1", taken.getLocalPort(), "worker", "FERRY_WORKER_ADMIN_PORT"))
          .hasMessageContaining("in use")
          .hasMessageContaining("FERRY_WORKER_ADMIN_PORT");
    }
    assertThat(Observability.create().serve("127.0.0.1", -1, "worker", "x")).isNull();
  }

  @Test
  void shouldAskChecksOfTheSameNameOnceAndKeepTheOthersWhenOneIsRemoved() {
    Health health = new Health();
    java.util.concurrent.atomic.AtomicInteger asked =
        new java.util.concurrent.atomic.AtomicInteger();
    ReadinessCheck first =
        new ReadinessCheck(
            "schema registry",
            () -> ReadinessCheck.Result.ready("asked " + asked.incrementAndGet()));
    ReadinessCheck second =
        new ReadinessCheck(
            "schema registry",
            () -> ReadinessCheck.Result.ready("asked " + asked.incrementAndGet()));
    health.add(first).add(second);

    assertThat(health.report().entries()).hasSize(1);
    assertThat(asked).hasValue(1);
    health.remove(first);
    assertThat(health.report().entries()).hasSize(1);
  }
}
