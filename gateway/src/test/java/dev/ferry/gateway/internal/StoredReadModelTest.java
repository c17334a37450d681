package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.HistoryEvent;
import dev.ferry.schemas.avro.HistoryEventType;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ResolvedStepConfig;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The read model's store on its own: records applied in rounds, read back by the queries. */
class StoredReadModelTest {
  private static final TopicPartition STATUS = new TopicPartition("workflows.status", 0);

  @TempDir Path dir;

  private InstanceStore store;
  private WorkflowActivity activity;
  private AccountUsage usage;
  private StoreWriter writer;
  private InstanceQueries queries;
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private long offset;

  private void open() {
    store = InstanceStore.open(dir);
    activity = new WorkflowActivity(new StatusGauges(registry));
    usage = new AccountUsage();
    store.forEach(StoreKeys.ACTIVITY, (k, v) -> activity.load(StoreKeys.textOf(k), v));
    store.forEach(StoreKeys.USAGE, (k, v) -> usage.load(StoreKeys.textOf(k), v));
    writer = new StoreWriter(store, activity, usage, System::currentTimeMillis, () -> true);
    queries = new InstanceQueries(store, activity);
  }

  @AfterEach
  void close() {
    if (store != null) {
      store.close();
    }
  }

  private static InstanceSnapshot snapshot(String id, InstanceStatusCode status, long queuedAt) {
    return InstanceSnapshot.newBuilder()
        .setAccount("acme")
        .setWorkflow("orders")
        .setInstanceId(id)
        .setStatus(status)
        .setQueuedAt(queuedAt)
        .setUpdatedAt(queuedAt)
        .setParams("{\"n\":1}")
        .setVersionId("v1")
        .setHistoryEvents(0)
        .build();
  }

  private static HistoryEvent stepEvent(String id, int generation, int position, String output) {
    StepRecord step =
        StepRecord.newBuilder()
            .setPosition(position)
            .setKind(StepKind.DO)
            .setName("step-" + position)
            .setCount(1)
            .setStatus(StepStatus.SUCCEEDED)
            .setStartedAt(0)
            .setOutput(output)
            .setConfig(
                new ResolvedStepConfig(0, 0L, dev.ferry.schemas.avro.Backoff.CONSTANT, 1L, false))
            .setAttempts(List.of())
            .build();
    return new HistoryEvent(
        "acme", "orders", id, generation, HistoryEventType.STEP_SUCCESS, 0L, step, null);
  }

  private void round() {
    writer.roundDone(Map.of(STATUS, ++offset));
  }

  private static String key(String id) {
    return "acme/orders/" + id;
  }

  private InstanceQueries.Query newestFirst(InstanceStatusCode status) {
    return new InstanceQueries.Query(Optional.ofNullable(status), null, null, false, null);
  }

