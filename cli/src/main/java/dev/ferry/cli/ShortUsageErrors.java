package dev.ferry.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Bad usage answered in two lines, as git does: what was wrong, and where the help is. (Picocli's
 * default prints the whole usage, which buries the one line that matters.)
 */
public final class ShortUsageErrors implements CommandLine.IParameterExceptionHandler {
  @Override
  public int handleParseException(CommandLine.ParameterException e, String[] args) {
    CommandLine command = e.getCommandLine();
    PrintWriter err = command.getErr();
    err.println("error: " + e.getMessage());
    CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
    err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for its usage.");
    err.flush();
    return command.getCommandSpec().exitCodeOnInvalidInput();
  }
}
