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

  static Record<String, Object> of(
      ProcessorContext<?, ?> context,
      String key,
      byte[] original,
      long timestamp,
      Headers originalHeaders,
      String reason) {
    RecordMetadata meta = context.recordMetadata().orElse(null);
    // Operators learn of poison input from the log too, not only by reading the topic.
    LOG.warn(
        "dead-lettering {} from {}-{}@{}: {}",
        key,
        meta == null ? "?" : meta.topic(),
        meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset(),
        reason);
    RecordHeaders headers = new RecordHeaders(originalHeaders.toArray());
    DeadLetters.describe(
        headers,
        reason,
        meta == null ? "" : meta.topic(),
        meta == null ? -1 : meta.partition(),
        meta == null ? -1 : meta.offset());
    return new Record<>(key, original, timestamp, headers);
  }
}
