package dev.ferry.cli;

import dev.ferry.client.BulkJob;
import dev.ferry.client.Page;
import dev.ferry.client.Workflows;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code ferry workflows jobs …} (a Ferry addition): the bulk jobs that {@code instances
 * terminate-all} and {@code delete} start, and their progress.
 */
@Command(
    name = "jobs",
    mixinStandardHelpOptions = true,
    description = {
      "Bulk jobs (terminate-all, a workflow's deletion) and their progress. The gateway that",
      "runs a job keeps it for a day after it ends."
    },
    subcommands = {JobsCommand.ListJobs.class, JobsCommand.DescribeJob.class})
final class JobsCommand implements Runnable {
  /** How often --wait asks for the job's progress. */
  static final Duration POLL = Duration.ofMillis(500);

  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }

  @Command(name = "list", mixinStandardHelpOptions = true, description = "List jobs, newest first.")
  static final class ListJobs implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Option(names = "--workflow", paramLabel = "<name>", description = "Only this workflow's jobs.")
    String workflow;

    @Option(names = "--page", defaultValue = "1", description = "Page (default: ${DEFAULT-VALUE}).")
    int page;

    @Option(
        names = "--per-page",
        defaultValue = "25",
        description = "Jobs per page, at most 100 (default: ${DEFAULT-VALUE}).")
    int perPage;

    @Override
    public Integer call() {
      return api.call(
          workflows -> {
            Page<BulkJob> found =
                workflow == null
                    ? workflows.jobs(page, perPage)
                    : workflows.workflow(workflow).jobs(page, perPage);
            if (api.printedJson(found.json())) {
              return 0;
            }
            if (found.items().isEmpty()) {
              api.out()
                  .println("No jobs" + (workflow == null ? "" : " of \"" + workflow + "\"") + ".");
              return 0;
            }
            Table table =
                new Table("Id", "Type", "Workflow", "Status", "Progress", "Created", "Ended");
            for (BulkJob job : found.items()) {
              table.row(
                  job.id(),
                  job.type(),
                  job.workflow(),
                  job.status(),
                  progress(job),
                  Formats.time(job.createdOn()),
                  Formats.time(job.endedOn()));
            }
            api.printPage(table, found, "jobs");
            return 0;
          });
    }
  }

  @Command(
      name = "describe",
      mixinStandardHelpOptions = true,
      description = "Show a job's progress and failures; --wait follows it until it ends.")
  static final class DescribeJob implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "<job-id>", description = "The job.")
    String id;

    @Option(names = "--wait", description = "Print its progress until it ends.")
    boolean await;

    @Override
    public Integer call() {
      return api.call(workflows -> report(api, workflows, workflows.job(id), await));
    }
  }

  /**
   * Prints the job (with {@code --json}, the API's answer) and, when {@code await}, its progress
   * until it ends. Exit code 1 when it ended errored.
   */
  static int report(ApiOptions api, Workflows workflows, BulkJob job, boolean await) {
    BulkJob last = job;
    if (await) {
      String shown = null;
      while (last.running()) {
        String line = progressLine(last);
        if (!line.equals(shown) && !api.json) {
          api.out().println(line);
          api.out().flush();
          shown = line;
        }
        pause();
        last = workflows.job(last.id());
      }
    }
    if (api.printedJson(last.json())) {
      return "errored".equals(last.status()) ? ApiOptions.FAILED : 0;
    }
    StringBuilder out = new StringBuilder();
    WorkflowsCommand.field(out, "Job", last.id());
    WorkflowsCommand.field(out, "Type", last.type());
    WorkflowsCommand.field(out, "Workflow", last.workflow());
    if (last.statusFilter() != null) {
      WorkflowsCommand.field(out, "Only Status", last.statusFilter());
    }
    WorkflowsCommand.field(out, "Status", last.status());
    WorkflowsCommand.field(out, "Progress", progress(last));
    WorkflowsCommand.field(out, "Created On", Formats.time(last.createdOn()));
    WorkflowsCommand.field(out, "Ended On", Formats.time(last.endedOn()));
    WorkflowsCommand.field(out, "Duration", Formats.between(last.createdOn(), last.endedOn()));
    api.out().print(out);
    if (last.running()) {
      api.out().println("  Follow it: ./ferry workflows jobs describe " + last.id() + " --wait");
    }
    for (BulkJob.Failure failure : last.errors()) {
      api.err()
          .println(
              "Failed "
                  + (failure.instanceId() == null ? "(the job)" : failure.instanceId())
                  + ": "
                  + failure.message());
    }
    return "errored".equals(last.status()) ? ApiOptions.FAILED : 0;
  }

  /** "12 of 40 (10 done, 2 skipped, 0 failed)", or "listing instances" before it knows. */
  static String progress(BulkJob job) {
    if (job.total() == null) {
      return "listing instances";
    }
    return job.processed()
        + " of "
        + job.total()
        + " ("
        + job.succeeded()
        + " done, "
        + job.skipped()
        + " skipped, "
        + job.failed()
        + " failed)";
  }

  private static String progressLine(BulkJob job) {
    return "  " + job.status() + ": " + progress(job);
  }

  private static void pause() {
    try {
      Thread.sleep(POLL.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the job", e);
    }
  }
}
