package dev.ferry.standalone;

import dev.ferry.embedded.EmbeddedKafkaBroker;
import dev.ferry.gateway.GatewayConfig;
import dev.ferry.gateway.registry.SchemaRegistryServer;
import dev.ferry.schemas.TopicProvisioner;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ferry bench read-model}: how the gateway's read model holds many retained instances. It
 * writes {@code --instances} finished instances (with their step history) straight to the status
 * and history topics of an embedded broker, then runs a gateway as a separate process with a heap
 * of {@code --heap}, and measures its start on empty state, its memory, its answers, and its
 * restarts on the state it saved: after a stop, and after a kill -9.
 */
@Command(
    name = "read-model",
    mixinStandardHelpOptions = true,
    description = {
      "Benchmark the gateway's read model: write --instances retained instances to the topics, run"
          + " a gateway process with --heap, and print its time to ready on empty state, heap and"
          + " RSS after a GC, store size, GET and list latencies, and its time to ready after a"
          + " stop and after a kill -9. Writes the figures to --out as JSON."
    })
final class ReadModelBench implements Callable<Integer> {
  static final String ACCOUNT = "bench";
  static final String WORKFLOW = "retained";

  @Option(
      names = "--instances",
      defaultValue = "1000000",
      description = "Retained instances written to the topics (default: ${DEFAULT-VALUE}).")
  int instances;

  @Option(
      names = "--steps",
      defaultValue = "3",
      description = "Steps of each instance, one history record each (default: ${DEFAULT-VALUE}).")
  int steps;

  @Option(
      names = "--heap",
      defaultValue = "512m",
      description = "-Xmx of the gateway process (default: ${DEFAULT-VALUE}).")
  String heap;

  @Option(
      names = "--partitions",
      defaultValue = "2",
      description = "Partitions of the status and history topics (default: ${DEFAULT-VALUE}).")
  int partitions;

  @Option(
      names = "--samples",
      defaultValue = "500",
      description =
          "Requests timed for each latency figure, after half as many to warm up (default:"
              + " ${DEFAULT-VALUE}).")
  int samples;

  @Option(
      names = "--gateway-jvm-option",
      paramLabel = "<option>",
      description =
          "An extra JVM option of the gateway process, e.g. -XX:StartFlightRecording=filename=gw.jfr"
              + " to profile it (repeatable).")
  List<String> gatewayJvmOptions = new java.util.ArrayList<>();

  @Option(
      names = "--out",
      defaultValue = "ferry-bench-read-model.json",
      description = "Where the figures are written as JSON (default: ${DEFAULT-VALUE}).")
  Path out;

  @Override
  public Integer call() throws Exception {
    Path dir = Files.createTempDirectory("ferry-bench-read-model");
    System.out.printf(
        "read-model bench in %s: %,d instances x %d steps, %d partitions, gateway -Xmx%s%n",
        dir, instances, steps, partitions, heap);
    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("instances", instances);
    figures.put("steps_per_instance", steps);
    figures.put("partitions", partitions);
    figures.put("gateway_heap_limit", heap);
    try (EmbeddedKafkaBroker kafka = EmbeddedKafkaBroker.start(dir.resolve("kafka"), 0);
        SchemaRegistryServer registry =
            SchemaRegistryServer.start(
                kafka.bootstrapServers(), "_ferry-schemas", "127.0.0.1", 0)) {
      String registryUrl = "http://127.0.0.1:" + registry.port();
      Map<String, String> env = new HashMap<>();
      env.put(FerryConfig.KAFKA_BOOTSTRAP_SERVERS, kafka.bootstrapServers());
      env.put(FerryConfig.SCHEMA_REGISTRY_URL, registryUrl);
      env.put(FerryConfig.TOPIC_PARTITIONS, Integer.toString(partitions));
      env.put(GatewayConfig.AUTH_TOKENS, ACCOUNT + ":bench-token-0123456789");
      env.put(GatewayConfig.STATE_DIR, dir.resolve("gateway").toString());
      Topics topics = new Topics("workflows.", SchemaRegistryClients.forUrl(registryUrl));
      TopicProvisioner.ensureFerryTopics(new GatewayConfig(new HashMap<>(env), Map.of()), topics);
      long t0 = System.nanoTime();
      write(kafka.bootstrapServers(), topics);
      double writeSeconds = (System.nanoTime() - t0) / 1e9;
      long records = (long) instances * (1 + steps);
      System.out.printf(
          "wrote %,d records in %.1f s (%,.0f records/s)%n",
          records, writeSeconds, records / writeSeconds);
      figures.put("records", records);

      try (BenchGateway gateway = new BenchGateway(env, heap, gatewayJvmOptions, samples, dir)) {
        double cold = gateway.start("empty state");
        figures.put("cold_start_seconds", cold);
        System.out.printf("  read %,.0f records/s%n", records / cold);
        gateway.createWorkflow(WORKFLOW);
        figures.putAll(gateway.memory());
        figures.putAll(gateway.queries(WORKFLOW, instances));
        gateway.stop();
        figures.put("restart_seconds", gateway.start("its saved state, after a stop"));
        figures.put("restart_records_read", gateway.recordsRead());
        gateway.kill();
        figures.put("restart_after_kill_seconds", gateway.start("its saved state, after kill -9"));
        figures.put("restart_after_kill_records_read", gateway.recordsRead());
      }
    }
    Files.writeString(out, dev.ferry.schemas.Json.write(figures) + "\n");
    System.out.println("figures written to " + out.toAbsolutePath());
    return 0;
  }

