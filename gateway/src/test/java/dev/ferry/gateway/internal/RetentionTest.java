package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.Json;
import org.junit.jupiter.api.Test;

class RetentionTest {

  @Test
  void shouldRefuseMillisecondsBeyondALongInsteadOfWrappingThem() {
    // 2^64 + 1000 would read as 1000 ms if cut to a long.
    var retention = Json.parse("{\"success_retention\":18446744073709552616}");

    assertThatThrownBy(() -> Retention.parse(retention, "instance_retention"))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("instance_retention.success_retention")
        .hasMessageContaining("too large");
  }

  @Test
  void shouldAcceptMillisecondsOrADurationForEachOutcome() {
    var parsed =
        Retention.parse(
            Json.parse("{\"success_retention\":1500,\"error_retention\":\"2 days\"}"),
            "instance_retention");

    assertThat(parsed.successMs()).isEqualTo(1500L);
    assertThat(parsed.errorMs()).isEqualTo(172_800_000L);
  }
}
