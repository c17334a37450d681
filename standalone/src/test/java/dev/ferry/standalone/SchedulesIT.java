package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.examples.Examples;
import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.orchestrator.schedules.CronScheduler;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.registry.SchemaRegistryClients;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Cron schedules on a real broker, with the scheduler driven by a test clock: firings are neither
 * lost nor doubled across scheduler restarts, and the workflow sees {@code event.schedule()}.
 */
class SchedulesIT {
  private static final String CRON = "*/5 * * * *";
  private static DevStack stack;
  private static Api api;
  private static Topics topics;

  /** Returns what {@code event.schedule()} says. */
  public static final class ScheduleEcho extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run(
          "echo",
          () ->
              event
                  .schedule()
                  .map(s -> s.cron() + "@" + s.scheduledTime().toEpochMilli())
                  .orElse("none"));
    }
  }

  /** A clock the test moves by hand. */
  static final class TestClock extends Clock {
    private volatile Instant now;

    TestClock(Instant now) {
      this.now = now;
    }

    void advance(Duration by) {
      now = now.plus(by);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }

  @BeforeAll
  static void start() throws Exception {
    stack =
        TestStacks.start(
            Files.createTempDirectory("ferry-schedules-it"),
            Examples.registry()
                .register("echo", ScheduleEcho.class)
                .register("fenced-echo", ScheduleEcho.class),
            // The test runs its own scheduler on its own clock.
            Map.of(OrchestratorConfig.SCHEDULER_ENABLED, false));
    api = Api.of(stack, "acct");
    topics = new Topics("workflows.", SchemaRegistryClients.forUrl(stack.registryUrl()));
  }

  @AfterAll
  static void stop() {
    stack.close();
  }

  private static CronScheduler scheduler(Clock clock) {
    return scheduler(clock, "it-scheduler");
  }

  private static CronScheduler scheduler(Clock clock, String transactionalId) {
    return CronScheduler.create(
        new CronScheduler.Options(
            stack.kafkaSettings(), topics, transactionalId, Duration.ofSeconds(1), 100, 10_000),
        clock);
  }

  /** Defines the workflow with the every-five-minutes schedule; returns when that happened. */
  private static Instant defineWithCron(String workflow) {
    Api.Response put =
        api.call(
            "PUT",
            "workflows/" + workflow,
            "{\"class_name\":\"Echo\",\"script_name\":\"it\",\"schedules\":[{\"cron\":\""
                + CRON
                + "\"}]}");
    return Instant.parse(put.result().path("modified_on").asText());
  }

  @Test
  void shouldFireFromOneSchedulerAtATimeAndFromAnotherOnceTheLeaderStops() {
    Instant defined = defineWithCron("fenced-echo");
    TestClock clock = new TestClock(defined.plus(Duration.ofMinutes(6)));
    int due = fiveMinuteMarks(defined, clock.instant());
    int dueLater;

    try (CronScheduler first = scheduler(clock, "it-leader");
        CronScheduler second = scheduler(clock, "it-leader")) {
      await().atMost(Duration.ofSeconds(30)).until(() -> first.leads() != second.leads());
      CronScheduler leader = first.leads() ? first : second;
      CronScheduler other = leader == first ? second : first;

      assertThat(other.tick()).isZero();
      assertThat(leader.tick()).isEqualTo(due).isPositive();

      leader.close(); // leaves the group: the other is told at once
      await().atMost(Duration.ofSeconds(30)).until(other::leads);
      clock.advance(Duration.ofMinutes(5));
      dueLater = fiveMinuteMarks(defined, clock.instant()) - due;
      assertThat(other.tick()).isEqualTo(dueLater).isPositive();
    }
    assertThat(cronCreates("fenced-echo").stream().map(Command::getInstanceId).distinct().count())
        .isEqualTo(due + dueLater);
    assertThat(cronCreates("fenced-echo")).hasSize(due + dueLater);
  }

  /** Multiples of five minutes in (from, to], counted without cron-utils. */
  private static int fiveMinuteMarks(Instant from, Instant to) {
    long first = from.getEpochSecond() / 300 + 1;
    long last = to.getEpochSecond() / 300;
    return (int) Math.max(0, last - first + 1);
  }

  private static List<Command> cronCreates() {
    return cronCreates("echo");
  }

  private static List<Command> cronCreates(String workflow) {
    var values = topics.serde(Topics.COMMANDS).deserializer();
    return CommittedRecords.read(stack.bootstrapServers(), topics.name(Topics.COMMANDS)).stream()
        .map(r -> values.deserialize(r.topic(), r.value()))
        .filter(c -> c.getRequestId().startsWith("cron:acct/" + workflow + "/"))
        .toList();
  }

  @Test
  void shouldFireEachDueFiringOnceAcrossRestartsAndCatchUpOnMissedOnes() {
    Instant defined = defineWithCron("echo");
    TestClock clock = new TestClock(defined.plus(Duration.ofMinutes(11)));
    int firstBatch = fiveMinuteMarks(defined, clock.instant());

    int fired;
    int firedAgain;
    try (CronScheduler first = scheduler(clock)) {
      fired = first.tick();
      firedAgain = first.tick();
    }
    int afterRestart;
    int caughtUp;
    try (CronScheduler second = scheduler(clock)) {
      afterRestart = second.tick();
      clock.advance(Duration.ofMinutes(10)); // time passes while nothing fires
    }
    try (CronScheduler third = scheduler(clock)) {
      caughtUp = third.tick();
    }

    assertThat(fired).isEqualTo(firstBatch).isPositive();
    assertThat(firedAgain).isZero();
    assertThat(afterRestart).isZero();
    assertThat(caughtUp).isEqualTo(2);
    int total = firstBatch + 2;
    List<Command> creates = cronCreates();
    assertThat(creates).hasSize(total);
    assertThat(new HashSet<>(creates.stream().map(Command::getInstanceId).toList())).hasSize(total);
    await()
        .atMost(Duration.ofSeconds(60))
        .until(
            () ->
                api.list("echo", "?status=complete")
                        .body()
                        .path("result_info")
                        .path("total_count")
                        .asInt()
                    == total);
    String id = creates.get(0).getInstanceId();
    JsonNode instance = api.get("echo", id).result();
    assertThat(instance.path("trigger").path("source").asText()).isEqualTo("cron");
    assertThat(instance.path("schedule").path("cron").asText()).isEqualTo(CRON);
    long scheduled = instance.path("schedule").path("scheduledTime").asLong();
    assertThat(scheduled % 300_000).isZero();
    assertThat(instance.path("output").asText()).isEqualTo(CRON + "@" + scheduled);
  }
}
