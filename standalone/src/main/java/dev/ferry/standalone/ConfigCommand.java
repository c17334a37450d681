package dev.ferry.standalone;

import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ferry config}: every configuration key, read from the same definitions the code uses. */
@Command(
    name = "config",
    mixinStandardHelpOptions = true,
    description = {
      "Print the configuration reference (Markdown): every key with its environment variable,"
          + " default, the parts that read it and its meaning, then how Kafka client settings"
          + " (kafka.<key>) pass through. docs/configuration.md is this output."
    })
final class ConfigCommand implements Callable<Integer> {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().getOut().print(ConfigReference.render());
    spec.commandLine().getOut().flush();
    return 0;
  }
}
