package dev.ferry.standalone;

import dev.ferry.orchestrator.OrchestratorConfig;
import dev.ferry.schemas.config.FerryConfig;
import dev.ferry.worker.WorkerConfig;
import dev.ferry.worker.WorkflowRegistry;
import java.nio.file.Path;
import java.util.Map;

/** Dev stacks for tests: ephemeral ports, short leases so lost workers are noticed quickly. */
final class TestStacks {
  static final long LEASE_MS = 3_000;

  private TestStacks() {}

  static DevStack start(Path dataDir, WorkflowRegistry workflows) {
    return start(dataDir, workflows, Map.of());
  }

  /** With extra settings, which win over the defaults here. */
  static DevStack start(Path dataDir, WorkflowRegistry workflows, Map<String, Object> extra) {
    Map<String, Object> settings =
        new java.util.HashMap<>(
            Map.of(
                OrchestratorConfig.LEASE_MS,
                LEASE_MS,
                WorkerConfig.HEARTBEAT_MS,
                300L,
                FerryConfig.TOPIC_PARTITIONS,
                2,
                WorkerConfig.ACCOUNTS,
                "acct,other"));
    settings.putAll(extra);
    return DevStack.start(new DevStack.Options(dataDir, 0, 0, 0, settings), workflows);
  }
}
