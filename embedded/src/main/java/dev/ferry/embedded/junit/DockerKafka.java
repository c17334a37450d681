package dev.ferry.embedded.junit;

/**
 * The Testcontainers path, kept in its own class so that it is loaded only when Testcontainers is
 * on the test classpath.
 */
final class DockerKafka {
  private DockerKafka() {}

  static boolean available() {
    try {
      Class.forName("org.testcontainers.DockerClientFactory");
    } catch (ClassNotFoundException e) {
      return false;
    }
    return Probe.dockerAnswers();
  }

  static String start() {
    return Probe.startContainer();
  }

  private static final class Probe {
    static boolean dockerAnswers() {
      return org.testcontainers.DockerClientFactory.instance().isDockerAvailable();
    }

    static String startContainer() {
      var container = new org.testcontainers.kafka.KafkaContainer("apache/kafka:4.1.2");
      container.start();
      return container.getBootstrapServers();
    }
  }
}
