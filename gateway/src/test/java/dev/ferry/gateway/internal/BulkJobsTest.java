package dev.ferry.gateway.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.ReplyOutcome;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeoutException;
import org.junit.jupiter.api.Test;

class BulkJobsTest {
  private final Map<String, CompletableFuture<CommandReply>> sent = new ConcurrentHashMap<>();
  private final BulkJobs jobs =
      new BulkJobs(Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC));

  private BulkJobs.Started terminate(String workflow, List<String> ids) {
    return jobs.start(
        BulkJob.Kind.TERMINATE,
        "acct",
        workflow,
        "waiting",
        () -> ids,
        id -> sent.computeIfAbsent(id, k -> new CompletableFuture<>()));
  }

  private static CommandReply reply(String id, ReplyOutcome outcome, String message) {
    return CommandReply.newBuilder()
        .setRequestId("r-" + id)
        .setAccount("acct")
        .setWorkflow("w")
        .setInstanceId(id)
        .setOutcome(outcome)
        .setMessage(message)
        .build();
  }

  @Test
  void shouldCountEachInstancesAnswerAndEndWhenAllHaveOne() {
    BulkJob job = terminate("w", List.of("a", "b", "c", "d")).job();
    await().until(() -> sent.size() == 4);

    assertThat(job.toJson()).containsEntry("status", "running").containsEntry("total", 4);
    sent.get("a").complete(reply("a", ReplyOutcome.OK, null));
    sent.get("b").complete(reply("b", ReplyOutcome.CONFLICT, "already complete"));
    assertThat(job.toJson()).containsEntry("processed", 2).containsEntry("status", "running");
    sent.get("c").complete(reply("c", ReplyOutcome.OK, null));
    sent.get("d").complete(reply("d", ReplyOutcome.NOT_FOUND, "gone"));

    await().until(() -> job.state() == BulkJob.State.COMPLETE);
    assertThat(job.toJson())
        .containsEntry("type", "terminate")
        .containsEntry("workflow", "w")
        .containsEntry("filter", Map.of("status", "waiting"))
        .containsEntry("processed", 4)
        .containsEntry("succeeded", 2)
        .containsEntry("skipped", 2)
        .containsEntry("failed", 0)
        .containsEntry("ended_on", "2026-12-02T10:00:00Z")
        .containsEntry("errors", List.of());
  }

  @Test
  void shouldEndErroredNamingTheInstancesThatFailed() {
    BulkJob job = terminate("w", List.of("a", "b")).job();
    await().until(() -> sent.size() == 2);

    sent.get("a").completeExceptionally(new TimeoutException());
    sent.get("b").complete(reply("b", ReplyOutcome.INTERNAL_ERROR, "disk full"));

    await().until(() -> job.state() == BulkJob.State.ERRORED);
    assertThat(job.toJson())
        .containsEntry("failed", 2)
        .containsEntry(
            "errors",
            List.of(
                Map.of("instance_id", "a", "message", "the orchestrator did not answer in time"),
                Map.of("instance_id", "b", "message", "INTERNAL_ERROR: disk full")));
  }

  @Test
  void shouldEndErroredWhenTheInstancesCannotBeListed() {
    BulkJob job =
        jobs.start(
                BulkJob.Kind.DELETE,
                "acct",
                "w",
                null,
                () -> {
                  throw new IllegalStateException("read model closed");
                },
                id -> new CompletableFuture<>())
            .job();

    await().until(() -> job.state() == BulkJob.State.ERRORED);
    assertThat(job.toJson())
        .containsEntry("total", null)
        .containsEntry("errors", List.of(Map.of("message", "read model closed")));
  }

  @Test
  void shouldAnswerWithTheRunningJobUntilItEndsThenStartANewOne() {
    BulkJobs.Started first = terminate("w", List.of("a"));
    BulkJobs.Started again = terminate("w", List.of("a"));
    BulkJobs.Started other = terminate("other", List.of("x"));
    await().until(() -> sent.containsKey("a"));

    assertThat(again.alreadyRunning()).isTrue();
    assertThat(again.job()).isSameAs(first.job());
    assertThat(other.alreadyRunning()).isFalse();
    sent.get("a").complete(reply("a", ReplyOutcome.OK, null));
    await().until(() -> first.job().state() == BulkJob.State.COMPLETE);
    await().until(() -> !terminate("w", List.of()).alreadyRunning());
  }

  @Test
  void shouldFindAJobOnlyInItsOwnAccountAndListOneWorkflowsJobs() {
    BulkJob job = terminate("w", List.of()).job();
    terminate("other", List.of());

    assertThat(jobs.find("acct", job.id())).contains(job);
    assertThat(jobs.find("someone-else", job.id())).isEmpty();
    assertThat(jobs.list("acct", "w")).containsExactly(job);
    assertThat(jobs.list("acct", null)).hasSize(2);
    assertThat(jobs.list("someone-else", null)).isEmpty();
  }

  @Test
  void shouldForgetFinishedJobsAfterTheirTime() {
    Instant[] now = {Instant.parse("2026-12-02T10:00:00Z")};
    BulkJobs aging =
        new BulkJobs(
            new Clock() {
              @Override
              public Instant instant() {
                return now[0];
              }

              @Override
              public java.time.ZoneId getZone() {
                return ZoneOffset.UTC;
              }

              @Override
              public Clock withZone(java.time.ZoneId zone) {
                return this;
              }
            });
    BulkJob job = aging.start(BulkJob.Kind.DELETE, "acct", "w", null, List::of, id -> null).job();
    await().until(() -> job.state() == BulkJob.State.COMPLETE);

    now[0] = now[0].plus(BulkJobs.KEPT_FOR).minus(Duration.ofMinutes(1));
    assertThat(aging.list("acct", null)).containsExactly(job);
    now[0] = now[0].plus(Duration.ofMinutes(2));
    assertThat(aging.list("acct", null)).isEmpty();
  }

  @Test
  void shouldRestoreAJobFromItsRecordAsAnotherGatewayReadsIt() throws Exception {
    BulkJob job = terminate("w", List.of("a", "b", "c")).job();
    await().until(() -> sent.size() == 3);
    sent.get("a").complete(reply("a", ReplyOutcome.OK, ""));
    sent.get("b").complete(reply("b", ReplyOutcome.CONFLICT, "finished"));
    sent.get("c").complete(reply("c", ReplyOutcome.INVALID, "refused"));
    await().until(() -> job.endedOn() != null);

    // As the job log carries it: through JSON text and back.
    String text =
        dev.ferry.schemas.Json.write(job.toRecord("gw-1", Instant.parse("2026-12-02T10:00:05Z")));
    Map<String, Object> record =
        dev.ferry.schemas.Json.mapper()
            .readValue(text, new com.fasterxml.jackson.core.type.TypeReference<>() {});
    BulkJob restored = BulkJob.restore(record);

    assertThat(record).containsEntry("gateway", "gw-1").containsEntry("account", "acct");
    assertThat(restored.toJson()).isEqualTo(job.toJson());
    assertThat(restored.statusFilter()).isEqualTo("waiting");
    assertThat(restored.state()).isEqualTo(BulkJob.State.ERRORED);
  }
}
