package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.Examples;
import dev.ferry.gateway.GatewayConfig;
import java.nio.file.Files;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Per-account quotas: one tenant cannot fill the gateway's memory or run without bound. */
class QuotasIT {
  private static DevStack stack;
  private static Api acct;
  private static Api other;

  @BeforeAll
  static void start() throws Exception {
    stack =
        TestStacks.start(
            Files.createTempDirectory("ferry-quotas-it"),
            Examples.registry(),
            Map.of(GatewayConfig.MAX_LIVE_INSTANCES, 3L, GatewayConfig.MAX_HELD_MB, 1L));
    acct = Api.of(stack, "acct");
    other = Api.of(stack, "other");
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static String sleeping(String id) {
    return "{\"instance_id\":\"" + id + "\",\"params\":{\"name\":\"q\",\"sleepSeconds\":600}}";
  }

  @Test
  void shouldRefuseCreatesPastTheAccountsLiveInstancesUntilOneFinishes() {
    for (String id : new String[] {"live-1", "live-2", "live-3"}) {
      assertThat(acct.create("sleepy", sleeping(id)).status()).isEqualTo(201);
      acct.awaitStatus("sleepy", id, "waiting");
    }

    Api.Response fourth = acct.create("sleepy", sleeping("live-4"));
    Api.Response otherAccount = other.create("sleepy", sleeping("live-elsewhere"));

    assertThat(fourth.status()).isEqualTo(429);
    assertThat(fourth.body().path("errors").path(0).path("code").asInt()).isEqualTo(10430);
    assertThat(fourth.firstError()).contains("has 3 live instances");
    assertThat(acct.get("sleepy", "live-4").status()).isEqualTo(404);
    assertThat(otherAccount.status()).isEqualTo(201);

    acct.changeStatus("sleepy", "live-1", "{\"status\":\"terminate\"}");
    acct.awaitStatus("sleepy", "live-1", "terminated");
    assertThat(acct.create("sleepy", sleeping("live-4")).status()).isEqualTo(201);
  }

  @Test
  void shouldRefuseParamsPastWhatTheGatewayHoldsForTheAccount() {
    String big = "x".repeat(400 * 1024);
    for (String id : new String[] {"big-1", "big-2"}) {
      String body =
          "{\"instance_id\":\"" + id + "\",\"params\":{\"value\":1,\"pad\":\"" + big + "\"}}";
      assertThat(other.create("three-steps", body).status()).isEqualTo(201);
      other.awaitStatus("three-steps", id, "complete");
    }

    Api.Response third =
        other.create(
            "three-steps",
            "{\"instance_id\":\"big-3\",\"params\":{\"value\":1,\"pad\":\"" + big + "\"}}");
    Api.Response batch =
        other.createBatch(
            "three-steps",
            "[{\"instance_id\":\"big-4\",\"params\":{\"value\":1,\"pad\":\"" + big + "\"}}]");

    assertThat(third.status()).isEqualTo(429);
    assertThat(third.firstError()).contains("gateway.account.max.held.mb");
    assertThat(batch.status()).isEqualTo(429);
    assertThat(other.get("three-steps", "big-3").status()).isEqualTo(404);
  }
}
