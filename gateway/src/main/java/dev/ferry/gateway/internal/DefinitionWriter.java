package dev.ferry.gateway.internal;

import dev.ferry.schemas.KafkaClients;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Writes workflow definitions (PUT and DELETE of a workflow) to the compacted definitions topic.
 */
public final class DefinitionWriter implements AutoCloseable {
  private final KafkaProducer<String, WorkflowDefinition> producer;
  private final String topic;

  public DefinitionWriter(KafkaSettings kafka, Topics topics) {
    this.producer =
        new KafkaProducer<>(
            KafkaClients.reliableProducer(kafka, "ferry-gateway-definitions"),
            new StringSerializer(),
            topics.serde(Topics.DEFINITIONS).serializer());
    this.topic = topics.name(Topics.DEFINITIONS);
  }

  /** Completes once the broker has the record. */
  public CompletableFuture<Void> write(WorkflowDefinition definition) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    producer.send(
        new ProducerRecord<>(
            topic,
            WorkflowKey.of(definition.getAccount(), definition.getWorkflow()).toString(),
            definition),
        (metadata, error) -> {
          if (error != null) {
            done.completeExceptionally(error);
          } else {
            done.complete(null);
          }
        });
    return done;
  }

  @Override
  public void close() {
    producer.close(Duration.ofSeconds(5));
  }
}
