package dev.ferry.schemas.serde;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.util.Utf8;

/**
 * Avro binary decoding that never believes a length the record cannot hold: a string or bytes
 * length beyond the bytes left, or a block of more items than bytes left (beyond a small allowance
 * for items that take no bytes, such as nulls), is refused before anything is allocated. Plain
 * decoding would allocate whatever a length prefix says: a 10-byte record claiming a 2 GB string is
 * an {@code OutOfMemoryError}, and a stream thread that re-reads it forever.
 */
public final class BoundedDecoder extends Decoder {
  /** Items of a block accepted beyond the bytes left (items that encode to nothing). */
  static final long ZERO_SIZE_ALLOWANCE = 65_536;

  private final BinaryDecoder in;

  private BoundedDecoder(BinaryDecoder in) {
    this.in = in;
  }

  /** A decoder over {@code length} bytes of {@code data} from {@code offset}. */
  public static BoundedDecoder over(byte[] data, int offset, int length) {
    return new BoundedDecoder(DecoderFactory.get().binaryDecoder(data, offset, length, null));
  }

  /** Whether every byte was read. */
  public boolean isEnd() throws IOException {
    return in.isEnd();
  }

  private long left() throws IOException {
    return in.inputStream().available();
  }

  private int checkedLength(String what) throws IOException {
    long length = in.readLong();
    long left = left();
    if (length < 0 || length > left) {
      throw new IOException(
          what + " of " + length + " bytes claimed where only " + left + " are left");
    }
    return (int) length;
  }

  private long checkedItems(long items) throws IOException {
    long left = left();
    if (Math.abs(items) > left + ZERO_SIZE_ALLOWANCE) {
      throw new IOException(
          "a block of " + items + " items claimed where only " + left + " bytes are left");
    }
    return items;
  }

  @Override
  public void readNull() throws IOException {
    in.readNull();
  }

  @Override
  public boolean readBoolean() throws IOException {
    return in.readBoolean();
  }

  @Override
  public int readInt() throws IOException {
    return in.readInt();
  }

  @Override
  public long readLong() throws IOException {
    return in.readLong();
  }

  @Override
  public float readFloat() throws IOException {
    return in.readFloat();
  }

  @Override
  public double readDouble() throws IOException {
    return in.readDouble();
  }

  @Override
  public Utf8 readString(Utf8 old) throws IOException {
    int length = checkedLength("a string");
    Utf8 result = old != null ? old : new Utf8();
    result.setByteLength(length);
    in.readFixed(result.getBytes(), 0, length);
    return result;
  }

  @Override
  public String readString() throws IOException {
    int length = checkedLength("a string");
    byte[] bytes = new byte[length];
    in.readFixed(bytes, 0, length);
    return new String(bytes, StandardCharsets.UTF_8);
  }

  @Override
  public void skipString() throws IOException {
    in.skipFixed(checkedLength("a string"));
  }

  @Override
  public ByteBuffer readBytes(ByteBuffer old) throws IOException {
    int length = checkedLength("bytes");
    ByteBuffer result =
        old != null && old.capacity() >= length ? old.clear() : ByteBuffer.allocate(length);
    in.readFixed(result.array(), result.arrayOffset(), length);
    result.limit(length);
    return result;
  }

  @Override
  public void skipBytes() throws IOException {
    in.skipFixed(checkedLength("bytes"));
  }

  @Override
  public void readFixed(byte[] bytes, int start, int length) throws IOException {
    in.readFixed(bytes, start, length);
  }

  @Override
  public void skipFixed(int length) throws IOException {
    in.skipFixed(length);
  }

  @Override
  public int readEnum() throws IOException {
    return in.readEnum();
  }

  @Override
  public long readArrayStart() throws IOException {
    return checkedItems(in.readArrayStart());
  }

  @Override
  public long arrayNext() throws IOException {
    return checkedItems(in.arrayNext());
  }

  @Override
  public long skipArray() throws IOException {
    return checkedItems(in.skipArray());
  }

  @Override
  public long readMapStart() throws IOException {
    return checkedItems(in.readMapStart());
  }

  @Override
  public long mapNext() throws IOException {
    return checkedItems(in.mapNext());
  }

  @Override
  public long skipMap() throws IOException {
    return checkedItems(in.skipMap());
  }

  @Override
  public int readIndex() throws IOException {
    return in.readIndex();
  }
}
