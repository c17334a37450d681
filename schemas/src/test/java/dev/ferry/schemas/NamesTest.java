package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class NamesTest {

  @Test
  void shouldAcceptIdsMatchingThePattern() {
    assertThat(Names.checkInstanceId("order_42-a")).isEmpty();
    assertThat(Names.checkInstanceId("_x")).isEmpty();
    assertThat(Names.checkInstanceId("a".repeat(100))).isEmpty();
  }

  @Test
  void shouldRejectIdStartingWithDashNamingFieldAndPattern() {
    assertThat(Names.checkInstanceId("-x"))
        .hasValueSatisfying(m -> assertThat(m).contains("instance_id").contains(Names.PATTERN));
  }

  @Test
  void shouldRejectTooLongNamesWithTheLimit() {
    assertThat(Names.checkInstanceId("a".repeat(101)))
        .hasValueSatisfying(m -> assertThat(m).contains("at most 100"));
    assertThat(Names.checkWorkflowName("w".repeat(65)))
        .hasValueSatisfying(m -> assertThat(m).contains("workflow_name").contains("at most 64"));
  }

  @Test
  void shouldRejectSlashesAndDotsSoKeysStaySplittable() {
    assertThat(Names.checkWorkflowName("a/b")).isPresent();
    assertThat(Names.checkEventType("a.b")).isPresent();
    assertThat(InstanceKey.parse("acct/wf/id")).isEqualTo(InstanceKey.of("acct", "wf", "id"));
  }
}
