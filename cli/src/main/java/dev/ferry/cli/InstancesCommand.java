package dev.ferry.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.client.DeletedInstances;
import dev.ferry.client.InstanceDetails;
import dev.ferry.client.InstanceQuery;
import dev.ferry.client.InstanceStatus;
import dev.ferry.client.InstanceSummary;
import dev.ferry.client.Page;
import dev.ferry.client.Workflow;
import dev.ferry.client.WorkflowInstance;
import dev.ferry.client.Workflows;
import dev.ferry.client.WorkflowsException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry workflows instances}: wrangler's instance commands. */
@Command(
    name = "instances",
    mixinStandardHelpOptions = true,
    description = "Manage the instances of a workflow. <id> may be \"latest\": the newest one.",
    subcommands = {
      InstancesCommand.ListInstances.class,
      InstancesCommand.DescribeInstance.class,
      InstancesCommand.SendEvent.class,
      InstanceChanges.Pause.class,
      InstanceChanges.Resume.class,
      InstanceChanges.Terminate.class,
      InstanceChanges.TerminateAll.class,
      InstanceChanges.Restart.class,
      InstancesCommand.DeleteInstances.class
    })
final class InstancesCommand implements Runnable {
  static final String LATEST = "latest";

  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  /** The instance an id names, resolving "latest" to the newest instance. */
  static WorkflowInstance find(Workflows workflows, String workflow, String id) {
    Workflow w = workflows.workflow(workflow);
    if (!LATEST.equals(id)) {
      return w.get(id);
    }
    return w.latest()
        .orElseThrow(
            () ->
                new WorkflowsException(
                    404, 10400, "workflow \"" + workflow + "\" has no instances yet", null));
  }

  /** Picocli's converter for --status: the API's names, with the list in the error. */
  static final class StatusConverter implements CommandLine.ITypeConverter<InstanceStatus.Status> {
    @Override
    public InstanceStatus.Status convert(String value) {
      for (InstanceStatus.Status status : InstanceStatus.Status.values()) {
        if (status != InstanceStatus.Status.UNKNOWN && status.apiName().equals(value)) {
          return status;
        }
      }
      throw new CommandLine.TypeConversionException(
          "must be one of "
              + Arrays.stream(InstanceStatus.Status.values())
                  .filter(s -> s != InstanceStatus.Status.UNKNOWN)
                  .map(InstanceStatus.Status::apiName)
                  .toList()
              + ", got \""
              + value
              + "\"");
    }
  }

