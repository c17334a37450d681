package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Attempt;
import dev.ferry.schemas.avro.Backoff;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InstanceJsonTest {

  private static StepRecord step(boolean sensitive, long delay) {
    return StepRecord.newBuilder()
        .setPosition(0)
        .setKind(StepKind.DO)
        .setName("card")
        .setCount(1)
        .setStatus(StepStatus.SUCCEEDED)
        .setStartedAt(0)
        .setEndedAt(5L)
        .setOutput("{\"pan\":\"4111\"}")
        .setConfig(new ResolvedStepConfig(5, delay, Backoff.LINEAR, 60_000L, sensitive))
        .setAttempts(List.of(new Attempt(1, 0L, 5L, true, null)))
        .build();
  }

  @Test
  void shouldRedactOutputOfSensitiveSteps() {
    Map<String, Object> json = InstanceJson.step(step(true, 1000));

    assertThat(json.get("output")).isEqualTo("[REDACTED]");
    assertThat(json.get("config").toString()).contains("sensitive=output");
  }

  @Test
  void shouldShowConfigAsCloudflareDoesWithDynamicDelayMarked() {
    Map<String, Object> json = InstanceJson.step(step(false, -1));

    assertThat(json.get("output").toString()).contains("4111");
    @SuppressWarnings("unchecked")
    Map<String, Object> config = (Map<String, Object>) json.get("config");
    assertThat(config.get("timeout")).isEqualTo(60_000L);
    assertThat(config.get("retries").toString())
        .contains("delay=[dynamic]")
        .contains("backoff=linear");
    assertThat(json.get("type")).isEqualTo("step");
    assertThat(json.get("end")).isEqualTo("1970-01-01T00:00:00.005Z");
  }
}
