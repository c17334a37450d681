package dev.ferry.embedded;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.apache.kafka.common.Uuid;

/**
 * Where the nodes of a local multi-node KRaft cluster listen: node {@code i} (1-based) is a broker
 * on {@code brokerPorts[i-1]} and a controller on {@code controllerPorts[i-1]}, all on 127.0.0.1,
 * and every node is a voter of the controller quorum. Each node runs in a process of its own (see
 * {@link EmbeddedKafkaBroker#startNode}), so one can be killed while the others carry on.
 *
 * @param clusterId the id every node's storage is formatted with
 */
public record KafkaClusterLayout(
    String clusterId, List<Integer> brokerPorts, List<Integer> controllerPorts) {

  public KafkaClusterLayout {
    brokerPorts = List.copyOf(brokerPorts);
    controllerPorts = List.copyOf(controllerPorts);
    if (brokerPorts.size() != controllerPorts.size() || brokerPorts.isEmpty()) {
      throw new IllegalArgumentException(
          "a cluster needs one broker port and one controller port per node, got "
              + brokerPorts
              + " and "
              + controllerPorts);
    }
  }

  /** A new cluster of {@code nodes} on ports free right now. */
  public static KafkaClusterLayout onFreePorts(int nodes) {
    try {
      List<Integer> brokers = new ArrayList<>();
      List<Integer> controllers = new ArrayList<>();
      for (int i = 0; i < nodes; i++) {
        brokers.add(EmbeddedKafkaBroker.freePort());
        controllers.add(EmbeddedKafkaBroker.freePort());
      }
      return new KafkaClusterLayout(Uuid.randomUuid().toString(), brokers, controllers);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public int size() {
    return brokerPorts.size();
  }

  /** {@code controller.quorum.voters}: every node. */
  public String voters() {
    return IntStream.rangeClosed(1, size())
        .mapToObj(node -> node + "@127.0.0.1:" + controllerPort(node))
        .collect(Collectors.joining(","));
  }

  public String bootstrapServers() {
    return brokerPorts.stream().map(port -> "127.0.0.1:" + port).collect(Collectors.joining(","));
  }

  public int brokerPort(int node) {
    return brokerPorts.get(checked(node) - 1);
  }

  public int controllerPort(int node) {
    return controllerPorts.get(checked(node) - 1);
  }

  /**
   * Copies of the broker's own topics (offsets, transactions): one per node up to 3, with {@code
   * min.insync.replicas} 2 from 3 copies on, so the cluster survives the loss of one node.
   */
  int internalReplication() {
    return Math.min(3, size());
  }

  private int checked(int node) {
    if (node < 1 || node > size()) {
      throw new IllegalArgumentException(
          "node id must be between 1 and " + size() + ", got " + node);
    }
    return node;
  }
}
