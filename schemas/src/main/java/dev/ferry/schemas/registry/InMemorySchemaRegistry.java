package dev.ferry.schemas.registry;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * A registry held in memory with Confluent's id and deletion rules: the same schema gets the same
 * global id in every subject, registering a schema a subject already has returns the existing id, a
 * deleted version is first soft-deleted (hidden, still readable by id) and only then permanently.
 * Ids and version numbers are never reused, so a record written with an id stays decodable. Used by
 * topology tests ({@code mock://} URLs) and as the state of Ferry's own registry server.
 */
public class InMemorySchemaRegistry implements SchemaRegistryClient {
  /** Where a version stands: listed, soft-deleted (listed on request) or gone from its subject. */
  public enum State {
    LIVE,
    SOFT_DELETED,
    DELETED
  }

  private record Entry(RegisteredSchema schema, State state) {}

  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Integer> idByCanonical = new ConcurrentHashMap<>();
  private final Map<String, List<Entry>> subjects = new ConcurrentHashMap<>();
  private final Map<String, CompatibilityLevel> subjectLevels = new ConcurrentHashMap<>();
  private volatile CompatibilityLevel level = CompatibilityLevel.BACKWARD;

  @Override
  public synchronized int register(String subject, Schema schema) {
    Optional<RegisteredSchema> existing = find(subject, schema);
    if (existing.isPresent()) {
      return existing.get().id();
    }
    if (!isCompatible(subject, "latest", schema)) {
      throw incompatible(subject, levelFor(subject).name());
    }
    int id = existingId(schema).orElseGet(this::nextId);
    restore(new RegisteredSchema(subject, nextVersion(subject), id, schema));
    return id;
  }

  /** Confluent's answer to a schema that breaks the subject's compatibility level. */
  public static SchemaRegistryException incompatible(String subject, String why) {
    return new SchemaRegistryException(
        409,
        "Schema being registered is incompatible with an earlier schema for subject \""
            + subject
            + "\" ("
            + why
            + ")");
  }

  /** Adds an already-decided live version (ids and numbers as recorded), e.g. replaying a log. */
  public void restore(RegisteredSchema version) {
    restore(version, State.LIVE);
  }

  /** Adds or replaces a version in the given state (ids and numbers as recorded). */
  public synchronized void restore(RegisteredSchema version, State state) {
    byId.putIfAbsent(version.id(), version.schema());
    idByCanonical.putIfAbsent(version.schema().toString(), version.id());
    List<Entry> versions = new ArrayList<>(subjects.getOrDefault(version.subject(), List.of()));
    versions.removeIf(v -> v.schema().version() == version.version());
    versions.add(new Entry(version, state));
    versions.sort((a, b) -> Integer.compare(a.schema().version(), b.schema().version()));
    subjects.put(version.subject(), List.copyOf(versions));
  }

  /** The global id this schema already has in any subject. */
  public Optional<Integer> existingId(Schema schema) {
    return Optional.ofNullable(idByCanonical.get(schema.toString()));
  }

  /** The id the next new schema would get; ids are never reused. */
  public synchronized int nextId() {
    return byId.keySet().stream().mapToInt(Integer::intValue).max().orElse(0) + 1;
  }

  /** The number the subject's next version gets; numbers of deleted versions are not reused. */
  public synchronized int nextVersion(String subject) {
    return subjects.getOrDefault(subject, List.of()).stream()
            .mapToInt(e -> e.schema().version())
            .max()
            .orElse(0)
        + 1;
  }

  /** The live versions, oldest first; empty when there are none. */
  public List<RegisteredSchema> liveVersions(String subject) {
    return entries(subject, State.LIVE);
  }

  /** The live version of the subject holding exactly this schema. */
  public Optional<RegisteredSchema> find(String subject, Schema schema) {
    return entries(subject, State.LIVE).stream().filter(v -> v.schema().equals(schema)).findFirst();
  }

  @Override
  public Schema getById(int id) {
    Schema schema = byId.get(id);
    if (schema == null) {
      throw new SchemaRegistryException(40403, "Schema " + id + " not found");
    }
    return schema;
  }

  /** The versions, in any subject, that hold schema {@code id} and are not deleted. */
  public List<RegisteredSchema> versionsOfId(int id, boolean includeSoftDeleted) {
    getById(id);
    return subjects.keySet().stream()
        .sorted()
        .flatMap(s -> entries(s, includeSoftDeleted ? State.SOFT_DELETED : State.LIVE).stream())
        .filter(v -> v.id() == id)
        .toList();
  }

  @Override
  public RegisteredSchema latest(String subject) {
    List<RegisteredSchema> versions = versions(subject);
    return versions.get(versions.size() - 1);
  }

  /** A live version; a soft-deleted one only when {@code includeSoftDeleted}. */
  public RegisteredSchema version(String subject, int version, boolean includeSoftDeleted) {
    List<Entry> all = known(subject);
    for (Entry entry : all) {
      if (entry.schema().version() == version) {
        if (entry.state() == State.LIVE
            || (entry.state() == State.SOFT_DELETED && includeSoftDeleted)) {
          return entry.schema();
        }
        break;
      }
    }
    throw new SchemaRegistryException(
        40402, "Version " + version + " not found for subject '" + subject + "'.");
  }

  public RegisteredSchema version(String subject, int version) {
    return version(subject, version, false);
  }

  /** The live versions, oldest first; 40401 when the subject has none. */
  public List<RegisteredSchema> versions(String subject) {
    return versions(subject, false);
  }

  /** The live (and, on request, soft-deleted) versions, oldest first; 40401 when none. */
  public List<RegisteredSchema> versions(String subject, boolean includeSoftDeleted) {
    List<RegisteredSchema> versions =
        entries(subject, includeSoftDeleted ? State.SOFT_DELETED : State.LIVE);
    if (versions.isEmpty()) {
      throw subjectNotFound(subject);
    }
    return versions;
  }

  /** The state of a version, including soft-deleted and deleted ones; 40402 when unknown. */
  public State state(String subject, int version) {
    return known(subject).stream()
        .filter(e -> e.schema().version() == version)
        .map(Entry::state)
        .findFirst()
        .orElseThrow(
            () ->
                new SchemaRegistryException(
                    40402, "Version " + version + " not found for subject '" + subject + "'."));
  }

  private List<Entry> known(String subject) {
    List<Entry> all = subjects.getOrDefault(subject, List.of());
    if (all.stream().allMatch(e -> e.state() == State.DELETED)) {
      throw subjectNotFound(subject);
    }
    return all;
  }

  /** Entries at least as visible as {@code upTo}: LIVE gives live ones, SOFT_DELETED adds those. */
  private List<RegisteredSchema> entries(String subject, State upTo) {
    return subjects.getOrDefault(subject, List.of()).stream()
        .filter(e -> e.state().ordinal() <= upTo.ordinal())
        .map(Entry::schema)
        .toList();
  }

  private static SchemaRegistryException subjectNotFound(String subject) {
    return new SchemaRegistryException(40401, "Subject '" + subject + "' not found.");
  }

  /** Looks a schema up under a subject (Confluent's {@code POST /subjects/{s}}). */
  public RegisteredSchema lookup(String subject, Schema schema) {
    versions(subject);
    return find(subject, schema)
        .orElseThrow(() -> new SchemaRegistryException(40403, "Schema not found"));
  }

  public List<String> subjects() {
    return subjects(false);
  }

  /** Subjects with a live (and, on request, a soft-deleted) version, sorted. */
  public List<String> subjects(boolean includeSoftDeleted) {
    State upTo = includeSoftDeleted ? State.SOFT_DELETED : State.LIVE;
    return subjects.keySet().stream().filter(s -> !entries(s, upTo).isEmpty()).sorted().toList();
  }

  @Override
  public boolean isCompatible(String subject, String version, Schema schema) {
    return isCompatible(subject, version, schema, levelFor(subject));
  }

  /** Whether the schema may follow the subject's live versions (up to {@code version}). */
  public boolean isCompatible(
      String subject, String version, Schema schema, CompatibilityLevel level) {
    List<RegisteredSchema> versions = entries(subject, State.LIVE);
    if (!"latest".equals(version)) {
      int wanted = Integer.parseInt(version);
      versions = versions.stream().filter(v -> v.version() <= wanted).toList();
    }
    return level.allows(schema, versions.stream().map(RegisteredSchema::schema).toList());
  }

  /** The global level. */
  public CompatibilityLevel compatibility() {
    return level;
  }

  /** The level set on the subject itself, if any. */
  public Optional<CompatibilityLevel> compatibility(String subject) {
    return Optional.ofNullable(subjectLevels.get(subject));
  }

  /** The level that applies to the subject: its own, else the global one. */
  public CompatibilityLevel levelFor(String subject) {
    return subjectLevels.getOrDefault(subject, level);
  }

  public void setCompatibility(CompatibilityLevel level) {
    this.level = level;
  }

  /** Sets the subject's own level, or with {@code null} makes it follow the global one again. */
  public void setCompatibility(String subject, CompatibilityLevel level) {
    if (level == null) {
      subjectLevels.remove(subject);
    } else {
      subjectLevels.put(subject, level);
    }
  }
}
