package dev.ferry.orchestrator.internal;

import dev.ferry.ops.LogContext;
import dev.ferry.schemas.InstanceKey;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.streams.processor.api.Processor;
import org.apache.kafka.streams.processor.api.ProcessorContext;
import org.apache.kafka.streams.processor.api.Record;
import org.apache.kafka.streams.processor.api.RecordMetadata;

/**
 * Decodes a source's raw bytes. A record that cannot be decoded, or whose key does not match its
 * value, goes to the dead-letter topic with the reason in headers; processing goes on with the next
 * record. Decoding here rather than in the source keeps poison records inside the same exactly-once
 * transaction as everything else.
 */
public final class DecodeProcessor<V> implements Processor<String, byte[], String, Object> {
  private final Deserializer<V> deserializer;
  private final Function<V, InstanceKey> keyOf;
  private final BiFunction<V, byte[], Inbound> wrap;
  private final String instanceProcessor;
  private final String deadLetterSink;
  private final OrchestratorMetrics metrics;
  private ProcessorContext<String, Object> context;

  public DecodeProcessor(
      Deserializer<V> deserializer,
      Function<V, InstanceKey> keyOf,
      BiFunction<V, byte[], Inbound> wrap,
      String instanceProcessor,
      String deadLetterSink,
      OrchestratorMetrics metrics) {
    this.deserializer = deserializer;
    this.keyOf = keyOf;
    this.wrap = wrap;
    this.instanceProcessor = instanceProcessor;
    this.deadLetterSink = deadLetterSink;
    this.metrics = metrics;
  }

  @Override
  public void init(ProcessorContext<String, Object> context) {
    this.context = context;
  }

  @Override
  public void process(Record<String, byte[]> record) {
    try (LogContext.Scope log = LogContext.instance(record.key())) {
      decode(record);
    }
  }

  private void decode(Record<String, byte[]> record) {
    String topic = context.recordMetadata().map(RecordMetadata::topic).orElse("");
    V value;
    try {
      value = deserializer.deserialize(topic, record.value());
    } catch (RuntimeException e) {
      deadLetter(record, e.getMessage());
      return;
    }
    if (value == null) {
      deadLetter(record, "empty value (tombstone) is not a valid record");
      return;
    }
    String expected;
    try {
      expected = keyOf.apply(value).toString();
    } catch (RuntimeException e) {
      deadLetter(record, "invalid record: " + e.getMessage());
      return;
    }
    if (!expected.equals(record.key())) {
      deadLetter(
          record,
          "record key '" + record.key() + "' does not match the value's key '" + expected + "'");
      return;
    }
    context.forward(record.withValue(wrap.apply(value, record.value())), instanceProcessor);
  }

  private void deadLetter(Record<String, byte[]> record, String reason) {
    metrics.deadLetter(OrchestratorMetrics.DeadLetterReason.UNDECODABLE);
    context.forward(
        DeadLetterRecords.of(
            context, record.key(), record.value(), record.timestamp(), record.headers(), reason),
        deadLetterSink);
  }
}
