package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.ferry.examples.Examples;
import dev.ferry.schemas.KafkaClients;
import dev.ferry.worker.WorkerRuntime;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.MemberDescription;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ferry dev}'s orchestrator and workers are static members of their groups, so a stack
 * restarted after a kill -9 takes its partitions back at once instead of waiting out the dead
 * process's sessions; stopping still leaves the groups, so nothing waits after a clean stop either.
 */
class StaticMembershipIT {
  @Test
  void shouldJoinAsStaticMembersAndStillLeaveTheGroupsOnStop(@TempDir Path dir) throws Exception {
    // Sessions far longer than the waits below: members gone within them left, not expired.
    java.util.Map<String, Object> longSessions =
        java.util.Map.of(
            dev.ferry.orchestrator.OrchestratorConfig.SESSION_TIMEOUT_MS, 60_000,
            dev.ferry.worker.WorkerConfig.SESSION_TIMEOUT_MS, 60_000);
    try (DevStack stack = TestStacks.start(dir, Examples.registry(), longSessions);
        Admin admin = KafkaClients.admin(stack.kafkaSettings())) {
      await()
          .atMost(Duration.ofSeconds(30))
          .untilAsserted(
              () -> {
                assertThat(instanceIds(admin, "ferry-orchestrator"))
                    .containsExactly("ferry-dev-orchestrator-1");
                assertThat(instanceIds(admin, "ferry-workers"))
                    .containsExactly("ferry-dev-worker-1");
              });

      WorkerRuntime worker = stack.workers().get(0);
      worker.close();
      stack.stopOrchestrator();

      await()
          .atMost(Duration.ofSeconds(20))
          .untilAsserted(
              () -> {
                assertThat(members(admin, "ferry-workers")).isEmpty();
                assertThat(members(admin, "ferry-orchestrator")).isEmpty();
              });
      stack.startOrchestrator();
    }
  }

  private static List<MemberDescription> members(Admin admin, String group) throws Exception {
    return List.copyOf(
        admin.describeConsumerGroups(List.of(group)).all().get().get(group).members());
  }

  private static List<String> instanceIds(Admin admin, String group) throws Exception {
    return members(admin, group).stream()
        .map(m -> m.groupInstanceId().orElse("(dynamic)"))
        .toList();
  }
}
