package dev.ferry.schemas;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ferry.schemas.avro.Ferry;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Protocol;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.junit.jupiter.api.Test;

/**
 * The build's schema evolution check: every type of {@code ferry.avdl} must read data written with
 * the last published version of that type ({@code schemas/published/ferry.avpr}), which is Avro's
 * BACKWARD rule. A change that would break records already in topics and stores, or producers still
 * on the old schema, fails the build. After a release, record the new version with {@code mvn -pl
 * schemas test -Dtest=SchemaEvolutionTest -Dferry.schemas.publish=true}.
 */
class SchemaEvolutionTest {
  private static final Path PUBLISHED = Path.of("published", "ferry.avpr");

  @Test
  void shouldReadEveryPublishedTypeWithTheCurrentSchemas() throws IOException {
    if (Boolean.getBoolean("ferry.schemas.publish")) {
      Files.writeString(PUBLISHED, Ferry.PROTOCOL.toString(true) + "\n", StandardCharsets.UTF_8);
    }
    Protocol published = Protocol.parse(PUBLISHED.toFile());

    List<String> problems = problems(published, Ferry.PROTOCOL);

    assertThat(problems).as("schema changes that break BACKWARD compatibility").isEmpty();
  }

  @Test
  void shouldCatchAChangeThatBreaksOldRecords() {
    Protocol published =
        Protocol.parse(
            """
            {"protocol": "P", "namespace": "n", "types": [
              {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]},
              {"type": "enum", "name": "E", "symbols": ["X", "Y"]}]}
            """);
    Protocol current =
        Protocol.parse(
            """
            {"protocol": "P", "namespace": "n", "types": [
              {"type": "record", "name": "R", "fields": [
                {"name": "a", "type": "string"}, {"name": "b", "type": "int"}]},
              {"type": "enum", "name": "E", "symbols": ["X"]}]}
            """);

    assertThat(problems(published, current))
        .hasSize(2)
        .anySatisfy(p -> assertThat(p).startsWith("n.R").contains("b"))
        .anySatisfy(p -> assertThat(p).startsWith("n.E").contains("Y"));
  }

  @Test
  void shouldAcceptAFieldAddedWithADefault() {
    Protocol published =
        Protocol.parse(
            """
            {"protocol": "P", "namespace": "n", "types": [
              {"type": "record", "name": "R", "fields": [{"name": "a", "type": "string"}]}]}
            """);
    Protocol current =
        Protocol.parse(
            """
            {"protocol": "P", "namespace": "n", "types": [
              {"type": "record", "name": "R", "fields": [
                {"name": "a", "type": "string"},
                {"name": "b", "type": ["null", "int"], "default": null}]},
              {"type": "record", "name": "New", "fields": []}]}
            """);

    assertThat(problems(published, current)).isEmpty();
  }

  /** One line per published type the current protocol cannot read (or no longer has). */
  static List<String> problems(Protocol published, Protocol current) {
    List<String> problems = new ArrayList<>();
    for (Schema old : published.getTypes()) {
      Schema now = current.getType(old.getFullName());
      if (now == null) {
        problems.add(old.getFullName() + " was removed; old records could no longer be read");
        continue;
      }
      SchemaCompatibility.SchemaPairCompatibility result =
          SchemaCompatibility.checkReaderWriterCompatibility(now, old);
      if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
        problems.add(
            old.getFullName()
                + ": "
                + result.getResult().getIncompatibilities().stream()
                    .map(i -> i.getType() + " at " + i.getLocation() + " (" + i.getMessage() + ")")
                    .toList());
      }
    }
    return problems;
  }
}
