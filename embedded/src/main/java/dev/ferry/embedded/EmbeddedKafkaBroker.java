package dev.ferry.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (combined KRaft broker and controller) inside this JVM, bound to
 * 127.0.0.1 only. Its storage is formatted once and kept, so topics and committed data survive a
 * restart on the same directory.
 *
 * <pre>{@code
 * try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(Path.of("data/kafka"), 9092)) {
 *   String bootstrap = kafka.bootstrapServers();
 * }
 * }</pre>
 */
public final class EmbeddedKafkaBroker implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

  private final KafkaRaftServer server;
  private final String bootstrapServers;
  private final Path dataDir;

  private EmbeddedKafkaBroker(KafkaRaftServer server, String bootstrapServers, Path dataDir) {
    this.server = server;
    this.bootstrapServers = bootstrapServers;
    this.dataDir = dataDir;
  }

  /**
   * Starts a broker on {@code port} (0 picks a free one) with its data in {@code dataDir}; the
   * controller listener takes another free port.
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port) {
    return start(dataDir, port, null);
  }

  /**
   * As {@link #start(Path, int)}, but clients reach it only through {@code secured} (null: plain
   * text, as usual).
   */
  public static EmbeddedKafkaBroker start(Path dataDir, int port, SaslSslListener secured) {
    try {
      Files.createDirectories(dataDir);
      int brokerPort = port == 0 ? freePort() : port;
      KafkaClusterLayout single =
          new KafkaClusterLayout(
              Uuid.randomUuid().toString(), List.of(brokerPort), List.of(freePort()));
      Properties props = brokerProperties(dataDir, single, 1);
      if (secured != null) {
        secured.applyTo(props, brokerPort);
      }
      return run(dataDir, props, single, secured == null ? "PLAINTEXT" : SaslSslListener.PROTOCOL);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start embedded Kafka in " + dataDir, e);
    }
  }

  /**
   * Starts node {@code nodeId} of a multi-node cluster (broker and controller) with its data in
   * {@code dataDir}; a restart on the same directory rejoins the cluster with its data. The call
   * returns once this broker has registered with the controller quorum, so a majority of the nodes
   * must be starting too.
   */
  public static EmbeddedKafkaBroker startNode(Path dataDir, KafkaClusterLayout layout, int nodeId) {
    try {
      Files.createDirectories(dataDir);
      return run(dataDir, brokerProperties(dataDir, layout, nodeId), layout, "PLAINTEXT");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start Kafka node " + nodeId + " in " + dataDir, e);
    }
  }

  private static EmbeddedKafkaBroker run(
      Path dataDir, Properties props, KafkaClusterLayout layout, String protocol)
      throws IOException {
    formatIfNeeded(dataDir, props, layout.clusterId());
    KafkaRaftServer server = new KafkaRaftServer(KafkaConfig.fromProps(props, false), Time.SYSTEM);
    server.startup();
    String bootstrap =
        "127.0.0.1:" + layout.brokerPort(Integer.parseInt(props.getProperty("node.id")));
    LOG.info(
        "embedded Kafka broker {} listening on {} ({}) with data in {}",
        props.getProperty("node.id"),
        bootstrap,
        protocol,
        dataDir);
    return new EmbeddedKafkaBroker(server, bootstrap, dataDir);
  }

  public String bootstrapServers() {
    return bootstrapServers;
  }

  public Path dataDir() {
    return dataDir;
  }

  @Override
  public void close() {
    server.shutdown();
    server.awaitShutdown();
  }

  static Properties brokerProperties(Path dataDir, KafkaClusterLayout layout, int nodeId) {
    int brokerPort = layout.brokerPort(nodeId);
    int controllerPort = layout.controllerPort(nodeId);
    String copies = String.valueOf(layout.internalReplication());
    String minInsync = String.valueOf(Math.max(1, layout.internalReplication() - 1));
    Properties props = new Properties();
    props.put("process.roles", "broker,controller");
    props.put("node.id", String.valueOf(nodeId));
    props.put("controller.quorum.voters", layout.voters());
    props.put(
        "listeners",
        "PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort);
    props.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + brokerPort);
    props.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
    props.put("controller.listener.names", "CONTROLLER");
    props.put("inter.broker.listener.name", "PLAINTEXT");
    props.put("log.dirs", dataDir.resolve("logs").toString());
    props.put("offsets.topic.replication.factor", copies);
    props.put("offsets.topic.num.partitions", "5");
    props.put("transaction.state.log.replication.factor", copies);
    props.put("transaction.state.log.min.isr", minInsync);
    props.put("transaction.state.log.num.partitions", "5");
    props.put("share.coordinator.state.topic.replication.factor", copies);
    props.put("share.coordinator.state.topic.min.isr", minInsync);
    props.put("group.initial.rebalance.delay.ms", "0");
    // Lets a deployment choose sessions shorter than the broker's 6 s floor, so a crashed
    // member's partitions can move within seconds (the chaos suite measures that).
    props.put("group.min.session.timeout.ms", "1000");
    // Restarted after a kill -9, the broker's controller still holds the dead incarnation's
    // registration until its session ends; the default 9 s held every restart up that long.
    props.put("broker.session.timeout.ms", "3000");
    props.put("broker.heartbeat.interval.ms", "1000");
    props.put("auto.create.topics.enable", "false");
    props.put("num.partitions", "1");
    // Activations and reports may be several MB (params + history); Ferry's topics allow 16 MiB.
    props.put("message.max.bytes", String.valueOf(17 * 1024 * 1024));
    props.put("replica.fetch.max.bytes", String.valueOf(17 * 1024 * 1024));
    return props;
  }

  private static void formatIfNeeded(Path dataDir, Properties props, String clusterId)
      throws IOException {
    if (Files.exists(dataDir.resolve("logs").resolve("meta.properties"))) {
      return;
    }
    Path propsFile = dataDir.resolve("server.properties");
    try (var out = Files.newOutputStream(propsFile)) {
      props.store(out, "Ferry embedded broker (used to format storage)");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int exit;
    try (PrintStream print = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      exit =
          StorageTool.execute(
              new String[] {"format", "-t", clusterId, "-c", propsFile.toString()}, print);
    }
    if (exit != 0) {
      throw new IllegalStateException(
          "formatting Kafka storage failed: " + captured.toString(StandardCharsets.UTF_8));
    }
  }

  /** A port nobody listens on right now (there is a small race until the broker binds it). */
  public static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      socket.setReuseAddress(true);
      return socket.getLocalPort();
    }
  }
}
