package dev.ferry.gateway.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;
import java.util.function.BiPredicate;
import java.util.stream.Stream;
import org.apache.kafka.common.TopicPartition;
import org.rocksdb.BlockBasedTableConfig;
import org.rocksdb.BloomFilter;
import org.rocksdb.CompressionType;
import org.rocksdb.LRUCache;
import org.rocksdb.Options;
import org.rocksdb.ReadOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.RocksIterator;
import org.rocksdb.Snapshot;
import org.rocksdb.WriteBatch;
import org.rocksdb.WriteOptions;

/**
 * The gateway's read model on disk (RocksDB, keys as {@link StoreKeys} lays them out), so its heap
 * does not grow with the instances retained and a restart resumes where it stopped instead of
 * reading every topic again. Writes come in atomic batches, one per poll round, together with the
 * positions they reach; the write-ahead log makes a batch survive a kill -9 of the process.
 */
final class InstanceStore implements AutoCloseable {
  static {
    RocksDB.loadLibrary();
  }

  // Off-heap and bounded: memtables and a block cache, whatever the number of instances.
  private static final long WRITE_BUFFER_BYTES = 16L * 1024 * 1024;
  private static final long BLOCK_CACHE_BYTES = 32L * 1024 * 1024;

  private final Path dir;
  private final boolean temporary;
  private final LRUCache cache;
  private final Options options;
  private final RocksDB db;
  private final WriteOptions writeOptions = new WriteOptions();

