package dev.ferry.standalone;

import dev.ferry.cli.KafkaCommand;
import dev.ferry.cli.ShortUsageErrors;
import dev.ferry.cli.WorkflowsCommand;
import dev.ferry.schemas.KafkaConnectionException;
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
      WorkflowsCommand.class,
      KafkaCommand.class,
      BenchCommand.class,
      dev.ferry.standalone.chaos.ChaosCommand.class,
      ConfigCommand.class
    })
public final class FerryCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }

  /** The launcher's command line, with short answers to bad usage. */
  public static CommandLine commandLine() {
    return new CommandLine(new FerryCommand())
        .setCaseInsensitiveEnumValuesAllowed(true)
        .setParameterExceptionHandler(new ShortUsageErrors())
        .setExecutionExceptionHandler(FerryCommand::startupFailure);
  }

  /**
   * A process that cannot reach Kafka says why in one line, naming the settings to check: the stack
   * trace of a connection failure tells the operator nothing more.
   */
  private static int startupFailure(
      Exception failure, CommandLine command, CommandLine.ParseResult parsed) throws Exception {
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      if (cause instanceof KafkaConnectionException) {
        command.getErr().println(command.getCommandName() + ": " + cause.getMessage());
        return 1;
      }
    }
    throw failure;
  }

  public static void main(String[] args) {
    int exit = commandLine().execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
