package dev.ferry.standalone;

import dev.ferry.schemas.KafkaClients;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads what a topic holds now: every committed record, from the start up to the end. */
final class CommittedRecords {
  private CommittedRecords() {}

  static List<ConsumerRecord<String, byte[]>> read(String bootstrapServers, String topic) {
    try (KafkaConsumer<String, byte[]> consumer =
        new KafkaConsumer<>(
            KafkaClients.committedReader(bootstrapServers, "it-committed-reader"),
            new StringDeserializer(),
            new ByteArrayDeserializer())) {
      var partitions = KafkaClients.assignAll(consumer, topic);
      consumer.seekToBeginning(partitions);
      var ends = consumer.endOffsets(partitions);
      List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
      while (partitions.stream().anyMatch(p -> consumer.position(p) < ends.get(p))) {
        consumer.poll(Duration.ofMillis(200)).forEach(records::add);
      }
      return records;
    }
  }
}