  @Test
  void showsWhatARoundAppliedOnlyOnceTheRoundIsWritten() {
    open();
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.RUNNING, 10));
    writer.apply(key("a"), stepEvent("a", 0, 0, "\"one\""));

    assertThat(queries.get(key("a"))).isEmpty();

    round();
    InstanceView view = queries.get(key("a")).orElseThrow();
    assertThat(view.snapshot().getStatus()).isEqualTo(InstanceStatusCode.RUNNING);
    assertThat(view.steps()).extracting(StepRecord::getOutput).containsExactly("\"one\"");
    assertThat(store.offsets()).containsEntry(STATUS, 1L);
  }

  @Test
  void listsByCreationInEitherOrderWithStatusDatesPositionsAndSkips() {
    open();
    for (int i = 1; i <= 5; i++) {
      writer.apply(
          key("i" + i),
          snapshot(
              "i" + i,
              i % 2 == 0 ? InstanceStatusCode.COMPLETE : InstanceStatusCode.RUNNING,
              i * 100L));
    }
    round();

    assertThat(ids(queries.page("acme", "orders", newestFirst(null), 0, 10)))
        .containsExactly("i5", "i4", "i3", "i2", "i1");
    assertThat(ids(queries.page("acme", "orders", newestFirst(InstanceStatusCode.RUNNING), 0, 10)))
        .containsExactly("i5", "i3", "i1");
    var range = new InstanceQueries.Query(Optional.empty(), 200L, 400L, true, null);
    assertThat(ids(queries.page("acme", "orders", range, 0, 10))).containsExactly("i2", "i3", "i4");
    assertThat(queries.count("acme", "orders", range)).isEqualTo(3);
    assertThat(queries.count("acme", "orders", newestFirst(InstanceStatusCode.COMPLETE)))
        .isEqualTo(2);

    InstanceQueries.Slice first = queries.page("acme", "orders", newestFirst(null), 0, 2);
    assertThat(ids(first)).containsExactly("i5", "i4");
    assertThat(first.more()).isTrue();
    var next =
        new InstanceQueries.Query(
            Optional.empty(), null, null, false, new InstanceQueries.Position(400L, "i4"));
    InstanceQueries.Slice rest = queries.page("acme", "orders", next, 0, 5);
    assertThat(ids(rest)).containsExactly("i3", "i2", "i1");
    assertThat(rest.more()).isFalse();
    assertThat(ids(queries.page("acme", "orders", newestFirst(null), 3, 5)))
        .containsExactly("i2", "i1");
    assertThat(queries.page("acme", "shipments", newestFirst(null), 0, 5).items()).isEmpty();
  }

  @Test
  void movesAnInstanceBetweenStatusesAndCountsEachOnce() {
    open();
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.QUEUED, 10));
    round();
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.RUNNING, 10));
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.COMPLETE, 10));
    round();

    assertThat(ids(queries.page("acme", "orders", newestFirst(InstanceStatusCode.QUEUED), 0, 5)))
        .isEmpty();
    assertThat(ids(queries.page("acme", "orders", newestFirst(InstanceStatusCode.COMPLETE), 0, 5)))
        .containsExactly("a");
    assertThat(activity.of("acme", "orders").counts())
        .isEqualTo(Map.of(InstanceStatusCode.COMPLETE, 1));
    assertThat(queries.instanceIds("acme", "orders", s -> s == InstanceStatusCode.COMPLETE))
        .containsExactly("a");
    assertThat(usage.of("acme").liveInstances()).isZero();
  }

  @Test
  void forgetsADeletedInstanceWithItsStepsIndexesAndUsage() {
    open();
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.RUNNING, 10));
    writer.apply(key("a"), stepEvent("a", 0, 0, "\"x\""));
    round();
    assertThat(usage.of("acme").heldChars()).isPositive();

    writer.apply(key("a"), (InstanceSnapshot) null);
    round();

    assertThat(queries.get(key("a"))).isEmpty();
    assertThat(store.read(key("a")).steps()).isEmpty();
    assertThat(queries.page("acme", "orders", newestFirst(null), 0, 5).items()).isEmpty();
    assertThat(activity.ofAccount("acme")).isEmpty();
    assertThat(usage.of("acme")).isEqualTo(new AccountUsage.Usage(0, 0));
  }

  @Test
  void replacesTheStepsOfAnOlderGenerationAndIgnoresLateOnes() {
    open();
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.RUNNING, 10));
    writer.apply(key("a"), stepEvent("a", 0, 0, "\"old-0\""));
    writer.apply(key("a"), stepEvent("a", 0, 1, "\"old-1\""));
    round();

    writer.apply(key("a"), stepEvent("a", 1, 0, "\"new-0\""));
    writer.apply(key("a"), stepEvent("a", 0, 2, "\"late\""));
    round();

    assertThat(queries.get(key("a")).orElseThrow().steps())
        .extracting(StepRecord::getOutput)
        .containsExactly("\"new-0\"");
  }

  @Test
  void tellsACompleteViewByTheHistoryEventsItsSnapshotCounts() {
    open();
    InstanceSnapshot counted = snapshot("a", InstanceStatusCode.RUNNING, 10);
    counted.setHistoryEvents(2);
    writer.apply(key("a"), counted);
    writer.apply(key("a"), stepEvent("a", 0, 0, "1"));
    round();
    assertThat(queries.get(key("a")).orElseThrow().complete()).isFalse();

    writer.apply(key("a"), stepEvent("a", 0, 1, "2"));
    round();
    assertThat(queries.get(key("a")).orElseThrow().complete()).isTrue();
  }

  @Test
  void keepsInstancesPositionsCountsAndUsageAcrossAReopen() {
    open();
    writer.apply(key("a"), snapshot("a", InstanceStatusCode.WAITING, 10));
    writer.apply(key("b"), snapshot("b", InstanceStatusCode.COMPLETE, 20));
    round();
    long held = usage.of("acme").heldChars();
    store.close();

    open();

    assertThat(store.offsets()).containsEntry(STATUS, offset);
    assertThat(queries.get(key("a")).orElseThrow().snapshot().getStatus())
        .isEqualTo(InstanceStatusCode.WAITING);
    assertThat(activity.of("acme", "orders").counts())
        .isEqualTo(Map.of(InstanceStatusCode.WAITING, 1, InstanceStatusCode.COMPLETE, 1));
    assertThat(activity.of("acme", "orders").lastCreatedAt()).isEqualTo(20L);
    assertThat(usage.of("acme")).isEqualTo(new AccountUsage.Usage(1, held));
    assertThat(registry.get("ferry.instances").tag("status", "waiting").gauge().value())
        .isEqualTo(1.0);
  }

  @Test
  void notesWhenItWasLastCurrentOnlyOnceCaughtUpEvenWithoutNewRecords() {
    open();
    java.util.concurrent.atomic.AtomicBoolean caughtUp =
        new java.util.concurrent.atomic.AtomicBoolean();
    StoreWriter catchingUp =
        new StoreWriter(store, activity, usage, System::currentTimeMillis, caughtUp::get);
    catchingUp.apply(key("a"), snapshot("a", InstanceStatusCode.RUNNING, 10));
    catchingUp.roundDone(Map.of(STATUS, 1L));
    assertThat(store.meta()).doesNotContainKey(StoreValidity.WRITTEN_AT);

    caughtUp.set(true);
    catchingUp.roundDone(Map.of(STATUS, 1L));

    assertThat(store.meta()).containsKey(StoreValidity.WRITTEN_AT);
  }

  @Test
  void refusesASecondGatewayOnTheSameDirectoryNamingTheSetting() {
    open();
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> InstanceStore.open(dir))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("in use by another gateway")
        .hasMessageContaining("gateway.state.dir");
  }

  private static List<String> ids(InstanceQueries.Slice slice) {
    return slice.items().stream().map(InstanceSnapshot::getInstanceId).toList();
  }
}
