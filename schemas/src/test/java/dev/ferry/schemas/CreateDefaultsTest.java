package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.RetentionDefaults;
import dev.ferry.schemas.avro.WorkflowDefinition;
import org.junit.jupiter.api.Test;

class CreateDefaultsTest {
  private static final WorkflowDefinition DEFINITION =
      WorkflowDefinition.newBuilder()
          .setAccount("a")
          .setWorkflow("w")
          .setRetention(new RetentionDefaults(1_000L, 2_000L))
          .setStepLimit(7)
          .setCreatedOn(0)
          .setModifiedOn(0)
          .build();

  @Test
  void shouldFillWhatTheCreateLeavesOpenFromTheDefinitionAndTheNewestVersion() {
    CreateInstance filled =
        CreateDefaults.apply(CreateInstance.newBuilder().build(), DEFINITION, "v2");

    assertThat(filled.getVersionId()).isEqualTo("v2");
    assertThat(filled.getSuccessRetentionMs()).isEqualTo(1_000L);
    assertThat(filled.getErrorRetentionMs()).isEqualTo(2_000L);
    assertThat(filled.getMaxSteps()).isEqualTo(7);
  }

  @Test
  void shouldKeepWhatTheCreateSets() {
    CreateInstance create =
        CreateInstance.newBuilder()
            .setVersionId("v1")
            .setSuccessRetentionMs(5L)
            .setErrorRetentionMs(6L)
            .setMaxSteps(3)
            .build();

    assertThat(CreateDefaults.apply(create, DEFINITION, "v2")).isEqualTo(create);
  }

  @Test
  void shouldLeaveEverythingOpenWithoutADefinitionOrVersion() {
    CreateInstance create = CreateInstance.newBuilder().build();

    assertThat(CreateDefaults.apply(create, null, null)).isEqualTo(create);
  }
}
