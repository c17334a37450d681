package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.DeadLetters;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/** Builds a dead-letter record: the original bytes, with the reason and source in headers. */
final class DeadLetterRecords {
  private static final org.slf4j.Logger LOG =
      org.slf4j.LoggerFactory.getLogger(DeadLetterRecords.class);

  private DeadLetterRecords() {}

  /**
   * The dead-letter record of {@code original}. Its source is the record being processed; outside
   * processing (a punctuator deciding a record it kept, such as a held create) it is the source
   * that {@link #source} wrote into {@code originalHeaders} when the record was kept.
   */
  static Record<String, Object> of(
      ProcessorContext<?, ?> context,
      String key,
      byte[] original,
      long timestamp,
      Headers originalHeaders,
      String reason) {
    RecordMetadata meta = source(context).orElse(null);
    RecordHeaders headers = new RecordHeaders(originalHeaders.toArray());
    String topic = meta == null ? kept(headers, DeadLetters.SOURCE_TOPIC, "") : meta.topic();
    int partition =
        meta == null
            ? Integer.parseInt(kept(headers, DeadLetters.SOURCE_PARTITION, "-1"))
            : meta.partition();
    long offset =
        meta == null
            ? Long.parseLong(kept(headers, DeadLetters.SOURCE_OFFSET, "-1"))
            : meta.offset();
    // Operators learn of poison input from the log too, not only by reading the topic.
    LOG.warn("dead-lettering {} from {}-{}@{}: {}", key, topic, partition, offset, reason);
    DeadLetters.describe(headers, reason, topic, partition, offset);
    return new Record<>(key, original, timestamp, headers);
  }

  /**
   * Where the record being processed came from. Empty in a punctuator, whose context has metadata
   * without a topic.
   */
  static java.util.Optional<RecordMetadata> source(ProcessorContext<?, ?> context) {
    return context.recordMetadata().filter(meta -> meta.topic() != null);
  }

  /** Headers naming where a kept record came from, for {@link #of} when it is decided later. */
  static Headers source(String topic, int partition, long offset) {
    RecordHeaders headers = new RecordHeaders();
    headers.add(DeadLetters.SOURCE_TOPIC, utf8(topic));
    headers.add(DeadLetters.SOURCE_PARTITION, utf8("" + partition));
    headers.add(DeadLetters.SOURCE_OFFSET, utf8("" + offset));
    return headers;
  }

  /** A source header kept with the record (then removed, as describe writes it again). */
  private static String kept(Headers headers, String name, String otherwise) {
    String value = DeadLetters.header(headers, name);
    headers.remove(name);
    return value == null ? otherwise : value;
  }

  private static byte[] utf8(String text) {
    return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }
}
