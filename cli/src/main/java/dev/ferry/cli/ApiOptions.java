package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ferry.client.Workflows;
import dev.ferry.client.WorkflowsException;
import java.io.PrintWriter;
import java.util.function.Function;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The options every {@code ferry workflows} command shares: which gateway and account, and {@code
 * --json}. {@link #call} connects, runs the command's body and turns the API's refusals into one
 * line on stderr and exit code 1.
 */
final class ApiOptions {
  /** Exit code when the API refused the request or could not be reached. */
  static final int FAILED = 1;

  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(
      names = "--url",
      paramLabel = "<url>",
      description =
          "The gateway's base URL (default: $FERRY_URL, else the URL of the ferry dev in"
              + " --data-dir, else http://127.0.0.1:8787).")
  String url;

  @Option(
      names = "--account",
      paramLabel = "<id>",
      description =
          "The account (default: $FERRY_ACCOUNT, else the account of the ferry dev in"
              + " --data-dir). The token is $FERRY_API_TOKEN, else that ferry dev's.")
  String account;

  @CommandLine.Mixin DataDirOption local;

  @Option(names = "--json", description = "Print the API's answer as JSON, for scripts.")
  boolean json;

  /** Runs {@code body} against the gateway; its result is the exit code. */
  int call(Function<Workflows, Integer> body) {
    GatewayTarget target;
    try {
      target = GatewayTarget.resolve(url, account, System.getenv(), local.dataDir);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.ParameterException(command.commandLine(), e.getMessage());
    }
    try {
      return body.apply(Workflows.connect(target.accountUrl(), target.token()));
    } catch (WorkflowsException e) {
      err().println(describe(e, target));
      return FAILED;
    } finally {
      out().flush();
      err().flush();
    }
  }

  private static String describe(WorkflowsException e, GatewayTarget target) {
    if (e.httpStatus() == 0) {
      return "error: no answer from the gateway at "
          + target.url()
          + " (from "
          + target.source()
          + "): "
          + e.getMessage()
          + "\n  Is it running? ./ferry dev starts one; --url or FERRY_URL points elsewhere.";
    }
    String hint =
        switch (e.httpStatus()) {
          case 401 -> "\n  The token is not valid here: check FERRY_API_TOKEN.";
          case 403 -> "\n  The token belongs to another account than \"" + target.account() + "\".";
          default -> "";
        };
    return "error: "
        + e.getMessage()
        + " (code "
        + e.code()
        + ", HTTP "
        + e.httpStatus()
        + ")"
        + hint;
  }

  PrintWriter out() {
    return command.commandLine().getOut();
  }

  PrintWriter err() {
    return command.commandLine().getErr();
  }

  /** A page of a listing as a table, with which page it was and how to get the next. */
  void printPage(Table table, dev.ferry.client.Page<?> page, String what) {
    out().print(table.render());
    out().println(WorkflowsCommand.pageLine(page, what));
  }

  /**
   * With {@code --json}, prints the value (the API's JSON, or anything Jackson can write) and
   * returns true; the caller prints text otherwise.
   */
  boolean printedJson(Object value) {
    if (!json) {
      return false;
    }
    try {
      out().println(JSON.writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    out().flush();
    return true;
  }

  /** A usage error of this command, reported as picocli reports its own (exit code 2). */
  CommandLine.ParameterException usage(String message) {
    return new CommandLine.ParameterException(command.commandLine(), message);
  }
}
