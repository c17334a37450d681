package dev.ferry.schemas;

import java.nio.charset.StandardCharsets;
import org.apache.kafka.common.header.Headers;

/** Header names of dead-letter records: the original bytes stay as they were, reasons go here. */
public final class DeadLetters {
  public static final String REASON = "ferry.dlq.reason";
  public static final String SOURCE_TOPIC = "ferry.dlq.source.topic";
  public static final String SOURCE_PARTITION = "ferry.dlq.source.partition";
  public static final String SOURCE_OFFSET = "ferry.dlq.source.offset";

  private DeadLetters() {}

  public static void describe(
      Headers headers, String reason, String topic, int partition, long offset) {
    headers.add(REASON, bytes(reason));
    headers.add(SOURCE_TOPIC, bytes(topic));
    headers.add(SOURCE_PARTITION, bytes(String.valueOf(partition)));
    headers.add(SOURCE_OFFSET, bytes(String.valueOf(offset)));
  }

  public static String header(Headers headers, String name) {
    var header = headers.lastHeader(name);
    return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
  }

  private static byte[] bytes(String text) {
    return (text == null ? "" : text).getBytes(StandardCharsets.UTF_8);
  }
}
