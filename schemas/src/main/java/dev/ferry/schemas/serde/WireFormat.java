package dev.ferry.schemas.serde;

import java.nio.ByteBuffer;
import org.apache.kafka.common.errors.SerializationException;

/**
 * Confluent's wire format: magic byte 0, the schema id as a 4-byte big-endian int, then the Avro
 * binary encoding of the value.
 */
public final class WireFormat {
  public static final byte MAGIC_BYTE = 0;
  public static final int HEADER_SIZE = 5;

  private WireFormat() {}

  /** The subject a value schema is registered under (Confluent's TopicNameStrategy). */
  public static String valueSubject(String topic) {
    return topic + "-value";
  }

  /** Reads and checks the header, returning the schema id. */
  public static int schemaId(byte[] data) {
    if (data == null || data.length < HEADER_SIZE) {
      throw new SerializationException(
          "record of "
              + (data == null ? 0 : data.length)
              + " bytes is too short for the wire format (magic byte + 4-byte schema id)");
    }
    if (data[0] != MAGIC_BYTE) {
      throw new SerializationException(
          "unknown magic byte " + data[0] + " (expected 0, the Confluent wire format)");
    }
    return ByteBuffer.wrap(data, 1, 4).getInt();
  }
}
