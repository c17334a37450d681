package dev.ferry.cli;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.KafkaConnection;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.config.KafkaSettings;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry kafka}: looking at Ferry's topics. */
@Command(
    name = "kafka",
    mixinStandardHelpOptions = true,
    description = "Look at Ferry's Kafka topics.",
    subcommands = KafkaCommand.Tail.class)
public final class KafkaCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(
      name = "tail",
      mixinStandardHelpOptions = true,
      description = {
        "Follow a topic and print each record as one line of JSON: topic, partition, offset,",
        "timestamp, key, headers and the value decoded from Avro with the schema it was written",
        "with (from the schema registry). Only committed records are shown. Ctrl-C stops.",
        "",
        "A secured cluster's client settings come from FERRY_KAFKA_<KEY> variables",
        "(FERRY_KAFKA_SECURITY_PROTOCOL=SASL_SSL, FERRY_KAFKA_SASL_JAAS_CONFIG=...), the",
        "registry's from FERRY_BASIC_AUTH_USER_INFO and FERRY_SCHEMA_REGISTRY_SSL_TRUSTSTORE_*.",
        "",
        "Example: ./ferry kafka tail status --from-beginning"
      })
  static final class Tail implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(
        paramLabel = "<topic>",
        description =
            "A topic, by its full name or by Ferry's short name (status, history, commands,"
                + " events, ...), which gets the topic prefix.")
    String topic;

    @Option(
        names = "--from-beginning",
        description = "Start at the oldest record kept (default: only new records).")
    boolean fromBeginning;

    @Option(
        names = "--max-records",
        paramLabel = "<n>",
        description = "Stop after this many records (default: follow until stopped).")
    Long maxRecords;

    @Option(
        names = "--bootstrap-servers",
        paramLabel = "<host:port>",
        description =
            "Kafka (default: $FERRY_KAFKA_BOOTSTRAP_SERVERS, else the ferry dev in --data-dir,"
                + " else 127.0.0.1:9092).")
    String bootstrap;

    @Option(
        names = "--registry",
        paramLabel = "<url>",
        description =
            "Schema registry (default: $FERRY_SCHEMA_REGISTRY_URL, else the ferry dev in"
                + " --data-dir, else http://127.0.0.1:8081).")
    String registry;

    @Option(
        names = "--prefix",
        paramLabel = "<prefix>",
        description =
            "Topic prefix of short names (default: $FERRY_TOPIC_PREFIX, else workflows.).")
    String prefix;

    @CommandLine.Mixin DataDirOption local;

    @Override
    public Integer call() {
      if (maxRecords != null && maxRecords < 1) {
        throw usage("--max-records must be at least 1, got " + maxRecords);
      }
      Map<String, String> env = System.getenv();
      Optional<StackFile> stack = StackFile.readFrom(local.dataDir);
      String servers =
          first(
              bootstrap,
              env.get("FERRY_KAFKA_BOOTSTRAP_SERVERS"),
              stack.map(StackFile::bootstrapServers),
              "127.0.0.1:9092");
      String registryUrl =
          first(
              registry,
              env.get("FERRY_SCHEMA_REGISTRY_URL"),
              stack.map(StackFile::registryUrl),
              "http://127.0.0.1:8081");
      String topicPrefix =
          first(prefix, env.get("FERRY_TOPIC_PREFIX"), Optional.empty(), "workflows.");
      PrintWriter out = spec.commandLine().getOut();
      // A secured cluster's client settings come as for every Ferry process: FERRY_KAFKA_<KEY>.
      KafkaSettings kafka = KafkaSettings.of(servers, KafkaSettings.fromEnvironment(env));
      KafkaConnection.check(kafka); // a wrong address or password: one clear line, at once
      Map<String, Object> config = KafkaClients.committedReader(kafka, "ferry-kafka-tail");
      config.put("default.api.timeout.ms", 15_000);
      RecordJson json =
          new RecordJson(SchemaRegistryClients.of(FerryConfig.registrySettings(registryUrl, env)));
      try (KafkaConsumer<byte[], byte[]> consumer =
          new KafkaConsumer<>(config, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
        String name = topicName(consumer, topicPrefix);
        List<TopicPartition> partitions = KafkaClients.assignAll(consumer, name);
        if (fromBeginning) {
          consumer.seekToBeginning(partitions);
        } else {
          KafkaClients.startAtEnd(consumer, partitions);
        }
        spec.commandLine()
            .getErr()
            .println(
                "Following "
                    + name
                    + " on "
                    + servers
                    + " ("
                    + partitions.size()
                    + " partitions); Ctrl-C stops.");
        spec.commandLine().getErr().flush();
        Thread hook = new Thread(consumer::wakeup, "ferry-kafka-tail-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        long printed = 0;
        try {
          while (maxRecords == null || printed < maxRecords) {
            for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(500))) {
              out.println(json.line(record));
              if (maxRecords != null && ++printed >= maxRecords) {
                break;
              }
            }
            out.flush();
          }
        } catch (WakeupException stopped) {
          // Ctrl-C: leave quietly.
        } finally {
          out.flush();
          removeUnlessStopping(hook);
        }
        return 0;
      } catch (org.apache.kafka.common.KafkaException e) {
        spec.commandLine().getErr().println("error: Kafka at " + servers + ": " + e.getMessage());
        return 1;
      }
    }

    /** The hook is only for Ctrl-C; once the JVM is stopping it cannot be removed (nor need be). */
    private static void removeUnlessStopping(Thread hook) {
      try {
        Runtime.getRuntime().removeShutdownHook(hook);
      } catch (IllegalStateException stopping) {
        // the JVM is shutting down: the hook has run
      }
    }

    /** The full name; an unknown topic is a usage error listing Ferry's topics. */
    private String topicName(KafkaConsumer<byte[], byte[]> consumer, String topicPrefix) {
      Set<String> existing = new TreeSet<>(consumer.listTopics(Duration.ofSeconds(15)).keySet());
      if (existing.contains(topic)) {
        return topic;
      }
      if (existing.contains(topicPrefix + topic)) {
        return topicPrefix + topic;
      }
      throw usage(
          "no topic \""
              + topic
              + "\" or \""
              + topicPrefix
              + topic
              + "\" on this cluster; Ferry's are "
              + existing.stream().filter(t -> t.startsWith(topicPrefix)).toList());
    }

    private CommandLine.ParameterException usage(String message) {
      return new CommandLine.ParameterException(spec.commandLine(), message);
    }

    private static String first(
        String option, String env, Optional<String> stack, String fallback) {
      if (option != null) {
        return option;
      }
      if (env != null && !env.isBlank()) {
        return env;
      }
      return stack.filter(s -> !s.isBlank()).orElse(fallback);
    }
  }
}
