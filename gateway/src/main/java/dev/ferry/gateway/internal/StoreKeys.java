package dev.ferry.gateway.internal;

import dev.ferry.schemas.avro.InstanceStatusCode;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.common.TopicPartition;

/**
 * The key layout of the gateway's instance store, defined once: a kind byte, then the parts. Text
 * parts are UTF-8 and end with a 0 byte where something follows them (names never contain one), so
 * one workflow's keys never run into another's. Numbers are big-endian with the sign bit flipped,
 * so keys sort by them.
 *
 * <pre>
 *   M name                                  saved facts (format, cluster, topic ids, when written)
 *   O topic 0 partition                     the position reached in that partition
 *   I account/workflow/id                   an instance: generation, history read, snapshot
 *   T account/workflow/id 0 position        one step of it
 *   L account/workflow 0 created id         the workflow's instances by creation (value: status)
 *   S account/workflow 0 status created id  the same, per status
 *   C account/workflow                      counts per status and newest creation
 *   U account                               live instances and characters held
 * </pre>
 */
final class StoreKeys {
  static final byte META = 'M';
  static final byte OFFSET = 'O';
  static final byte INSTANCE = 'I';
  static final byte STEP = 'T';
  static final byte BY_CREATION = 'L';
  static final byte BY_STATUS = 'S';
  static final byte ACTIVITY = 'C';
  static final byte USAGE = 'U';

  private static final byte END = 0;

  private StoreKeys() {}

  static byte[] meta(String name) {
    return text(META, name);
  }

  static byte[] offset(TopicPartition partition) {
    return ByteBuffer.allocate(2 + utf8(partition.topic()).length + Integer.BYTES)
        .put(OFFSET)
        .put(utf8(partition.topic()))
        .put(END)
        .putInt(partition.partition())
        .array();
  }

  static TopicPartition offsetPartition(byte[] key) {
    int end = indexOf(key, END, 1);
    return new TopicPartition(
        new String(key, 1, end - 1, StandardCharsets.UTF_8),
        ByteBuffer.wrap(key, end + 1, Integer.BYTES).getInt());
  }

  static byte[] instance(String instanceKey) {
    return text(INSTANCE, instanceKey);
  }

  /** The first key of an instance's steps; {@link #afterSteps} is just past the last. */
  static byte[] steps(String instanceKey) {
    return terminated(STEP, instanceKey, END);
  }

  static byte[] afterSteps(String instanceKey) {
    return terminated(STEP, instanceKey, (byte) 1);
  }

  static byte[] step(String instanceKey, int position) {
    byte[] prefix = steps(instanceKey);
    return ByteBuffer.allocate(prefix.length + Integer.BYTES)
        .put(prefix)
        .putInt(position ^ Integer.MIN_VALUE)
        .array();
  }

  /** Where a workflow's instances by creation begin (add {@link #position} for one). */
  static byte[] byCreation(String workflowKey) {
    return terminated(BY_CREATION, workflowKey, END);
  }

  static byte[] byStatus(String workflowKey, InstanceStatusCode status) {
    byte[] prefix = terminated(BY_STATUS, workflowKey, END);
    byte[] key = Arrays.copyOf(prefix, prefix.length + 1);
    key[prefix.length] = (byte) status.ordinal();
    return key;
  }

  /** An index key: the prefix, then creation time and instance id. */
  static byte[] position(byte[] prefix, long queuedAt, String instanceId) {
    byte[] id = utf8(instanceId);
    return ByteBuffer.allocate(prefix.length + Long.BYTES + id.length)
        .put(prefix)
        .putLong(queuedAt ^ Long.MIN_VALUE)
        .put(id)
        .array();
  }

  /** A key after every key that starts with {@code prefix} (whose last byte is never 0xFF). */
  static byte[] after(byte[] prefix) {
    byte[] key = prefix.clone();
    key[key.length - 1]++;
    return key;
  }

  /** The smallest key greater than {@code key}. */
  static byte[] justAfter(byte[] key) {
    return Arrays.copyOf(key, key.length + 1);
  }

  /** The first index key at or after {@code queuedAt} under the prefix. */
  static byte[] from(byte[] prefix, long queuedAt) {
    return ByteBuffer.allocate(prefix.length + Long.BYTES)
        .put(prefix)
        .putLong(queuedAt ^ Long.MIN_VALUE)
        .array();
  }

  /** A key after every index key at or before {@code queuedAt} under the prefix. */
  static byte[] through(byte[] prefix, long queuedAt) {
    byte[] key = Arrays.copyOf(from(prefix, queuedAt), prefix.length + Long.BYTES + 1);
    key[key.length - 1] = (byte) 0xFF; // no UTF-8 text holds this byte
    return key;
  }

  static long queuedAtOf(byte[] key, int prefixLength) {
    return ByteBuffer.wrap(key, prefixLength, Long.BYTES).getLong() ^ Long.MIN_VALUE;
  }

  static String instanceIdOf(byte[] key, int prefixLength) {
    int start = prefixLength + Long.BYTES;
    return new String(key, start, key.length - start, StandardCharsets.UTF_8);
  }

  static byte[] activity(String workflowKey) {
    return text(ACTIVITY, workflowKey);
  }

  static byte[] usage(String account) {
    return text(USAGE, account);
  }

  /** The text after the kind byte of a key made by {@link #activity} or {@link #usage}. */
  static String textOf(byte[] key) {
    return new String(key, 1, key.length - 1, StandardCharsets.UTF_8);
  }

  /** The first key of a kind; {@link #afterKind} is just past its last. */
  static byte[] kind(byte kind) {
    return new byte[] {kind};
  }

  static byte[] afterKind(byte kind) {
    return new byte[] {(byte) (kind + 1)};
  }

  static boolean startsWith(byte[] key, byte[] prefix) {
    return key.length >= prefix.length
        && Arrays.equals(key, 0, prefix.length, prefix, 0, prefix.length);
  }

  private static byte[] text(byte kind, String text) {
    byte[] bytes = utf8(text);
    byte[] key = new byte[bytes.length + 1];
    key[0] = kind;
    System.arraycopy(bytes, 0, key, 1, bytes.length);
    return key;
  }

  private static byte[] terminated(byte kind, String text, byte last) {
    byte[] key = Arrays.copyOf(text(kind, text), utf8(text).length + 2);
    key[key.length - 1] = last;
    return key;
  }

  private static int indexOf(byte[] key, byte wanted, int from) {
    for (int i = from; i < key.length; i++) {
      if (key[i] == wanted) {
        return i;
      }
    }
    throw new IllegalArgumentException("not a store key: " + Arrays.toString(key));
  }

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
