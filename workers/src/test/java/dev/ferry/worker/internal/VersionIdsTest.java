package dev.ferry.worker.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.workflows.WorkflowEntrypoint;
import dev.ferry.workflows.WorkflowEvent;
import dev.ferry.workflows.WorkflowStep;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class VersionIdsTest {
  static final class One extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return "one";
    }
  }

  static final class Two extends WorkflowEntrypoint<Object, String> {
    @Override
    public String run(WorkflowEvent<Object> event, WorkflowStep step) {
      return "two";
    }
  }

  @Test
  void shouldGiveTheSameBuildTheSameIdEveryTime() {
    assertThat(VersionIds.of("orders", One.class)).isEqualTo(VersionIds.of("orders", One.class));
  }

  @Test
  void shouldGiveDifferentCodeOrNamesDifferentIds() {
    String one = VersionIds.of("orders", One.class);

    assertThat(VersionIds.of("orders", Two.class)).isNotEqualTo(one);
    assertThat(VersionIds.of("invoices", One.class)).isNotEqualTo(one);
  }

  @Test
  void shouldShapeTheIdAsANameBasedUuid() {
    UUID id = UUID.fromString(VersionIds.of("orders", One.class));

    assertThat(id.version()).isEqualTo(5);
    assertThat(id.variant()).isEqualTo(2);
  }
}
