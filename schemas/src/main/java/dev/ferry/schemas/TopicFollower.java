package dev.ferry.schemas;

import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads whole topics from the beginning on a background thread (committed records only) and hands
 * every record to a handler, for views built from Ferry's outputs: the gateway's read models, a
 * worker's look at registered versions. {@link #awaitCaughtUp} lets a caller read its own writes.
 *
 * <pre>{@code
 * try (TopicFollower follower = TopicFollower.follow(config.kafka(), "my-view", topics)
 *     .on(Topics.STATUS, (key, snapshot) -> ...)
 *     .start()) {
 *   follower.awaitCaughtUp(Duration.ofSeconds(5));
 * }
 * }</pre>
 */
public final class TopicFollower implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(TopicFollower.class);

  private final KafkaConsumer<String, byte[]> consumer;
  private final Admin admin;
  private final List<TopicPartition> partitions;
  private final Map<TopicPartition, Long> positions = new ConcurrentHashMap<>();
  private final Object progress = new Object();
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final Map<String, Consumer<ConsumerRecord<String, byte[]>>> handlers;
  private final RoundListener afterRound;
  private final Thread thread;

  /** Records handled since this follower started (a resumed follower reads only the rest). */
  private final java.util.concurrent.atomic.AtomicLong handled =
      new java.util.concurrent.atomic.AtomicLong();

  /** The ends of the topics when this follower started: until it reaches them it is warming up. */
  private volatile Map<TopicPartition, Long> startEnds;

  private volatile boolean caughtUpOnce;

  /** Poll rounds finished (records handled, positions noted); guarded by {@code progress}. */
  private long rounds;

  /**
   * Told after each poll round, once its records were handled and before anyone waiting sees the
   * round: a view that writes its state in batches commits one here, with the positions it has
   * reached, so a restart can resume from them.
   */
  @FunctionalInterface
  public interface RoundListener {
    void roundDone(Map<TopicPartition, Long> positions);
  }

  private TopicFollower(Builder builder) {
    this.handlers = Map.copyOf(builder.handlers);
    this.afterRound = builder.afterRound;
    this.admin = KafkaClients.admin(builder.kafka);
    Map<String, Object> config = KafkaClients.committedReader(builder.kafka, builder.clientId);
    // A resumed position that no longer exists (deleted by retention) restarts at the oldest kept.
    config.put(
        org.apache.kafka.clients.consumer.ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
    this.consumer =
        new KafkaConsumer<>(config, new StringDeserializer(), new ByteArrayDeserializer());
    this.partitions = KafkaClients.assignAll(consumer, handlers.keySet().toArray(String[]::new));
    consumer.seekToBeginning(partitions);
    builder.resumeAt.forEach(
        (partition, offset) -> {
          if (partitions.contains(partition)) {
            consumer.seek(partition, offset);
            positions.put(partition, offset);
          }
        });
    this.thread = new Thread(this::poll, builder.clientId);
    thread.setDaemon(true);
  }

  /** Collects what to do with each topic's records, then {@link Builder#start()}s. */
  public static Builder follow(KafkaSettings kafka, String clientId, Topics topics) {
    return new Builder(kafka, clientId, topics);
  }

  /** Which Ferry topics to follow and what to do with their decoded records. */
  public static final class Builder {
    private final KafkaSettings kafka;
    private final String clientId;
    private final Topics topics;
    private final Map<String, Consumer<ConsumerRecord<String, byte[]>>> handlers = new HashMap<>();
    private Map<TopicPartition, Long> resumeAt = Map.of();
    private RoundListener afterRound = positions -> {};

    private Builder(KafkaSettings kafka, String clientId, Topics topics) {
      this.kafka = kafka;
      this.clientId = clientId;
      this.topics = topics;
    }

    /** Hands each record's key and decoded value (null for a tombstone) to {@code handler}. */
    public <V extends SpecificRecord> Builder on(
        TopicSpec<V> topic, BiConsumer<String, V> handler) {
      Deserializer<V> values = topics.serde(topic).deserializer();
      handlers.put(
          topics.name(topic),
          record ->
              handler.accept(record.key(), values.deserialize(record.topic(), record.value())));
      return this;
    }

    /** Starts these partitions at these offsets instead of the beginning (the others too). */
    public Builder resumingAt(Map<TopicPartition, Long> offsets) {
      this.resumeAt = Map.copyOf(offsets);
      return this;
    }

    /** Calls {@code listener} after every poll round (see {@link RoundListener}). */
    public Builder afterEachRound(RoundListener listener) {
      this.afterRound = listener;
      return this;
    }

    /**
     * Starts following. Handlers run on the follower's thread; one that throws skips that record
     * (logged) rather than stopping the view.
     */
    public TopicFollower start() {
      TopicFollower follower = new TopicFollower(this);
      follower.thread.start();
      return follower;
    }
  }

  /**
   * Waits until everything committed to the topics before this call has been handled. Returns false
   * on timeout.
   */
  public boolean awaitCaughtUp(Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<TopicPartition, Long> ends = endOffsets();
    return ends != null && awaitProgress(() -> reached(ends), deadline);
  }

  /** How many poll rounds have finished so far (see {@link #awaitRoundAfter}). */
  public long rounds() {
    synchronized (progress) {
      return rounds;
    }
  }

  /**
   * Waits until a poll round after round {@code round} has finished, so a caller that saw a view
   * lacking records it knows are coming can look again once more were read. False on timeout.
   */
  public boolean awaitRoundAfter(long round, Duration timeout) {
    return awaitProgress(() -> rounds > round, System.nanoTime() + timeout.toNanos());
  }

  /** Waits, woken after each poll round, until {@code done} holds or the deadline passes. */
  private boolean awaitProgress(java.util.function.BooleanSupplier done, long deadline) {
    synchronized (progress) {
      while (true) {
        boolean reachedIt = done.getAsBoolean();
        long left = deadline - System.nanoTime();
        if (reachedIt || left <= 0) {
          return reachedIt;
        }
        try {
          progress.wait(Math.max(1, left / 1_000_000));
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return false;
        }
      }
    }
  }

  /**
   * Whether everything that was in the topics when this follower started has been handled: until
   * then a view built from it may lack records that exist (a restarted gateway must not answer 404
   * for them).
   */
  public boolean hasCaughtUpOnce() {
    return caughtUpOnce;
  }

  /** Records handled and records there were at the start, for a progress message. */
  public String startupProgress() {
    Map<TopicPartition, Long> ends = startEnds;
    if (ends == null) {
      return "reading where the topics end";
    }
    long total = ends.values().stream().mapToLong(Long::longValue).sum();
    long done =
        ends.keySet().stream()
            .mapToLong(tp -> Math.min(positions.getOrDefault(tp, 0L), ends.get(tp)))
            .sum();
    return done + " of " + total + " records read";
  }

  /** Records handled since this follower started. */
  public long recordsHandled() {
    return handled.get();
  }

  private boolean reached(Map<TopicPartition, Long> ends) {
    return ends.entrySet().stream()
        .allMatch(e -> positions.getOrDefault(e.getKey(), 0L) >= e.getValue());
  }

  /** The committed ends of every followed partition, or null when the cluster did not answer. */
  private Map<TopicPartition, Long> endOffsets() {
    Map<TopicPartition, Long> ends = new HashMap<>();
    try {
      Map<TopicPartition, OffsetSpec> request = new HashMap<>();
      partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
      admin
          .listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED))
          .all()
          .get()
          .forEach((tp, info) -> ends.put(tp, info.offset()));
      return ends;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    } catch (ExecutionException e) {
      LOG.warn("cannot read end offsets: {}", e.getCause().toString());
      return null;
    }
  }

  private void noteStartupProgress() {
    if (caughtUpOnce) {
      return;
    }
    if (startEnds == null) {
      startEnds = endOffsets(); // tried again next round when the cluster did not answer
    }
    if (startEnds != null && reached(startEnds)) {
      caughtUpOnce = true;
      LOG.info("{} caught up: {}", thread.getName(), startupProgress());
    }
  }

  private void poll() {
    try {
      while (running.get()) {
        var records = consumer.poll(Duration.ofMillis(100));
        for (ConsumerRecord<String, byte[]> record : records) {
          try {
            handlers.get(record.topic()).accept(record);
          } catch (RuntimeException e) {
            LOG.warn(
                "skipping unreadable record {}-{}@{}: {}",
                record.topic(),
                record.partition(),
                record.offset(),
                e.getMessage());
          }
        }
        handled.addAndGet(records.count());
        Map<TopicPartition, Long> reached = new HashMap<>();
        for (TopicPartition partition : partitions) {
          reached.put(partition, consumer.position(partition));
        }
        afterRound.roundDone(reached);
        positions.putAll(reached);
        noteStartupProgress();
        synchronized (progress) {
          rounds++;
          progress.notifyAll();
        }
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("following {} stopped", partitions, e);
    } finally {
      consumer.close(Duration.ofSeconds(2));
    }
  }

  @Override
  public void close() {
    running.set(false);
    consumer.wakeup();
    try {
      thread.join(5_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    admin.close(Duration.ofSeconds(2));
  }
}
