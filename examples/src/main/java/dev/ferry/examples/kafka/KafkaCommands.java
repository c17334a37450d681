package dev.ferry.examples.kafka;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.PauseInstance;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.ResumeInstance;
import dev.ferry.schemas.avro.TerminateInstance;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import dev.ferry.schemas.serde.ConfluentAvroSerializer;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Drives Ferry with nothing but a Kafka producer and a Confluent-compatible Avro serializer: the
 * commands and events topics are a public contract (docs/kafka.md). Every method returns the
 * request id; the outcome appears on {@code workflows.replies} under that id.
 *
 * <pre>{@code
 * try (KafkaCommands ferry = new KafkaCommands("127.0.0.1:9092", "http://127.0.0.1:8081")) {
 *   ferry.create("dev", "sleepy", "from-kafka-1", "{\"name\":\"Kafka\"}");
 *   ferry.sendEvent("dev", "approval", "buy-1", "approval", "{\"approver\":\"ada\",\"approved\":true}");
 * }
 * }</pre>
 *
 * <p>Run it: {@code java -cp standalone/target/ferry.jar dev.ferry.examples.kafka.KafkaCommands
 * create dev sleepy from-kafka-1 '{"name":"Kafka"}'} (also pause, resume, terminate, restart and
 * event; {@code FERRY_KAFKA_BOOTSTRAP_SERVERS} and {@code FERRY_SCHEMA_REGISTRY_URL} pick the
 * cluster).
 */
public final class KafkaCommands implements AutoCloseable {
  public static final String COMMANDS = "workflows.commands";
  public static final String EVENTS = "workflows.events";

  private final KafkaProducer<String, byte[]> producer;
  private final ConfluentAvroSerializer<Command> commands;
  private final ConfluentAvroSerializer<InstanceEvent> events;

  public KafkaCommands(String bootstrapServers, String registryUrl) {
    // These register the schema under "<topic>-value" and write the Confluent wire format, byte
    // for byte what Confluent's KafkaAvroSerializer writes.
    var registry = SchemaRegistryClients.forUrl(registryUrl);
    this.commands = new ConfluentAvroSerializer<>(registry, Command.getClassSchema());
    this.events = new ConfluentAvroSerializer<>(registry, InstanceEvent.getClassSchema());
    this.producer =
        new KafkaProducer<>(
            Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrapServers,
                ProducerConfig.ACKS_CONFIG,
                "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG,
                true),
            new StringSerializer(),
            new ByteArraySerializer());
  }

  /** Creates an instance; producing the same id again is refused, never a second run. */
  public String create(String account, String workflow, String id, String paramsJson) {
    return command(
        account,
        workflow,
        id,
        CreateInstance.newBuilder()
            .setParams(paramsJson)
            .setTriggerSource(TriggerSource.EVENT)
            .build());
  }

  public String pause(String account, String workflow, String id) {
    return command(account, workflow, id, new PauseInstance(null, true));
  }

  public String resume(String account, String workflow, String id) {
    return command(account, workflow, id, new ResumeInstance(null, true));
  }

  public String terminate(String account, String workflow, String id) {
    return command(account, workflow, id, new TerminateInstance(false));
  }

  public String restart(String account, String workflow, String id) {
    return command(account, workflow, id, new RestartInstance(null, null, null, true));
  }

  /** Sends an event; with a request id set, an undeliverable one is answered on the replies. */
  public String sendEvent(
      String account, String workflow, String id, String type, String payloadJson) {
    String requestId = UUID.randomUUID().toString();
    InstanceEvent event =
        InstanceEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setAccount(account)
            .setWorkflow(workflow)
            .setInstanceId(id)
            .setType(type)
            .setPayload(payloadJson)
            .setSentAt(System.currentTimeMillis())
            .setRequestId(requestId)
            .build();
    send(EVENTS, InstanceKey.of(account, workflow, id).toString(), events.serialize(EVENTS, event));
    return requestId;
  }

  private String command(String account, String workflow, String id, Object action) {
    String requestId = UUID.randomUUID().toString();
    Command command =
        Command.newBuilder()
            .setRequestId(requestId)
            .setAccount(account)
            .setWorkflow(workflow)
            .setInstanceId(id)
            .setIssuedAt(System.currentTimeMillis())
            .setAction(action)
            .build();
    send(
        COMMANDS,
        InstanceKey.of(account, workflow, id).toString(),
        commands.serialize(COMMANDS, command));
    return requestId;
  }

  private void send(String topic, String key, byte[] value) {
    try {
      producer.send(new ProducerRecord<>(topic, key, value)).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException("cannot produce to " + topic, e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }

  @Override
  public void close() {
    producer.close();
  }

  public static void main(String[] args) {
    if (args.length < 4) {
      System.err.println(
          "usage: KafkaCommands create|pause|resume|terminate|restart|event <account> <workflow>"
              + " <id> [params JSON | event type and payload JSON]");
      System.exit(2);
    }
    String bootstrap =
        System.getenv().getOrDefault("FERRY_KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:9092");
    String registry =
        System.getenv().getOrDefault("FERRY_SCHEMA_REGISTRY_URL", "http://127.0.0.1:8081");
    try (KafkaCommands ferry = new KafkaCommands(bootstrap, registry)) {
      String requestId =
          switch (args[0]) {
            case "create" ->
                ferry.create(args[1], args[2], args[3], args.length > 4 ? args[4] : "{}");
            case "pause" -> ferry.pause(args[1], args[2], args[3]);
            case "resume" -> ferry.resume(args[1], args[2], args[3]);
            case "terminate" -> ferry.terminate(args[1], args[2], args[3]);
            case "restart" -> ferry.restart(args[1], args[2], args[3]);
            case "event" ->
                ferry.sendEvent(
                    args[1], args[2], args[3], args[4], args.length > 5 ? args[5] : "null");
            default -> throw new IllegalArgumentException("unknown action " + args[0]);
          };
      System.out.println("sent, request id " + requestId);
    }
  }
}