  /** Finished instances (one in a hundred waiting), each with its steps' history. */
  private void write(String bootstrap, Topics topics) throws Exception {
    Map<String, Object> config =
        dev.ferry.schemas.KafkaClients.reliableProducer(bootstrap, "bench");
    config.put(ProducerConfig.LINGER_MS_CONFIG, 20);
    config.put(ProducerConfig.BATCH_SIZE_CONFIG, 512 * 1024);
    config.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
    long base = System.currentTimeMillis() - instances;
    try (var status =
            new KafkaProducer<>(
                config, new StringSerializer(), topics.serde(Topics.STATUS).serializer());
        var history =
            new KafkaProducer<>(
                config, new StringSerializer(), topics.serde(Topics.HISTORY).serializer())) {
      int step = Math.max(1, instances / 10);
      for (int n = 0; n < instances; n++) {
        String id = "r-" + n;
        String key = ACCOUNT + "/" + WORKFLOW + "/" + id;
        long at = base + n;
        for (int position = 0; position < steps; position++) {
          history.send(
              new ProducerRecord<>(topics.name(Topics.HISTORY), key, stepEvent(id, position, at)));
        }
        status.send(new ProducerRecord<>(topics.name(Topics.STATUS), key, snapshot(id, n, at)));
        if ((n + 1) % step == 0) {
          System.out.printf("  written %,d of %,d instances%n", n + 1, instances);
        }
      }
      status.flush();
      history.flush();
    }
  }

  private InstanceSnapshot snapshot(String id, int n, long at) {
    boolean waiting = n % 100 == 0;
    return InstanceSnapshot.newBuilder()
        .setAccount(ACCOUNT)
        .setWorkflow(WORKFLOW)
        .setInstanceId(id)
        .setStatus(waiting ? InstanceStatusCode.WAITING : InstanceStatusCode.COMPLETE)
        .setParams("{\"order\":" + n + ",\"customer\":\"c-" + (n % 1000) + "\"}")
        .setTriggerSource(TriggerSource.API)
        .setQueuedAt(at)
        .setStartedAt(at)
        .setEndedAt(waiting ? null : at + 20)
        .setOutput(waiting ? null : "{\"charged\":" + n + "}")
        .setVersionId("v1")
        .setStepCount(steps)
        .setUpdatedAt(at + 20)
        .setHistoryEvents(steps)
        .build();
  }

  private static HistoryEvent stepEvent(String id, int position, long at) {
    StepRecord step =
        StepRecord.newBuilder()
            .setPosition(position)
            .setKind(StepKind.DO)
            .setName("step-" + position)
            .setCount(1)
            .setStatus(StepStatus.SUCCEEDED)
            .setStartedAt(at)
            .setEndedAt(at + 5)
            .setOutput("{\"step\":" + position + "}")
            .setConfig(
                new ResolvedStepConfig(
                    5, 1000L, dev.ferry.schemas.avro.Backoff.EXPONENTIAL, 600_000L, false))
            .setAttempts(List.of())
            .build();
    return new HistoryEvent(
        ACCOUNT, WORKFLOW, id, 0, HistoryEventType.STEP_SUCCESS, at + 5, step, null);
  }
}
