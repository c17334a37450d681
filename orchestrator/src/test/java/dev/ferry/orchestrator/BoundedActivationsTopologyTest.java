package dev.ferry.orchestrator;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.engine.TestRecords;
import dev.ferry.schemas.ErrorNames;
import dev.ferry.schemas.Limits;
import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Activation;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.HistoryMissing;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.StepRecord;
import dev.ferry.schemas.avro.StepStatus;
import dev.ferry.schemas.avro.Task;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkerReport;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.stream.IntStream;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** No task record grows with the history: an activation carries what the worker lacks, in pages. */
class BoundedActivationsTopologyTest {
  private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");
  private static final String GROUP = "workers";
  private static final String KEY = "acct/wf/i1";

  private final Topics topics =
      new Topics("t.", SchemaRegistryClients.forUrl("mock://bounded-" + UUID.randomUUID()));
  private TopologyTestDriver driver;
  private TestInputTopic<String, Command> commands;
  private TestInputTopic<String, WorkerReport> results;
  private TestOutputTopic<String, Task> tasks;
  private TestOutputTopic<String, InstanceSnapshot> status;

  @BeforeEach
  void start() {
    driver = DriverTopics.driver(topics, OrchestratorTopology.Settings.defaults(), START);
    DriverTopics io = new DriverTopics(driver, topics);
    io.announce(GROUP, "w1", "acct", "v1", START, Duration.ofDays(3650), "wf");
    commands = io.input(Topics.COMMANDS);
    results = io.input(Topics.RESULTS);
    tasks = io.tasks(GROUP);
    status = io.output(Topics.STATUS);
  }

  @AfterEach
  void stop() {
    driver.close();
  }

  @Test
  void shouldSendOnlyTheEntriesOthersWroteSinceTheWorkersLastActivation() {
    create("{\"n\":1}");
    Activation first = single(tasks.readValuesToList());
    assertThat(first.getBaseToken()).isZero();

    List<StepRecord> reported = new ArrayList<>(succeeded(0, 3, "ok"));
    reported.add(sleeping(3, 1_000));
    results.pipeInput(KEY, report(1, reported));
    driver.advanceWallClockTime(Duration.ofSeconds(2));

    Activation second = single(tasks.readValuesToList());
    assertThat(second.getToken()).isEqualTo(2);
    assertThat(second.getBaseToken()).isEqualTo(1);
    assertThat(second.getHistoryFrom()).isEqualTo(3);
    assertThat(second.getHistorySize()).isEqualTo(4);
    // The three steps the worker reported itself are not sent back; the ended sleep is.
    assertThat(second.getHistory())
        .singleElement()
        .satisfies(
            slept -> {
              assertThat(slept.getPosition()).isEqualTo(3);
              assertThat(slept.getStatus()).isEqualTo(StepStatus.SLEPT);
            });
  }

  @Test
  void shouldSendTheWholeHistoryAgainWhenTheWorkerSaysItLacksWhatTheActivationBuildsOn() {
    create("{}");
    tasks.readValuesToList();
    List<StepRecord> reported = new ArrayList<>(succeeded(0, 3, "ok"));
    reported.add(sleeping(3, 1_000));
    results.pipeInput(KEY, report(1, reported));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(single(tasks.readValuesToList()).getBaseToken()).isEqualTo(1);

    results.pipeInput(KEY, report(2, new HistoryMissing("restarted", true)));

    Activation whole = single(tasks.readValuesToList());
    assertThat(whole.getToken()).isEqualTo(3);
    assertThat(whole.getBaseToken()).isZero();
    assertThat(whole.getHistoryFrom()).isZero();
    assertThat(whole.getHistory()).extracting(StepRecord::getPosition).containsExactly(0, 1, 2, 3);
    assertThat(lastStatus()).isEqualTo(InstanceStatusCode.RUNNING);
  }

