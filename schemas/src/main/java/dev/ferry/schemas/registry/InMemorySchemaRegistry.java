package dev.ferry.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory with Confluent's id rules: the same schema gets the same global id in
 * every subject, and registering a schema a subject already has returns the existing id. Used by
 * topology tests ({@code mock://} URLs) and as the state of Ferry's own registry server.
 */
public class InMemorySchemaRegistry implements SchemaRegistryClient {
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> idByCanonical = new ConcurrentHashMap<>();
  private final Map<String, List<RegisteredSchema>> subjects = new ConcurrentHashMap<>();
  private volatile CompatibilityLevel level = CompatibilityLevel.BACKWARD;

  @Override
  public synchronized int register(String subject, Schema schema) {
    List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
    for (RegisteredSchema existing : versions) {
      if (existing.schema().equals(schema)) {
        return existing.id();
      }
    }
    if (!level.allows(schema, versions.stream().map(RegisteredSchema::schema).toList())) {
      throw new SchemaRegistryException(
          409,
          "Schema being registered is incompatible with an earlier schema for subject \""
              + subject
              + "\" ("
              + level
              + ")");
    }
    int id = idByCanonical.computeIfAbsent(schema.toString(), k -> byId.size() + 1);
    byId.putIfAbsent(id, schema);
    RegisteredSchema added = new RegisteredSchema(subject, versions.size() + 1, id, schema);
    restore(added);
    return id;
  }

  /** Adds an already-decided version (ids and numbers as recorded), e.g. when replaying a log. */
  public synchronized void restore(RegisteredSchema version) {
    byId.putIfAbsent(version.id(), version.schema());
    idByCanonical.putIfAbsent(version.schema().toString(), version.id());
    List<RegisteredSchema> versions =
        new ArrayList<>(subjects.getOrDefault(version.subject(), List.of()));
    versions.removeIf(v -> v.version() == version.version());
    versions.add(version);
    versions.sort((a, b) -> Integer.compare(a.version(), b.version()));
    subjects.put(version.subject(), List.copyOf(versions));
  }

  /** The global id this schema already has in any subject. */
  public java.util.Optional<Integer> existingId(Schema schema) {
    return java.util.Optional.ofNullable(idByCanonical.get(schema.toString()));
  }

  /** The id the next new schema would get; ids are never reused. */
  public synchronized int nextId() {
    return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
  }

  @Override
  public Schema getById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(40403, "Schema " + id + " not found");
    }
    return schema;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    List<RegisteredSchema> versions = versions(subject);
    return versions.get(versions.size() - 1);
  }

  public RegisteredSchema version(String subject, int version) {
    return versions(subject).stream()
        .filter(v -> v.version() == version)
        .findFirst()
        .orElseThrow(
            () -> new SchemaRegistryException(40402, "Version " + version + " not found."));
  }

  public List<RegisteredSchema> versions(String subject) {
    List<RegisteredSchema> versions = subjects.get(subject);
    if (versions == null || versions.isEmpty()) {
      throw new SchemaRegistryException(40401, "Subject '" + subject + "' not found.");
    }
    return versions;
  }

  /** Looks a schema up under a subject (Confluent's {@code POST /subjects/{s}}). */
  public RegisteredSchema lookup(String subject, Schema schema) {
    return versions(subject).stream()
        .filter(v -> v.schema().equals(schema))
        .findFirst()
        .orElseThrow(() -> new SchemaRegistryException(40403, "Schema not found"));
  }

  public List<String> subjects() {
    return subjects.keySet().stream().sorted().toList();
  }

  @Override
  public boolean isCompatible(String subject, String version, Schema schema) {
    List<RegisteredSchema> versions = subjects.getOrDefault(subject, List.of());
    if (versions.isEmpty()) {
      return true;
    }
    List<Schema> against;
    if ("latest".equals(version)) {
      against = versions.stream().map(RegisteredSchema::schema).toList();
    } else {
      int wanted = Integer.parseInt(version);
      against =
          versions.stream()
              .filter(v -> v.version() <= wanted)
              .map(RegisteredSchema::schema)
              .toList();
    }
    return level.allows(schema, against);
  }

  public CompatibilityLevel compatibility() {
    return level;
  }

  public void setCompatibility(CompatibilityLevel level) {
    this.level = level;
  }
}
