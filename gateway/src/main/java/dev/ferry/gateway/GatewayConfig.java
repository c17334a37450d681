package dev.ferry.gateway;

import dev.ferry.schemas.config.FerryConfig;
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
                  + " count as one); beyond it requests get 429.");

  public GatewayConfig(Map<String, ?> overrides, Map<String, String> env) {
    super(DEFINITION, overrides, env);
  }

  public static GatewayConfig fromEnv(Map<String, ?> overrides) {
    return new GatewayConfig(overrides, System.getenv());
  }

  public static ConfigDef definition() {
    return DEFINITION;
  }
}
