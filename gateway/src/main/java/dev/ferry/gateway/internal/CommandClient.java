package dev.ferry.gateway.internal;

import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Produces commands and completes each caller's future when the orchestrator's reply with the same
 * request id appears. Every gateway reads every reply partition and ignores the requests it did not
 * send, so any number of gateways can run side by side.
 */
public final class CommandClient implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(CommandClient.class);

  private final Topics topics;
  private final KafkaProducer<String, byte[]> producer;
  private final Serializer<Command> commandSerializer;
  private final Serializer<InstanceEvent> eventSerializer;
  private final KafkaConsumer<String, byte[]> replies;
  private final Deserializer<CommandReply> replyDeserializer;
  private final Map<String, CompletableFuture<CommandReply>> pending = new ConcurrentHashMap<>();
  private final Duration timeout;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Thread thread;

  public CommandClient(KafkaSettings kafka, Topics topics, Duration timeout) {
    this.topics = topics;
    this.timeout = timeout;
    this.producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka, "ferry-gateway-commands"),
            new StringSerializer(),
            new ByteArraySerializer());
    this.commandSerializer = topics.serde(Topics.COMMANDS).serializer();
    this.eventSerializer = topics.serde(Topics.EVENTS).serializer();
    this.replies =
        new KafkaConsumer<>(
            KafkaClients.committedReader(kafka, "ferry-gateway-replies"),
            new StringDeserializer(),
            new ByteArrayDeserializer());
    this.replyDeserializer = topics.serde(Topics.REPLIES).deserializer();
    // A reply to a command sent after this constructor returns cannot be missed.
    KafkaClients.startAtEnd(replies, KafkaClients.assignAll(replies, topics.name(Topics.REPLIES)));
    this.thread = new Thread(this::pollReplies, "ferry-gateway-replies");
    thread.setDaemon(true);
    thread.start();
  }

  /** Sends the command; the future completes with its reply or fails with a timeout. */
  public CompletableFuture<CommandReply> send(Command command) {
    String topic = topics.name(Topics.COMMANDS);
    String key =
        InstanceKey.of(command.getAccount(), command.getWorkflow(), command.getInstanceId())
            .toString();
    return send(topic, key, command.getRequestId(), commandSerializer.serialize(topic, command));
  }

  /**
   * Sends every command at once; completes with the replies in the same order, an empty one for
   * each command whose reply did not come in time (it may still take effect).
   */
  public CompletableFuture<List<Optional<CommandReply>>> sendAll(List<Command> batch) {
    List<CompletableFuture<Optional<CommandReply>>> replies =
        batch.stream()
            .map(
                command ->
                    send(command)
                        .thenApply(Optional::of)
                        .exceptionallyCompose(
                            error ->
                                unwrap(error) instanceof TimeoutException
                                    ? CompletableFuture.completedFuture(
                                        Optional.<CommandReply>empty())
                                    : CompletableFuture.failedFuture(error)))
            .toList();
    return CompletableFuture.allOf(replies.toArray(CompletableFuture[]::new))
        .thenApply(done -> replies.stream().map(CompletableFuture::join).toList());
  }

  private static Throwable unwrap(Throwable error) {
    return error instanceof java.util.concurrent.CompletionException && error.getCause() != null
        ? error.getCause()
        : error;
  }

  /** Sends the event (which must carry a request id) and waits for its reply like a command. */
  public CompletableFuture<CommandReply> send(InstanceEvent event) {
    String topic = topics.name(Topics.EVENTS);
    String key =
        InstanceKey.of(event.getAccount(), event.getWorkflow(), event.getInstanceId()).toString();
    return send(topic, key, event.getRequestId(), eventSerializer.serialize(topic, event));
  }

  private CompletableFuture<CommandReply> send(
      String topic, String key, String requestId, byte[] value) {
    CompletableFuture<CommandReply> reply = new CompletableFuture<>();
    pending.put(requestId, reply);
    producer.send(
        new ProducerRecord<>(topic, key, value),
        (metadata, error) -> {
          if (error != null) {
            pending.remove(requestId);
            reply.completeExceptionally(error);
          }
        });
    return reply
        .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .whenComplete((r, e) -> pending.remove(requestId));
  }

  private void pollReplies() {
    try {
      while (running.get()) {
        for (ConsumerRecord<String, byte[]> record : replies.poll(Duration.ofMillis(100))) {
          CommandReply reply = decode(record);
          CompletableFuture<CommandReply> waiting =
              reply == null ? null : pending.remove(reply.getRequestId());
          if (waiting != null) {
            waiting.complete(reply);
          }
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("reply consumer stopped", e);
    } finally {
      replies.close(Duration.ofSeconds(2));
    }
  }

  /**
   * The reply in the record, or null for a record that holds none (a tombstone, garbage): any
   * producer can write to the replies topic, and one bad record must not stop every answer.
   */
  private CommandReply decode(ConsumerRecord<String, byte[]> record) {
    if (record.value() == null) {
      return null;
    }
    try {
      return replyDeserializer.deserialize(record.topic(), record.value());
    } catch (RuntimeException e) {
      LOG.warn(
          "skipping unreadable reply {}-{}@{}: {}",
          record.topic(),
          record.partition(),
          record.offset(),
          e.getMessage());
      return null;
    }
  }

  @Override
  public void close() {
    running.set(false);
    replies.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    producer.close(Duration.ofSeconds(5));
  }
}
