package dev.ferry.cli;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --data-dir}: where a local {@code ferry dev} left its {@link StackFile}. */
final class DataDirOption {
  @Option(
      names = "--data-dir",
      paramLabel = "<dir>",
      defaultValue = "data",
      description = "Where a local ferry dev keeps its data (default: ${DEFAULT-VALUE}).")
  Path dataDir;
}
