package dev.ferry.orchestrator.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Timer;
import dev.ferry.schemas.avro.TimerKind;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.processor.api.MockProcessorContext;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.Stores;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class DueTimersTest {
  private final AtomicInteger reads = new AtomicInteger();
  private DueTimers timers;

  @BeforeEach
  void openStore() {
    KeyValueStore<Bytes, Timer> store =
        Stores.keyValueStoreBuilder(
                Stores.inMemoryKeyValueStore("timers"), Serdes.Bytes(), timerSerde())
            .withLoggingDisabled()
            .build();
    store.init(new MockProcessorContext<>().getStateStoreContext(), store);
    timers = new DueTimers(countingReads(store));
  }

  @Test
  void aTickBeforeTheEarliestDueTimeReadsNothing() {
    timers.schedule(timer("a", 1_000));
    assertThat(timers.takeDue(10, 100)).isEmpty(); // after a restart the first tick looks
    reads.set(0);

    for (long now = 11; now < 1_000; now += 5) {
      assertThat(timers.takeDue(now, 100)).isEmpty();
    }

    assertThat(reads).hasValue(0);
    assertThat(timers.takeDue(1_000, 100)).extracting(Timer::getInstanceKey).containsExactly("a");
  }

  @Test
  void anEarlierTimerScheduledAfterALookIsTakenAtItsTime() {
    timers.schedule(timer("late", 5_000));
    assertThat(timers.takeDue(10, 100)).isEmpty();

    timers.schedule(timer("early", 200));

    assertThat(timers.takeDue(199, 100)).isEmpty();
    assertThat(timers.takeDue(200, 100)).extracting(Timer::getInstanceKey).containsExactly("early");
    assertThat(timers.takeDue(4_999, 100)).isEmpty();
    assertThat(timers.takeDue(5_000, 100))
        .extracting(Timer::getInstanceKey)
        .containsExactly("late");
  }

  @Test
  void aTickWhoseBudgetRanOutLooksAgainAtOnce() {
    for (int i = 0; i < 5; i++) {
      timers.schedule(timer("t" + i, 100 + i));
    }

    List<Timer> first = timers.takeDue(1_000, 3);
    List<Timer> rest = timers.takeDue(1_000, 3);

    assertThat(first).extracting(Timer::getInstanceKey).containsExactly("t0", "t1", "t2");
    assertThat(rest).extracting(Timer::getInstanceKey).containsExactly("t3", "t4");
    assertThat(timers.takeDue(2_000, 3)).isEmpty();
  }

  private static Timer timer(String instance, long dueAt) {
    return Timer.newBuilder()
        .setInstanceKey(instance)
        .setKind(TimerKind.SLEEP)
        .setDueAt(dueAt)
        .setToken(1)
        .build();
  }

  /** The store, counting the range reads made of it. */
  @SuppressWarnings("unchecked")
  private KeyValueStore<Bytes, Timer> countingReads(KeyValueStore<Bytes, Timer> store) {
    return (KeyValueStore<Bytes, Timer>)
        Proxy.newProxyInstance(
            getClass().getClassLoader(),
            new Class<?>[] {KeyValueStore.class},
            (proxy, method, args) -> {
              if (method.getName().equals("range")) {
                reads.incrementAndGet();
              }
              try {
                return method.invoke(store, args);
              } catch (InvocationTargetException e) {
                throw e.getCause();
              }
            });
  }

  /** Avro's own single-object encoding: the store under test needs bytes, not the registry. */
  private static org.apache.kafka.common.serialization.Serde<Timer> timerSerde() {
    return Serdes.serdeFrom(
        (topic, timer) -> {
          try {
            return timer.toByteBuffer().array();
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        },
        (topic, bytes) -> {
          try {
            return Timer.fromByteBuffer(java.nio.ByteBuffer.wrap(bytes));
          } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
          }
        });
  }
}
