package dev.ferry.embedded.junit;

import dev.ferry.embedded.EmbeddedKafkaBroker;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JUnit 5 extension giving tests a real Kafka broker, one per test JVM: {@code
 * KAFKA_BOOTSTRAP_SERVERS} if set, else a Testcontainers {@code apache/kafka} container when a
 * Docker daemon answers, else an embedded KRaft broker on ephemeral 127.0.0.1 ports. Tests keep
 * apart by using unique topic prefixes and application ids.
 *
 * <pre>{@code
 * @ExtendWith(KafkaTestCluster.class)
 * class MyIT {
 *   @Test
 *   void works(KafkaTestCluster.Bootstrap kafka) { ... kafka.servers() ... }
 * }
 * }</pre>
 */
public final class KafkaTestCluster implements ParameterResolver {
  private static final Logger LOG = LoggerFactory.getLogger(KafkaTestCluster.class);
  private static volatile Bootstrap shared;

  /** The address of the broker tests talk to. */
  public record Bootstrap(String servers) {}

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == Bootstrap.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return bootstrap();
  }

  /** Starts (once) and returns the shared broker. */
  public static synchronized Bootstrap bootstrap() {
    if (shared == null) {
      shared = start();
    }
    return shared;
  }

  private static Bootstrap start() {
    String external = System.getenv("KAFKA_BOOTSTRAP_SERVERS");
    if (external != null && !external.isBlank()) {
      LOG.info("tests use the Kafka at {}", external);
      return new Bootstrap(external);
    }
    if (DockerKafka.available()) {
      return new Bootstrap(DockerKafka.start());
    }
    try {
      Path dir = Files.createTempDirectory("ferry-test-kafka");
      EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start(dir, 0);
      Runtime.getRuntime().addShutdownHook(new Thread(broker::close, "ferry-test-kafka-shutdown"));
      return new Bootstrap(broker.bootstrapServers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