  @Test
  void shouldSplitALongHistoryOfLargeOutputsIntoPagesThatStayUnderTheRecordLimit() {
    String params = "{\"p\":\"" + "x".repeat(Limits.MAX_PAYLOAD_BYTES - 20) + "\"}";
    create(params);
    tasks.readValuesToList();
    String nearLimit = "\"" + "y".repeat(Limits.MAX_PAYLOAD_BYTES - 100) + "\"";
    List<StepRecord> reported = new ArrayList<>(succeeded(0, 12, nearLimit));
    reported.addAll(succeeded(12, 300, "1"));
    reported.add(sleeping(312, 1_000));
    results.pipeInput(KEY, report(1, reported));
    driver.advanceWallClockTime(Duration.ofSeconds(2));
    assertThat(single(tasks.readValuesToList()).getHistory()).hasSize(1); // the ended sleep
    results.pipeInput(KEY, report(2, new HistoryMissing("restarted", true)));

    List<Activation> pages =
        tasks.readValuesToList().stream().map(t -> (Activation) t.getBody()).toList();

    assertThat(pages).hasSizeGreaterThan(12);
    assertThat(pages)
        .extracting(Activation::getPage)
        .containsExactlyElementsOf(IntStream.range(0, pages.size()).boxed().toList());
    assertThat(pages)
        .filteredOn(Activation::getLastPage)
        .containsExactly(pages.get(pages.size() - 1));
    assertThat(pages.get(0).getParams()).isEqualTo(params);
    assertThat(pages.subList(1, pages.size())).allSatisfy(p -> assertThat(p.getParams()).isEmpty());
    assertThat(pages.stream().flatMap(p -> p.getHistory().stream()).map(StepRecord::getPosition))
        .containsExactlyElementsOf(IntStream.range(0, 313).boxed().toList());
    Serializer<Task> serializer = topics.serde(Topics.TASKS).serializer();
    int largest =
        pages.stream()
            .mapToInt(p -> serializer.serialize("t.tasks." + GROUP, new Task(p)).length)
            .max()
            .orElseThrow();
    // The params plus one page: independent of how many large steps the history has.
    assertThat(largest).isLessThan(Limits.MAX_PAYLOAD_BYTES + RecordSizes.PAGE_CHARS + 64 * 1024);
  }

  @Test
  void shouldErrorTheInstanceWithAClearReasonWhenAnEntryIsTooLargeToStore() {
    create("{}");
    tasks.readValuesToList();
    String huge = "\"" + "z".repeat(RecordSizes.MAX_ENTRY_CHARS) + "\"";

    results.pipeInput(KEY, report(1, succeeded(0, 1, huge)));

    InstanceSnapshot last = lastSnapshot();
    assertThat(last.getStatus()).isEqualTo(InstanceStatusCode.ERRORED);
    assertThat(last.getError().getName()).isEqualTo(ErrorNames.INTERNAL);
    assertThat(last.getError().getMessage())
        .contains("the recorded entry of do \"s0\"")
        .contains("more than the " + RecordSizes.MAX_ENTRY_CHARS);
  }

  private void create(String params) {
    commands.pipeInput(
        KEY,
        Command.newBuilder()
            .setRequestId("r1")
            .setAccount("acct")
            .setWorkflow("wf")
            .setInstanceId("i1")
            .setIssuedAt(START.toEpochMilli())
            .setAction(
                CreateInstance.newBuilder()
                    .setParams(params)
                    .setTriggerSource(TriggerSource.API)
                    .build())
            .build());
  }

  private static Activation single(List<Task> sent) {
    assertThat(sent).singleElement().extracting(Task::getBody).isInstanceOf(Activation.class);
    return (Activation) sent.get(0).getBody();
  }

  private static List<StepRecord> succeeded(int from, int count, String output) {
    return IntStream.range(from, from + count)
        .mapToObj(
            position ->
                StepRecord.newBuilder()
                    .setPosition(position)
                    .setKind(StepKind.DO)
                    .setName("s" + position)
                    .setCount(1)
                    .setStatus(StepStatus.SUCCEEDED)
                    .setStartedAt(START.toEpochMilli())
                    .setEndedAt(START.toEpochMilli())
                    .setOutput(output)
                    .build())
        .toList();
  }

  private static StepRecord sleeping(int position, long millis) {
    return StepRecord.newBuilder()
        .setPosition(position)
        .setKind(StepKind.SLEEP)
        .setName("nap")
        .setCount(1)
        .setStatus(StepStatus.SLEEPING)
        .setStartedAt(START.toEpochMilli())
        .setWakeAt(START.toEpochMilli() + millis)
        .build();
  }

  private static WorkerReport report(long token, Object body) {
    return TestRecords.report("i1", token, START.toEpochMilli(), body);
  }

  private InstanceSnapshot lastSnapshot() {
    List<InstanceSnapshot> all = status.readValuesToList();
    return all.get(all.size() - 1);
  }

  private InstanceStatusCode lastStatus() {
    return lastSnapshot().getStatus();
  }
}