  @Command(
      name = "list",
      mixinStandardHelpOptions = true,
      description = "List instances of a workflow, newest first.")
  static final class ListInstances implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "<name>", description = "The workflow.")
    String name;

    @Option(
        names = "--status",
        paramLabel = "<status>",
        converter = StatusConverter.class,
        description = "Only instances in this status (queued, running, paused, errored, ...).")
    InstanceStatus.Status status;

    @Option(names = "--reverse", description = "Oldest first.")
    boolean reverse;

    @Option(names = "--page", defaultValue = "1", description = "Page (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(
        names = "--per-page",
        defaultValue = "25",
        description = "Instances per page, at most 100 (default: ${DEFAULT-VALUE}).")
    int perPage;

    @Override
    public Integer call() {
      InstanceQuery query;
      try {
        query = InstanceQuery.all().status(status).oldestFirst(reverse).page(page).perPage(perPage);
      } catch (IllegalArgumentException e) {
        throw api.usage(e.getMessage().replace("perPage", "--per-page").replace("page", "--page"));
      }
      return api.call(
          workflows -> {
            Page<InstanceSummary> found = workflows.workflow(name).instances(query);
            if (api.printedJson(found.json())) {
              return 0;
            }
            if (found.items().isEmpty()) {
              api.out()
                  .println(
                      "No instances of \""
                          + name
                          + "\""
                          + (status == null ? "" : " in status " + status.apiName())
                          + ".");
              return 0;
            }
            Table table = new Table("Instance ID", "Version", "Created", "Modified", "Status");
            for (InstanceSummary i : found.items()) {
              table.row(
                  i.id(),
                  i.versionId(),
                  Formats.time(i.createdOn()),
                  Formats.time(i.modifiedOn()),
                  Formats.status(i.status()));
            }
            api.printPage(table, found, "instances");
            return 0;
          });
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Describe an instance step by step: attempts, durations, errors, retries.")
  static final class DescribeInstance implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "<name>", description = "The workflow.")
    String name;

    @Parameters(
        index = "1",
        arity = "0..1",
        defaultValue = LATEST,
        paramLabel = "<id>",
        description = "The instance (default: ${DEFAULT-VALUE}).")
    String id;

    @Option(
        names = "--step-output",
        negatable = true,
        defaultValue = "true",
        fallbackValue = "true",
        description = "Show each step's output (default: ${DEFAULT-VALUE}).")
    boolean stepOutput;

    @Option(
        names = "--truncate-output-limit",
        defaultValue = "5000",
        paramLabel = "<chars>",
        description = "Cut outputs longer than this (default: ${DEFAULT-VALUE}).")
    int outputLimit;

    @Override
    public Integer call() {
      if (outputLimit < 1) {
        throw api.usage("--truncate-output-limit must be at least 1, got " + outputLimit);
      }
      return api.call(
          workflows -> {
            WorkflowInstance instance = find(workflows, name, id);
            InstanceDetails details = instance.details();
            if (api.printedJson(details.json())) {
              return 0;
            }
            api.out()
                .print(
                    InstanceDescription.render(
                        name, instance.id(), details, stepOutput, outputLimit));
            return 0;
          });
    }
  }

  @Command(
      name = "send-event",
      mixinStandardHelpOptions = true,
      description = "Send an event to an instance (kept until it waits for one of this type).")
  static final class SendEvent implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "<name>", description = "The workflow.")
    String name;

    @Parameters(index = "1", paramLabel = "<id>", description = "The instance, or latest.")
    String id;

    @Option(names = "--type", required = true, paramLabel = "<type>", description = "Event type.")
    String type;

    @Option(
        names = "--payload",
        defaultValue = "{}",
        paramLabel = "<json>",
        description = "The payload as JSON (default: ${DEFAULT-VALUE}).")
    String payload;

    @Override
    public Integer call() {
      JsonNode parsed = WorkflowsCommand.parseJson(api, "--payload", payload);
      return api.call(
          workflows -> {
            WorkflowInstance instance = find(workflows, name, id);
            instance.sendEvent(type, parsed);
            return InstanceChanges.done(
                api,
                instance,
                "sent",
                "Event \"" + type + "\" sent to instance \"" + instance.id() + "\".");
          });
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = "Delete instances, whatever their status (at most 100 ids).")
  static final class DeleteInstances implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "<name>", description = "The workflow.")
    String name;

    @Parameters(index = "1..*", arity = "0..*", paramLabel = "<id>", description = "Instances.")
    List<String> ids = new ArrayList<>();

    @Option(
        names = "--filename",
        paramLabel = "<file>",
        description = "A JSON file holding an array of instance ids, added to the <id>s.")
    Path file;

    @Override
    public Integer call() {
      LinkedHashSet<String> all = new LinkedHashSet<>(ids);
      if (file != null) {
        all.addAll(idsIn(file));
      }
      if (all.isEmpty()) {
        throw api.usage("give the instance ids to delete, as <id>s or in --filename");
      }
      if (all.size() > Workflow.MAX_BATCH) {
        throw api.usage(
            "at most " + Workflow.MAX_BATCH + " instances at a time, got " + all.size());
      }
      return api.call(
          workflows -> {
            DeletedInstances result = workflows.workflow(name).deleteInstances(List.copyOf(all));
            if (api.printedJson(result)) {
              return result.errors().isEmpty() ? 0 : ApiOptions.FAILED;
            }
            for (String deleted : result.deleted()) {
              api.out().println("Deleted " + deleted);
            }
            for (DeletedInstances.Refusal refusal : result.errors()) {
              api.err()
                  .println(
                      "Not deleted "
                          + refusal.id()
                          + ": "
                          + refusal.message()
                          + " (code "
                          + refusal.code()
                          + ")");
            }
            return result.errors().isEmpty() ? 0 : ApiOptions.FAILED;
          });
    }

    private List<String> idsIn(Path path) {
      JsonNode array;
      try {
        array = ApiOptions.JSON.readTree(path.toFile());
      } catch (IOException e) {
        throw api.usage("--filename " + path + ": cannot read it as JSON: " + e.getMessage());
      }
      if (array == null || !array.isArray()) {
        throw api.usage("--filename " + path + " must hold a JSON array of instance ids");
      }
      List<String> out = new ArrayList<>();
      array.forEach(
          id -> {
            if (!id.isTextual()) {
              throw api.usage("--filename " + path + ": every id must be a string, got " + id);
            }
            out.add(id.asText());
          });
      return out;
    }
  }
}
