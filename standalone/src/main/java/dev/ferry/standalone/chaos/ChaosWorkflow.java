package dev.ferry.standalone.chaos;

import dev.ferry.workflows.Backoff;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WaitOptions;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;

/**
 * The workflow the chaos suite runs: every {@link ChaosKind} of work an engine must survive a crash
 * in. Each step callback appends one line to the executions log ({@value #EXECUTIONS_LOG_ENV}), so
 * the suite can count callbacks run again after a kill against the results the history recorded.
 */
public final class ChaosWorkflow extends WorkflowEntrypoint<ChaosWorkflow.Params, String> {
  public static final String NAME = "chaos";

  /** The environment variable naming the executions log the workers append to. */
  public static final String EXECUTIONS_LOG_ENV = "CHAOS_EXECUTIONS_LOG";

  /** The event type the waits of {@link ChaosKind#EVENTS} take. */
  public static final String EVENT_TYPE = "go";

  /** The attempts of the flaky step that fail on purpose before one succeeds. */
  public static final int PLANNED_FAILURES = 2;

  /** Retries generous enough that a lost attempt (a killed worker) never fails a run. */
  private static final StepConfig PATIENT =
      StepConfig.retries(10, Duration.ofMillis(500), Backoff.CONSTANT);

  /**
   * @param kind a {@link ChaosKind} name
   * @param sleepMs how long the sleep of the kinds that sleep lasts
   */
  public record Params(String kind, long sleepMs) {}

  @Override
  public String run(WorkflowEvent<Params> event, WorkflowStep step) {
    String id = event.instanceId();
    ChaosKind kind = ChaosKind.valueOf(event.payload().kind());
    StringBuilder output = new StringBuilder(plain(step, id, "first"));
    switch (kind) {
      case STEPS, PAUSE -> {
        if (kind == ChaosKind.PAUSE) {
          step.sleep("nap", event.payload().sleepMs());
        }
        output.append(plain(step, id, "second")).append(plain(step, id, "third"));
      }
      case SLEEP -> {
        step.sleep("nap", event.payload().sleepMs());
        output.append(plain(step, id, "after nap"));
      }
      case RETRY -> {
        String flaky =
            step.run(
                "flaky",
                PATIENT,
                ctx -> {
                  ran(id, "flaky");
                  if (ctx.attempt() <= PLANNED_FAILURES) {
                    throw new IllegalStateException("planned failure " + ctx.attempt());
                  }
                  return "flaky;";
                });
        output.append(flaky);
      }
      case EVENTS -> {
        for (String wait : ChaosKind.EVENT_WAITS) {
          String payload =
              step.waitForEvent(
                      wait, WaitOptions.type(EVENT_TYPE).timeout("30 minutes"), String.class)
                  .payload();
          output.append(' ').append(payload);
        }
      }
    }
    return output.toString();
  }

  private static String plain(WorkflowStep step, String id, String name) {
    return step.run(name, PATIENT, ctx -> ran(id, name));
  }

  /** Notes one execution of a callback; the line is one write, so lines never interleave. */
  private static String ran(String instanceId, String stepName) {
    String log = System.getenv(EXECUTIONS_LOG_ENV);
    if (log != null) {
      byte[] line = (instanceId + "\t" + stepName + "\n").getBytes(StandardCharsets.UTF_8);
      try (FileChannel out =
          FileChannel.open(
              Path.of(log),
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.APPEND)) {
        out.write(ByteBuffer.wrap(line));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    return stepName + ";";
  }
}
