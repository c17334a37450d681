package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ConfigReferenceTest {
  @Test
  void shouldKeepTheReferenceInTheDocsAsFerryConfigPrintsIt() throws Exception {
    String kept = Files.readString(Path.of("..", ConfigReference.FILE), StandardCharsets.UTF_8);

    assertThat(kept)
        .as("%s is stale: run ./ferry config > %s", ConfigReference.FILE, ConfigReference.FILE)
        .isEqualTo(ConfigReference.render());
  }

  @Test
  void shouldListEveryPartsKeysTheSecretsHiddenAndTheGuardedKafkaKeys() {
    StringWriter out = new StringWriter();

    int exit = FerryCommand.commandLine().setOut(new PrintWriter(out, true)).execute("config");

    assertThat(exit).isZero();
    assertThat(out.toString())
        .contains("| `orchestrator.commit.interval.ms` | `FERRY_ORCHESTRATOR_COMMIT_INTERVAL_MS` |")
        .contains("| `basic.auth.user.info` | `FERRY_BASIC_AUTH_USER_INFO` | (none) |")
        .contains("| `worker.accounts` | `FERRY_WORKER_ACCOUNTS` | `default` | worker |")
        .contains("- `kafka.transactional.id`")
        .contains("- `kafka.isolation.level`")
        .doesNotContain("[hidden]` |");
  }
}
