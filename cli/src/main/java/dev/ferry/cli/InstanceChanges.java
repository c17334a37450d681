package dev.ferry.cli;

import dev.ferry.client.BulkJob;
import dev.ferry.client.InstanceStatus;
import dev.ferry.client.RestartFrom;
import dev.ferry.client.WorkflowInstance;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code instances pause|resume|terminate|restart}: one status change of one instance each. */
final class InstanceChanges {
  private InstanceChanges() {}

  /** The shared body of pause, resume, terminate: one change, one line. */
  abstract static class Change implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(index = "0", paramLabel = "<name>", description = "The workflow.")
    String name;

    @Parameters(index = "1", paramLabel = "<id>", description = "The instance, or latest.")
    String id;

    abstract String verb();

    abstract void apply(WorkflowInstance instance);

    @Override
    public Integer call() {
      return api.call(
          workflows -> {
            WorkflowInstance instance = InstancesCommand.find(workflows, name, id);
            apply(instance);
            return done(
                api,
                instance,
                verb(),
                "Instance \"" + instance.id() + "\" of \"" + name + "\": " + verb() + ".");
          });
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true, description = "Pause an instance.")
  static final class Pause extends Change {
    @Override
    String verb() {
      return "pause requested";
    }

    @Override
    void apply(WorkflowInstance instance) {
      instance.pause();
    }
  }

  @Command(
      name = "resume",
      mixinStandardHelpOptions = true,
      description = "Resume a paused instance.")
  static final class Resume extends Change {
    @Override
    String verb() {
      return "resumed";
    }

    @Override
    void apply(WorkflowInstance instance) {
      instance.resume();
    }
  }

  @Command(
      name = "terminate",
      mixinStandardHelpOptions = true,
      description = "Terminate an instance.")
  static final class Terminate extends Change {
    @Option(
        names = "--rollback",
        description = "Run the rollback handlers of its completed steps, newest first.")
    boolean rollback;

    @Override
    String verb() {
      return rollback ? "terminated, rolling back" : "terminated";
    }

    @Override
    void apply(WorkflowInstance instance) {
      if (rollback) {
        instance.terminateWithRollback();
      } else {
        instance.terminate();
      }
    }
  }

  @Command(
      name = "restart",
      mixinStandardHelpOptions = true,
      description = "Restart an instance from its first step, or from a step keeping earlier ones.")
  static final class Restart extends Change {
    @Option(names = "--from-step-name", paramLabel = "<step>", description = "Restart here.")
    String fromName;

    @Option(
        names = "--from-step-count",
        paramLabel = "<n>",
        description = "Which step of that name, 1 the first (needs --from-step-name).")
    Integer fromCount;

    @Option(
        names = "--from-step-type",
        paramLabel = "<type>",
        description = "do, sleep or waitForEvent (needs --from-step-name).")
    String fromType;

    @Override
    public Integer call() {
      if (fromName == null && (fromCount != null || fromType != null)) {
        throw api.usage("--from-step-count and --from-step-type need --from-step-name");
      }
      if (fromCount != null && fromCount < 1) {
        throw api.usage("--from-step-count must be a positive integer, got " + fromCount);
      }
      if (fromType != null && !List.of("do", "sleep", "waitForEvent").contains(fromType)) {
        throw api.usage("--from-step-type must be do, sleep or waitForEvent, got " + fromType);
      }
      return super.call();
    }

    @Override
    String verb() {
      return fromName == null ? "restarted" : "restarted from step " + fromName;
    }

    @Override
    void apply(WorkflowInstance instance) {
      if (fromName == null) {
        instance.restart();
        return;
      }
      RestartFrom from = RestartFrom.step(fromName);
      from = fromCount == null ? from : from.count(fromCount);
      instance.restart(fromType == null ? from : from.type(fromType));
    }
  }

  static int done(ApiOptions api, WorkflowInstance instance, String verb, String line) {
    if (api.printedJson(Map.of("id", instance.id(), "result", verb))) {
      return 0;
    }
    api.out().println(line);
    return 0;
  }

  @Command(
      name = "terminate-all",
      mixinStandardHelpOptions = true,
      description = {
        "Terminate every unfinished instance of a workflow (or only those in one status) in a",
        "background job; prints the job, or the one already running. --wait follows it."
      })
  static final class TerminateAll implements Callable<Integer> {
    @Mixin ApiOptions api;

    @Parameters(paramLabel = "<name>", description = "The workflow.")
    String name;

    @Option(
        names = "--status",
        paramLabel = "<status>",
        converter = InstancesCommand.StatusConverter.class,
        description =
            "Only instances in this status: queued, running, paused, waitingForPause or waiting.")
    InstanceStatus.Status status;

    @Option(names = "--wait", description = "Print the job's progress until it ends.")
    boolean await;

    @Override
    public Integer call() {
      return api.call(
          workflows -> {
            BulkJob.Started started = workflows.workflow(name).terminateAll(status);
            if (!api.json) {
              api.out()
                  .println(
                      (started.alreadyRunning()
                              ? "A terminate-all job for \"" + name + "\" was already running: "
                              : "Terminating the unfinished instances of \"" + name + "\" in job ")
                          + started.job().id());
            }
            return JobsCommand.report(api, workflows, started.job(), await);
          });
    }
  }
}
