package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ThreadCpuTest {
  @Test
  void shouldNameAKindOfThreadWithoutItsIdsAndNumbers() {
    assertThat(
            ThreadCpu.kind(
                "kafka-producer-network-thread | ferry-orchestrator-"
                    + "5bdf8595-d113-4545-9754-c1d10dc3ad3e-StreamThread-12-producer"))
        .isEqualTo("kafka-producer-network-thread | ferry-orchestrator-*-StreamThread-#-producer");
    assertThat(ThreadCpu.kind("data-plane-kafka-request-handler-3"))
        .isEqualTo("data-plane-kafka-request-handler-#");
  }

  @Test
  void shouldAddUpTheCpuOfThreadsOfAKindBetweenSamplesBusiestFirst() {
    ThreadCpu.Sample before =
        new ThreadCpu.Sample(
            Map.of(1L, "handler-0", 2L, "handler-1", 3L, "gc"), Map.of(1L, 100L, 2L, 50L, 3L, 0L));
    ThreadCpu.Sample after =
        new ThreadCpu.Sample(
            Map.of(1L, "handler-0", 2L, "handler-1", 3L, "gc", 4L, "new-thread"),
            Map.of(1L, 130L, 2L, 60L, 3L, 70L, 4L, 5L));

    assertThat(ThreadCpu.byKind(before, after))
        .containsExactly(
            Map.entry("gc", 70L), Map.entry("handler-#", 40L), Map.entry("new-thread", 5L));
    assertThat(ThreadCpu.top(ThreadCpu.byKind(before, after), 100L, 1))
        .containsExactly(" 70.0 %  gc");
  }
}
