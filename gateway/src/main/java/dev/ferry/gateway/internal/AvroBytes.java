package dev.ferry.gateway.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecord;

/**
 * Plain Avro binary of one record type, for the gateway's own store (no registry, no wire header):
 * the store saves the schema's {@link #fingerprint} and is rebuilt when a new build changes it.
 */
final class AvroBytes<T extends SpecificRecord> {
  private final Schema schema;
  private final SpecificDatumWriter<T> writer;

  // Readers keep per-schema resolution state; one per thread keeps them apart.
  private final ThreadLocal<SpecificDatumReader<T>> reader;

  AvroBytes(Schema schema) {
    this.schema = schema;
    this.writer = new SpecificDatumWriter<>(schema);
    this.reader = ThreadLocal.withInitial(() -> new SpecificDatumReader<>(schema));
  }

  /** Writes {@code prefix} bytes of room, then the record. */
  byte[] encode(T value, int prefix) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    out.write(new byte[prefix], 0, prefix);
    BinaryEncoder encoder = EncoderFactory.get().directBinaryEncoder(out, null);
    try {
      writer.write(value, encoder);
      encoder.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  T decode(byte[] bytes, int offset) {
    try {
      return reader
          .get()
          .read(
              null, DecoderFactory.get().binaryDecoder(bytes, offset, bytes.length - offset, null));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Changes whenever the schema does, in anything that changes the binary form. */
  String fingerprint() {
    return Long.toHexString(SchemaNormalization.parsingFingerprint64(schema));
  }
}
