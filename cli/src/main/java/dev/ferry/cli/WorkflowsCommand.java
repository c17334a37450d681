package dev.ferry.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.client.BulkJob;
import dev.ferry.client.CreateOptions;
import dev.ferry.client.InstanceStatus;
import dev.ferry.client.Page;
import dev.ferry.client.VersionInfo;
import dev.ferry.client.WorkflowInfo;
import dev.ferry.client.WorkflowInstance;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ferry workflows}: wrangler's {@code workflows} commands against a Ferry gateway. */
@Command(
    name = "workflows",
    mixinStandardHelpOptions = true,
    description = {
      "Manage workflows and their instances through a gateway, command for command as",
      "wrangler workflows does. Against a ./ferry dev started in this folder no options are",
      "needed; elsewhere set FERRY_URL, FERRY_ACCOUNT and FERRY_API_TOKEN.",
      "Exit codes: 0 done, 1 the API refused or did not answer, 2 bad usage."
    },
    subcommands = {
      WorkflowsCommand.ListWorkflows.class,
      WorkflowsCommand.DescribeWorkflow.class,
      WorkflowsCommand.Trigger.class,
      WorkflowsCommand.DeleteWorkflow.class,
      InstancesCommand.class,
      JobsCommand.class
    })
public final class WorkflowsCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List workflows.")
  static final class ListWorkflows implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Option(names = "--page", defaultValue = "1", description = "Page (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(
        names = "--per-page",
        defaultValue = "25",
        description = "Workflows per page, at most 100 (default: ${DEFAULT-VALUE}).")
    int perPage;

    @Override
    public Integer call() {
      return api.call(
          workflows -> {
            Page<WorkflowInfo> found = workflows.list(page, perPage, null);
            if (api.printedJson(found.json())) {
              return 0;
            }
            if (found.items().isEmpty()) {
              api.out().println("No workflows yet: a worker registers the ones it hosts.");
              return 0;
            }
            Table table =
                new Table("Name", "Script name", "Class name", "Instances", "Created", "Modified");
            for (WorkflowInfo w : found.items()) {
              table.row(
                  w.name(),
                  w.scriptName(),
                  w.className(),
                  w.instanceCount(),
                  Formats.time(w.createdOn()),
                  Formats.time(w.modifiedOn()));
            }
            api.printPage(table, found, "workflows");
            return 0;
          });
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Describe a workflow: its settings, instance counts and latest version.")
  static final class DescribeWorkflow implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "<name>", description = "The workflow.")
    String name;

    @Override
    public Integer call() {
      return api.call(
          workflows -> {
            WorkflowInfo w = workflows.workflow(name).describe();
            if (api.printedJson(w.json())) {
              return 0;
            }
            Page<VersionInfo> versions = workflows.workflow(name).versions(1, 1);
            StringBuilder out = new StringBuilder();
            field(out, "Name", w.name());
            field(out, "Id", w.id());
            field(out, "Script Name", w.scriptName());
            field(out, "Class Name", w.className());
            field(out, "Created On", Formats.time(w.createdOn()));
            field(out, "Modified On", Formats.time(w.modifiedOn()));
            field(out, "Triggered On", Formats.time(w.triggeredOn()));
            out.append("Instance Status Counts:\n");
            if (w.instances().isEmpty()) {
              out.append("  (no instances)\n");
            }
            for (InstanceStatus.Status status : InstanceStatus.Status.values()) {
              Long count = w.instances().get(status);
              if (count != null) {
                out.append("  ")
                    .append(Formats.status(status))
                    .append(": ")
                    .append(count)
                    .append('\n');
              }
            }
            for (WorkflowInfo.Schedule schedule : w.schedules()) {
              field(
                  out,
                  "Schedule",
                  schedule.cron() + " (next " + Formats.time(schedule.nextInstance()) + ")");
            }
            if (versions.items().isEmpty()) {
              out.append("Latest Version: none registered\n");
            } else {
              VersionInfo v = versions.items().get(0);
              out.append("Latest Version:\n");
              out.append("  Id:          ").append(v.id()).append('\n');
              out.append("  Language:    ").append(v.language()).append('\n');
              out.append("  Created On:  ").append(Formats.time(v.createdOn())).append('\n');
            }
            api.out().print(out);
            return 0;
          });
    }
  }

  @Command(
      name = "trigger",
      mixinStandardHelpOptions = true,
      description = "Create an instance of a workflow.")
  static final class Trigger implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "<name>", description = "The workflow.")
    String name;

    @Parameters(
        index = "1",
        arity = "0..1",
        paramLabel = "<params>",
        description = "The params as JSON (default: none), e.g. '{\"value\": 4}'.")
    String params;

    @Option(
        names = "--id",
        paramLabel = "<id>",
        description = "The instance id (default: generated).")
    String id;

    @Override
    public Integer call() {
      JsonNode parsed = params == null ? null : parseJson(api, "<params>", params);
      return api.call(
          workflows -> {
            CreateOptions options = CreateOptions.withId(id);
            WorkflowInstance created =
                workflows.workflow(name).create(parsed == null ? options : options.params(parsed));
            if (api.printedJson(Map.of("id", created.id(), "workflow", name))) {
              return 0;
            }
            api.out()
                .println("Workflow instance \"" + created.id() + "\" has been queued successfully");
            api.out()
                .println("  ./ferry workflows instances describe " + name + " " + created.id());
            return 0;
          });
    }
  }

  @Command(
      name = "delete",
      mixinStandardHelpOptions = true,
      description = {
        "Delete a workflow. Its instances are terminated and deleted by a background job,",
        "which may take minutes (--wait follows it); the workflow comes back when a worker",
        "registers it again."
      })
  static final class DeleteWorkflow implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "<name>", description = "The workflow.")
    String name;

    @Option(names = "--wait", description = "Print the deletion job's progress until it ends.")
    boolean await;

    @Override
    public Integer call() {
      return api.call(
          workflows -> {
            BulkJob job = workflows.workflow(name).delete();
            if (!api.json) {
              api.out().println("Workflow \"" + name + "\" has been deleted.");
              api.out().println("  Its instances are terminated and removed by job " + job.id());
            }
            return JobsCommand.report(api, workflows, job, await);
          });
    }
  }

  static void field(StringBuilder out, String name, Object value) {
    out.append(String.format("%-22s %s%n", name + ":", value == null ? "-" : value));
  }

  static String pageLine(Page<?> page, String what) {
    return "Page "
        + page.page()
        + " of "
        + Math.max(page.totalPages(), 1)
        + " ("
        + page.totalCount()
        + " "
        + what
        + ")"
        + (page.hasNext() ? "; next: --page " + (page.page() + 1) : "");
  }

  /** A JSON argument, or a usage error naming it. */
  static JsonNode parseJson(ApiOptions api, String argument, String text) {
    try {
      return ApiOptions.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw api.usage(
          argument + " is not valid JSON: " + e.getOriginalMessage() + " (got " + text + ")");
    }
  }
}
