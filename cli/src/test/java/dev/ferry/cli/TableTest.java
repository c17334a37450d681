package dev.ferry.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class TableTest {
  @Test
  void shouldAlignColumnsToTheirWidestCell() {
    String table = new Table("Id", "Status").row("a-long-id", "complete").row("b", null).render();

    assertThat(table.lines())
        .containsExactly("Id         Status", "a-long-id  complete", "b          -");
  }

  @Test
  void shouldKeepEachRowOnOneLine() {
    assertThat(new Table("Error").row("line one\nline two").render().lines())
        .containsExactly("Error", "line one line two");
  }

  @Test
  void shouldRefuseARowOfTheWrongWidth() {
    assertThatThrownBy(() -> new Table("a", "b").row("only one"))
        .hasMessageContaining("1 cells in a table of 2 columns");
  }
}
