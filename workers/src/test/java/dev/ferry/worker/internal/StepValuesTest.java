package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StepValuesTest {
  private final StepValues values = new StepValues();

  /** A result type of the workflow's own code. */
  public record Quote(String carrier, int cents) {}

  public static final class Quotes extends WorkflowEntrypoint<Object, Quote> {
    @Override
    public Quote run(WorkflowEvent<Object> event, WorkflowStep step) {
      return step.run("quote", () -> new Quote("post", 5));
    }
  }

  @Test
  void shouldReplayAResultAsTheWorkflowsOwnTypeAndJdkValueTypes() throws Exception {
    assertThat(
            values.decode(
                "{\"carrier\":\"post\",\"cents\":5}", Quote.class.getName(), Quotes.class))
        .isEqualTo(new Quote("post", 5));
    assertThat(values.decode("\"2026-01-01T00:00:00Z\"", Instant.class.getName(), Quotes.class))
        .isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    assertThat(values.decode("[1,2]", java.util.ArrayList.class.getName(), Quotes.class))
        .isEqualTo(List.of(1, 2));
  }

  @Test
  void shouldNotConstructAClassOfTheClassPathThatARecordNames() throws Exception {
    Object decoded = values.decode("{\"name\":\"x\"}", Thread.class.getName(), Quotes.class);

    assertThat(decoded).isInstanceOf(Map.class).isEqualTo(Map.of("name", "x"));
    assertThat(values.decode("{}", org.slf4j.helpers.NOPLogger.class.getName(), Quotes.class))
        .isInstanceOf(Map.class);
  }
}
