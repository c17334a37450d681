package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.gateway.GatewayConfig;
import java.util.function.Function;

/**
 * Per-account quotas on creates: live instances and the instance data the gateway holds. Checked
 * against the read model, which trails the writes by a few milliseconds, so an account can go over
 * by what it creates in that time (the per-workflow rate limit bounds it).
 */
public final class AccountQuota {
  private final long maxLive;
  private final long maxHeldChars;
  private final Function<String, AccountUsage.Usage> usage;

  AccountQuota(long maxLive, long maxHeldChars, Function<String, AccountUsage.Usage> usage) {
    this.maxLive = maxLive;
    this.maxHeldChars = maxHeldChars;
    this.usage = usage;
  }

  public static AccountQuota of(GatewayConfig config, InstanceReadModel readModel) {
    return new AccountQuota(
        config.getLong(GatewayConfig.MAX_LIVE_INSTANCES),
        config.getLong(GatewayConfig.MAX_HELD_MB) * 1024 * 1024,
        readModel::usage);
  }

  /** Answers 429 (10430) when {@code creates} more instances with these params would not fit. */
  void check(String account, int creates, long paramsChars) {
    AccountUsage.Usage now = usage.apply(account);
    if (now.liveInstances() + creates > maxLive) {
      throw new ApiException(
          ApiError.QUOTA_EXCEEDED,
          "account '"
              + account
              + "' has "
              + now.liveInstances()
              + " live instances, and "
              + GatewayConfig.MAX_LIVE_INSTANCES
              + " allows "
              + maxLive
              + "; create more when some have finished");
    }
    if (now.heldChars() + paramsChars > maxHeldChars) {
      throw new ApiException(
          ApiError.QUOTA_EXCEEDED,
          "account '"
              + account
              + "' holds "
              + now.heldChars() / (1024 * 1024)
              + " MiB of instance data, and "
              + GatewayConfig.MAX_HELD_MB
              + " allows "
              + maxHeldChars / (1024 * 1024)
              + "; create more when some instances have expired or been deleted");
    }
  }
}