  private InstanceStore(Path dir, boolean temporary) {
    this.dir = dir;
    this.temporary = temporary;
    this.cache = new LRUCache(BLOCK_CACHE_BYTES);
    this.options =
        new Options()
            .setCreateIfMissing(true)
            .setWriteBufferSize(WRITE_BUFFER_BYTES)
            .setMaxWriteBufferNumber(2)
            .setCompressionType(CompressionType.LZ4_COMPRESSION)
            .setTableFormatConfig(
                // Index and filter blocks stay with their files rather than compete with data
                // blocks in the cache: most lookups are of keys not there yet (a new instance),
                // which the bloom filter answers only while it is at hand (~1.5 bytes a key).
                new BlockBasedTableConfig()
                    .setBlockCache(cache)
                    .setFilterPolicy(new BloomFilter(10))
                    .setCacheIndexAndFilterBlocks(false));
    try {
      Files.createDirectories(dir);
      this.db = RocksDB.open(options, dir.toString());
    } catch (RocksDBException e) {
      options.close();
      cache.close();
      if (String.valueOf(e.getMessage()).contains("lock")) {
        throw new IllegalStateException(
            "the gateway's state directory "
                + dir
                + " is in use by another gateway; give each gateway its own directory"
                + " (gateway.state.dir)",
            e);
      }
      throw new IllegalStateException("cannot open the gateway's state in " + dir + ": " + e, e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create the gateway's state directory " + dir, e);
    }
  }

  /** The store in {@code dir}, created when missing. */
  static InstanceStore open(Path dir) {
    return new InstanceStore(dir, false);
  }

  /** A store in a new temporary directory, deleted on close: every start reads the topics. */
  static InstanceStore temporary() {
    try {
      return new InstanceStore(Files.createTempDirectory("ferry-gateway-state-"), true);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create a temporary state directory", e);
    }
  }

  /** Closes this store, deletes everything in it and opens it again, empty. */
  InstanceStore emptied() {
    close();
    deleteTree(dir);
    return new InstanceStore(dir, temporary);
  }

  Path dir() {
    return dir;
  }

  /** The saved facts ({@code M} keys), by name. */
  Map<String, String> meta() {
    Map<String, String> meta = new HashMap<>();
    forEach(
        StoreKeys.META,
        (key, value) ->
            meta.put(
                new String(key, 1, key.length - 1, StandardCharsets.UTF_8),
                new String(value, StandardCharsets.UTF_8)));
    return meta;
  }

  /** The saved position of every partition. */
  Map<TopicPartition, Long> offsets() {
    Map<TopicPartition, Long> offsets = new HashMap<>();
    forEach(
        StoreKeys.OFFSET,
        (key, value) ->
            offsets.put(StoreKeys.offsetPartition(key), java.nio.ByteBuffer.wrap(value).getLong()));
    return offsets;
  }

  /** Every key of one kind with its value, in key order. */
  void forEach(byte kind, BiConsumer<byte[], byte[]> visitor) {
    byte[] end = StoreKeys.afterKind(kind);
    try (RocksIterator it = db.newIterator()) {
      for (it.seek(StoreKeys.kind(kind)); it.isValid(); it.next()) {
        byte[] key = it.key();
        if (java.util.Arrays.compareUnsigned(key, end) >= 0) {
          return;
        }
        visitor.accept(key, it.value());
      }
    }
  }

  byte[] get(byte[] key) {
    try {
      return db.get(key);
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  List<byte[]> getAll(List<byte[]> keys) {
    if (keys.isEmpty()) {
      return List.of(); // RocksDB asserts at least one key
    }
    try {
      return db.multiGetAsList(keys);
    } catch (RocksDBException e) {
      throw failed("read", e);
    }
  }

  /** One instance and its steps' values (in position order), read at one point in time. */
  record Read(StoredInstance instance, List<byte[]> steps) {}

  Read read(String instanceKey) {
    Snapshot snapshot = db.getSnapshot();
    try (ReadOptions at = new ReadOptions().setSnapshot(snapshot)) {
      byte[] value = db.get(at, StoreKeys.instance(instanceKey));
      if (value == null) {
        return new Read(StoredInstance.NONE, List.of());
      }
      List<byte[]> steps = new ArrayList<>();
      byte[] end = StoreKeys.afterSteps(instanceKey);
      try (RocksIterator it = db.newIterator(at)) {
        for (it.seek(StoreKeys.steps(instanceKey)); it.isValid(); it.next()) {
          if (java.util.Arrays.compareUnsigned(it.key(), end) >= 0) {
            break;
          }
          steps.add(it.value());
        }
      }
      return new Read(StoredInstance.decode(value), steps);
    } catch (RocksDBException e) {
      throw failed("read", e);
    } finally {
      db.releaseSnapshot(snapshot);
    }
  }

  /**
   * Visits the keys and values in [{@code lower}, {@code upper}) in order, or the other way, until
   * the visitor returns false.
   */
  void scan(byte[] lower, byte[] upper, boolean ascending, BiPredicate<byte[], byte[]> visitor) {
    try (RocksIterator it = db.newIterator()) {
      if (ascending) {
        for (it.seek(lower); it.isValid(); it.next()) {
          byte[] key = it.key();
          if (java.util.Arrays.compareUnsigned(key, upper) >= 0 || !visitor.test(key, it.value())) {
            return;
          }
        }
      } else {
        for (it.seekForPrev(upper); it.isValid(); it.prev()) {
          byte[] key = it.key();
          if (java.util.Arrays.compareUnsigned(key, upper) >= 0) {
            continue; // seekForPrev lands on upper itself when it exists
          }
          if (java.util.Arrays.compareUnsigned(key, lower) < 0 || !visitor.test(key, it.value())) {
            return;
          }
        }
      }
    }
  }

  void write(WriteBatch batch) {
    try {
      db.write(writeOptions, batch);
    } catch (RocksDBException e) {
      throw failed("write", e);
    }
  }

  /** Bytes of the store's files on disk. */
  long bytesOnDisk() {
    try (Stream<Path> files = Files.walk(dir)) {
      return files.filter(Files::isRegularFile).mapToLong(InstanceStore::size).sum();
    } catch (IOException e) {
      return -1;
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      return 0; // compaction removed it meanwhile
    }
  }

  private IllegalStateException failed(String what, RocksDBException e) {
    return new IllegalStateException(
        "cannot " + what + " the gateway's state in " + dir + ": " + e.getMessage(), e);
  }

  @Override
  public void close() {
    writeOptions.close();
    db.close();
    options.close();
    cache.close();
    if (temporary) {
      deleteTree(dir);
    }
  }

  private static void deleteTree(Path dir) {
    if (!Files.exists(dir)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(path);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete " + dir, e);
    }
  }
}
