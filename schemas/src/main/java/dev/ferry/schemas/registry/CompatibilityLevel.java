package dev.ferry.schemas.registry;

import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;

/** Confluent's compatibility levels, decided with Avro's own {@link SchemaCompatibility}. */
public enum CompatibilityLevel {
  NONE,
  BACKWARD,
  BACKWARD_TRANSITIVE,
  FORWARD,
  FORWARD_TRANSITIVE,
  FULL,
  FULL_TRANSITIVE;

  /**
   * Whether {@code candidate} may follow the {@code existing} versions (oldest first).
   * Non-transitive levels look only at the newest version, as Confluent's registry does.
   */
  public boolean allows(Schema candidate, List<Schema> existing) {
    if (this == NONE || existing.isEmpty()) {
      return true;
    }
    List<Schema> against =
        name().endsWith("_TRANSITIVE") ? existing : List.of(existing.get(existing.size() - 1));
    for (Schema old : against) {
      boolean backward = canRead(candidate, old);
      boolean forward = canRead(old, candidate);
      boolean ok =
          switch (this) {
            case BACKWARD, BACKWARD_TRANSITIVE -> backward;
            case FORWARD, FORWARD_TRANSITIVE -> forward;
            case FULL, FULL_TRANSITIVE -> backward && forward;
            case NONE -> true;
          };
      if (!ok) {
        return false;
      }
    }
    return true;
  }

  private static boolean canRead(Schema reader, Schema writer) {
    return SchemaCompatibility.checkReaderWriterCompatibility(reader, writer).getType()
        == SchemaCompatibilityType.COMPATIBLE;
  }
}
