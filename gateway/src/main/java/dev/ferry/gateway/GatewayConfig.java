package dev.ferry.gateway;

import dev.ferry.schemas.config.FerryConfig;
import java.nio.file.Path;
import java.util.Map;
import org.apache.kafka.common.config.ConfigDef;
import org.apache.kafka.common.config.ConfigDef.Importance;
import org.apache.kafka.common.config.ConfigDef.Range;
import org.apache.kafka.common.config.ConfigDef.Type;

/** The gateway's configuration; each key can be set with {@code FERRY_<KEY>}. */
public final class GatewayConfig extends FerryConfig {
  public static final String HOST = "gateway.host";
  public static final String PORT = "gateway.port";
  public static final String REPLY_TIMEOUT_MS = "gateway.reply.timeout.ms";
  public static final String MAX_BODY_BYTES = "gateway.max.body.bytes";
  public static final String CREATE_RATE = "gateway.create.rate.per.second";
  public static final String MAX_LIVE_INSTANCES = "gateway.account.max.live.instances";
  public static final String MAX_HELD_MB = "gateway.account.max.held.mb";
  public static final String AUTH_TOKENS = "gateway.auth.tokens";
  public static final String AUTH_TOKENS_FILE = "gateway.auth.tokens.file";
  public static final String STATE_DIR = "gateway.state.dir";

  static final ConfigDef DEFINITION =
      withCommonKeys(new ConfigDef())
          .define(HOST, Type.STRING, "127.0.0.1", Importance.HIGH, "Address the HTTP API binds.")
          .define(
              PORT,
              Type.INT,
              8787,
              Range.between(0, 65_535),
              Importance.HIGH,
              "Port of the HTTP API (0 picks a free port).")
          .define(
              REPLY_TIMEOUT_MS,
              Type.LONG,
              10_000L,
              Range.atLeast(100),
              Importance.MEDIUM,
              "How long a write waits for the orchestrator's reply before answering 504.")
          .define(
              MAX_BODY_BYTES,
              Type.LONG,
              2L * 1024 * 1024,
              Range.atLeast(1024),
              Importance.LOW,
              "Largest request body accepted.")
          .define(
              CREATE_RATE,
              Type.INT,
              100,
              Range.between(1, 1_000_000),
              Importance.MEDIUM,
              "Creations per second allowed per workflow on this gateway (a batch and a restart"
                  + " count as one); beyond it requests get 429.")
          .define(
              MAX_LIVE_INSTANCES,
              Type.LONG,
              100_000L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "Instances of one account not yet finished; beyond it creates get 429 (10430).")
          .define(
              MAX_HELD_MB,
              Type.LONG,
              512L,
              Range.atLeast(1),
              Importance.MEDIUM,
              "MiB of one account's instance data (params, outputs, steps) the gateway's read"
                  + " model holds; beyond it creates get 429 (10430), so one tenant cannot fill the"
                  + " shared store.")
          .define(
              STATE_DIR,
              Type.STRING,
              "",
              Importance.MEDIUM,
              "Directory of the read model (RocksDB: instances, steps, listing indexes), so a"
                  + " restarted gateway resumes where it stopped. Empty: a temporary directory, and"
                  + " every start reads status and history from the beginning. One directory per"
                  + " gateway.")
          .define(
              AUTH_TOKENS,
              Type.PASSWORD,
              "",
              Importance.HIGH,
              "Bearer tokens, as account:token pairs separated by commas (an account may have"
                  + " several). Never printed. At least one token, here or in "
                  + AUTH_TOKENS_FILE
                  + ", is required.")
          .define(
              AUTH_TOKENS_FILE,
              Type.STRING,
              "",
              Importance.HIGH,
              "A file of bearer tokens, one account:token per line (# starts a comment).");

  public GatewayConfig(Map<String, ?> overrides, Map<String, String> env) {
    super(DEFINITION, overrides, env);
  }

  public static GatewayConfig fromEnv(Map<String, ?> overrides) {
    return new GatewayConfig(overrides, System.getenv());
  }

  /** The configured tokens; fails when there are none, naming both keys. */
  public AccessTokens accessTokens() {
    String file = getString(AUTH_TOKENS_FILE);
    AccessTokens tokens =
        AccessTokens.parse(
            getPassword(AUTH_TOKENS).value(),
            file.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(file)));
    if (tokens.isEmpty()) {
      throw new IllegalArgumentException(
          "no API tokens configured: set "
              + AUTH_TOKENS
              + " (FERRY_GATEWAY_AUTH_TOKENS=account:token) or "
              + AUTH_TOKENS_FILE);
    }
    return tokens;
  }

  /** The read model's directory, or empty for a temporary one. */
  public java.util.Optional<Path> stateDir() {
    String dir = getString(STATE_DIR);
    return dir.isBlank() ? java.util.Optional.empty() : java.util.Optional.of(Path.of(dir));
  }

  public static ConfigDef definition() {
    return DEFINITION;
  }
}
