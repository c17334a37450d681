package dev.ferry.standalone;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ferry}: the launcher of every Ferry process. */
@Command(
    name = "ferry",
    mixinStandardHelpOptions = true,
    version = "ferry 0.1.0-SNAPSHOT",
    description = "Ferry: durable workflows on Apache Kafka.",
    subcommands = {
      DevCommand.class,
      ServiceCommands.OrchestratorCommand.class,
      ServiceCommands.WorkerCommand.class,
      ServiceCommands.GatewayCommand.class,
      ServiceCommands.RegistryCommand.class,
      BenchCommand.class,
      ConfigCommand.class
    })
public final class FerryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  public static void main(String[] args) {
    int exit = new CommandLine(new FerryCommand()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
