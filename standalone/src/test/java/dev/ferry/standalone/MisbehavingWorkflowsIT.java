package dev.ferry.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.worker.WorkflowRegistry;
import dev.ferry.workflows.StepConfig;
import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Workflow code that misbehaves in every way we know of: each instance ends with an error that says
 * what happened, and the worker goes on taking work.
 */
class MisbehavingWorkflowsIT {
  private static final StepConfig ONCE = StepConfig.retries(0);

  /** A step that never returns: its timeout ends it. */
  public static final class Hangs extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run(
          "hang",
          ONCE.timeout("1 second"),
          ctx -> {
            Thread.sleep(Long.MAX_VALUE);
            return "never";
          });
    }
  }

  /** Throws an exception of an anonymous class whose getMessage itself throws. */
  public static final class ThrowsOddError extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run(
          "odd",
          ONCE,
          ctx -> {
            throw new IllegalStateException() {
              @Override
              public String getMessage() {
                throw new UnsupportedOperationException("no message for you");
              }
            };
          });
    }
  }

  /** Returns a list that contains itself. */
  public static final class ReturnsCycle extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      step.run(
          "cycle",
          ONCE,
          ctx -> {
            List<Object> self = new ArrayList<>();
            self.add(self);
            return self;
          });
      return "unreachable";
    }
  }

  /** Returns more than a step may. */
  public static final class ReturnsTooMuch extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run("big", ONCE, ctx -> "x".repeat(2 * 1024 * 1024));
    }
  }

  /** Asks for more memory than the heap has. */
  public static final class ExhaustsHeap extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      step.run("hog", ONCE, ctx -> new long[Integer.MAX_VALUE - 8].length);
      return "unreachable";
    }
  }

  /** Calls the step API from inside a step. */
  public static final class Nests extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run("outer", ctx -> step.run("inner", () -> "inside"));
    }
  }

  /** Returns from run() something that cannot be written as JSON. */
  public static final class ReturnsUnwritable extends WorkflowEntrypoint<Object, Object> {
    @Override
    public Object run(WorkflowEvent<Object> event, WorkflowStep step) {
      return new Object() {
        public String getBoom() {
          throw new IllegalStateException("cannot be read");
        }
      };
    }
  }

  public static final class Works extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run("work", () -> "worked");
    }
  }

  @Test
  void shouldEndEachMisbehavingInstanceWithAClearErrorAndKeepTheWorkerWorking(@TempDir Path dir) {
    WorkflowRegistry workflows =
        new WorkflowRegistry()
            .register("hangs", Hangs.class)
            .register("throws-odd-error", ThrowsOddError.class)
            .register("returns-cycle", ReturnsCycle.class)
            .register("returns-too-much", ReturnsTooMuch.class)
            .register("exhausts-heap", ExhaustsHeap.class)
            .register("nests", Nests.class)
            .register("returns-unwritable", ReturnsUnwritable.class)
            .register("works", Works.class);
    Map<String, String> expected =
        Map.of(
            "hangs", "Execution timed out after 1000ms",
            "throws-odd-error", "its getMessage() threw java.lang.UnsupportedOperationException",
            "returns-cycle", "returned a value which is not serialisable",
            "returns-too-much", "output is too large",
            "exhausts-heap", "Java heap space",
            "nests", "steps cannot be nested",
            "returns-unwritable", "output cannot be written as JSON");
    try (DevStack stack = TestStacks.start(dir, workflows)) {
      Api api = Api.of(stack, "acct");
      expected.keySet().forEach(name -> api.create(name, "{\"instance_id\":\"bad\"}"));

      for (Map.Entry<String, String> each : expected.entrySet()) {
        JsonNode errored = api.awaitStatus(each.getKey(), "bad", "errored");
        assertThat(errored.path("error").path("name").asText()).as(each.getKey()).isNotBlank();
        assertThat(errored.path("error").path("message").asText())
            .as(each.getKey())
            .contains(each.getValue());
      }
      api.create("works", "{\"instance_id\":\"after\"}");
      assertThat(api.awaitStatus("works", "after", "complete").path("output").asText())
          .isEqualTo("worked");
    }
  }
}
