package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.examples.Examples;
import dev.ferry.gateway.GatewayConfig;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A write the orchestrator has not answered in time tells the client what may still happen. */
class GatewayTimeoutIT {

  @Test
  void shouldNameTheIdsOfCreatesThatTimedOutSoTheClientCanCheckThem(@TempDir Path dir) {
    try (DevStack stack =
        TestStacks.start(dir, Examples.registry(), Map.of(GatewayConfig.REPLY_TIMEOUT_MS, 100L))) {
      Api api = Api.of(stack, "acct");
      stack.stopOrchestrator();

      Api.Response timedOut = api.create("three-steps", "{\"params\":{\"start\":1}}");

      assertThat(timedOut.status()).isEqualTo(504);
      Matcher named =
          Pattern.compile("instance '([^']+)' may still be created").matcher(timedOut.firstError());
      assertThat(named.find()).as(timedOut.firstError()).isTrue();
      String id = named.group(1);
      Api.Response batch =
          api.createBatch(
              "three-steps",
              "[{\"instance_id\":\"late-a\",\"params\":{\"value\":1}},"
                  + "{\"instance_id\":\"late-b\",\"params\":{\"value\":2}}]");

      assertThat(batch.status()).isEqualTo(504);
      assertThat(batch.firstError())
          .contains("answered for 0 of 2 items (created: none)")
          .contains("these may still be created: late-a, late-b");

      stack.startOrchestrator();

      // The creates went through once the orchestrator was back: the ids named are instances.
      assertThat(api.awaitStatus("three-steps", id, "complete").path("status").asText())
          .isEqualTo("complete");
      api.awaitStatus("three-steps", "late-a", "complete");
      api.awaitStatus("three-steps", "late-b", "complete");
    }
  }
}
