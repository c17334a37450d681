package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccountQuotaTest {
  private final Map<String, AccountUsage.Usage> usage =
      Map.of("busy", new AccountUsage.Usage(10, 100), "big", new AccountUsage.Usage(1, 990));
  private final AccountQuota quota =
      new AccountQuota(10, 1_000, a -> usage.getOrDefault(a, new AccountUsage.Usage(0, 0)));

  @Test
  void shouldRefuseCreatesPastTheLiveInstancesOfTheAccount() {
    assertThatThrownBy(() -> quota.check("busy", 1, 10))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("account 'busy' has 10 live instances")
        .hasMessageContaining("gateway.account.max.live.instances")
        .extracting(e -> ((ApiException) e).error())
        .isEqualTo(ApiError.QUOTA_EXCEEDED);
    assertThatCode(() -> quota.check("idle", 10, 10)).doesNotThrowAnyException();
    assertThatThrownBy(() -> quota.check("idle", 11, 10)).isInstanceOf(ApiException.class);
  }

  @Test
  void shouldRefuseParamsThatWouldNotFitWhatTheAccountMayHold() {
    assertThatThrownBy(() -> quota.check("big", 1, 11))
        .isInstanceOf(ApiException.class)
        .hasMessageContaining("gateway.account.max.held.mb");
    assertThatCode(() -> quota.check("big", 1, 10)).doesNotThrowAnyException();
  }
}
