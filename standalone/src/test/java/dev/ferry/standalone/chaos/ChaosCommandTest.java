package dev.ferry.standalone.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.standalone.FerryCommand;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class ChaosCommandTest {
  private static ChaosCommand parse(String... args) {
    CommandLine.ParseResult parsed = FerryCommand.commandLine().parseArgs(args);
    return (ChaosCommand) parsed.subcommand().commandSpec().userObject();
  }

  @Test
  void shouldTakeEachPartAsAKillTargetEvenWhereASubcommandHasItsName() {
    assertThat(parse("chaos", "--kill", "broker").targets).containsExactly(ChaosTarget.BROKER);
    assertThat(parse("chaos", "--kill", "Orchestrator,worker").targets)
        .containsExactlyInAnyOrder(ChaosTarget.ORCHESTRATOR, ChaosTarget.WORKER);
    assertThat(parse("chaos", "--quick").targets).hasSize(ChaosTarget.values().length);
  }
}
