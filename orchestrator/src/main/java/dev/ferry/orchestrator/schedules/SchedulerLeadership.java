package dev.ferry.orchestrator.schedules;

import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which of the running schedulers fires cron: the member of one consumer group that holds partition
 * 0 of the schedules topic. Kafka's group protocol is the election, so when the leader's process
 * stops, another is told within a rebalance, and when it dies, within the group's session timeout.
 * The consumer reads nothing (its partitions stay paused); it only keeps the membership.
 */
final class SchedulerLeadership implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLeadership.class);

  private final KafkaConsumer<byte[], byte[]> consumer;
  private final TopicPartition decides;
  private final AtomicBoolean running = new AtomicBoolean(true);
  private final CountDownLatch firstAssignment = new CountDownLatch(1);
  private final Thread thread;
  private volatile boolean leader;

  /** Counts the times this member became leader, so the scheduler knows to take over anew. */
  private final AtomicLong terms = new AtomicLong();

  SchedulerLeadership(KafkaSettings kafka, String topic, String group, int sessionTimeoutMs) {
    this.decides = new TopicPartition(topic, 0);
    this.consumer =
        new KafkaConsumer<>(
            kafka.clientConfig(
                java.util.Map.of(
                    ConsumerConfig.GROUP_ID_CONFIG,
                    group,
                    ConsumerConfig.CLIENT_ID_CONFIG,
                    group,
                    ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG,
                    false,
                    ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG,
                    sessionTimeoutMs,
                    ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG,
                    Math.max(500, sessionTimeoutMs / 4))),
            new ByteArrayDeserializer(),
            new ByteArrayDeserializer());
    consumer.subscribe(
        List.of(topic),
        new ConsumerRebalanceListener() {
          @Override
          public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            if (partitions.contains(decides)) {
              lose("its partition moved");
            }
          }

          @Override
          public void onPartitionsLost(Collection<TopicPartition> partitions) {
            lose("its group membership was lost");
          }

          @Override
          public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            consumer.pause(consumer.assignment());
            if (partitions.contains(decides) && !leader) {
              terms.incrementAndGet();
              leader = true;
              LOG.info("this scheduler fires cron now (it holds {})", decides);
            }
            firstAssignment.countDown();
          }
        });
    this.thread = new Thread(this::poll, group);
    thread.setDaemon(true);
    thread.start();
  }

  private void lose(String why) {
    if (leader) {
      leader = false;
      LOG.info("this scheduler stops firing cron: {}", why);
    }
  }

  boolean isLeader() {
    return leader;
  }

  long term() {
    return terms.get();
  }

  /** Waits until the group has given this member its first assignment (leader or not). */
  boolean awaitFirstAssignment(Duration timeout) throws InterruptedException {
    return firstAssignment.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
  }

  private void poll() {
    try {
      while (running.get()) {
        consumer.poll(Duration.ofMillis(200)); // paused: returns nothing, keeps the membership
      }
    } catch (WakeupException e) {
      // closing
    } catch (RuntimeException e) {
      LOG.error("the scheduler's leadership consumer stopped", e);
      leader = false;
    } finally {
      leader = false;
      // Leave at once, so another scheduler takes over without waiting for the session to end.
      consumer.close(
          CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP)
              .withTimeout(Duration.ofSeconds(5)));
    }
  }

  @Override
  public void close() {
    if (!running.getAndSet(false)) {
      return;
    }
    consumer.wakeup();
    try {
      thread.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
