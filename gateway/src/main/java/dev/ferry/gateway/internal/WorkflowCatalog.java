package dev.ferry.gateway.internal;

import dev.ferry.schemas.TopicFollower;
import dev.ferry.schemas.Topics;
import dev.ferry.schemas.WorkflowKey;
import dev.ferry.schemas.WorkflowVisibility;
import dev.ferry.schemas.avro.TriggerDefinition;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import dev.ferry.schemas.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The gateway's view of workflows: the versions workers registered (versions topic) merged with the
 * settings and deletions made through the API (definitions topic), per account.
 *
 * <p>A workflow exists while it has a definition that is not deleted, or a version registered after
 * its last deletion: deleting hides the versions registered so far for good, and a worker that
 * starts again (or a PUT) brings the workflow back, as a new deployment would.
 */
public final class WorkflowCatalog implements AutoCloseable {
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final TopicFollower follower;

  private static final class Entry {
    WorkflowDefinition definition;
    final Map<String, WorkflowVersion> versions = new HashMap<>();
    final Map<String, TriggerDefinition> triggers = new java.util.TreeMap<>();
  }

  /** A workflow as the API shows it; versions are the live ones, most recently registered first. */
  public record Workflow(
      String account, String name, WorkflowDefinition definition, List<WorkflowVersion> versions) {

    public Optional<WorkflowVersion> latest() {
      return versions.stream().findFirst();
    }

    public String className() {
      if (definition != null && definition.getClassName() != null) {
        return definition.getClassName();
      }
      return latest().map(WorkflowVersion::getClassName).orElse(null);
    }

    public String scriptName() {
      if (definition != null && definition.getScriptName() != null) {
        return definition.getScriptName();
      }
      return latest().map(WorkflowVersion::getScriptName).orElse(null);
    }

    public long createdOn() {
      long created = Long.MAX_VALUE;
      if (definition != null) {
        created = definition.getCreatedOn();
      }
      for (WorkflowVersion version : versions) {
        created = Math.min(created, version.getCreatedOn());
      }
      return created;
    }

    public long modifiedOn() {
      long modified = definition == null ? 0 : definition.getModifiedOn();
      for (WorkflowVersion version : versions) {
        modified = Math.max(modified, version.getRegisteredAt());
      }
      return modified;
    }

    public List<String> schedules() {
      return definition == null ? List.of() : definition.getSchedules();
    }
  }

  public WorkflowCatalog(KafkaSettings kafka, Topics topics) {
    this.follower =
        TopicFollower.follow(kafka, "ferry-gateway-workflows", topics)
            .on(Topics.VERSIONS, this::apply)
            .on(Topics.DEFINITIONS, this::apply)
            .on(Topics.TRIGGERS, (key, trigger) -> apply(trigger))
            .start();
  }

  /** The workflow if it exists now, catching up with the topics first when it looks unknown. */
  public Optional<Workflow> find(String account, String name) {
    Optional<Workflow> found = get(account, name);
    if (found.isEmpty() && follower.awaitCaughtUp(Duration.ofSeconds(2))) {
      found = get(account, name);
    }
    return found;
  }

  public Optional<Workflow> get(String account, String name) {
    Entry entry = entries.get(WorkflowKey.of(account, name).toString());
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      return view(account, name, entry);
    }
  }

  /** The last definition written for the workflow, deleted or not. */
  public Optional<WorkflowDefinition> definitionOf(String account, String name) {
    Entry entry = entries.get(WorkflowKey.of(account, name).toString());
    if (entry == null) {
      return Optional.empty();
    }
    synchronized (entry) {
      return Optional.ofNullable(entry.definition);
    }
  }

  /** Every workflow of an account, by name. */
  public List<Workflow> list(String account) {
    String prefix = account + "/";
    List<Workflow> found = new ArrayList<>();
    entries.forEach(
        (key, entry) -> {
          if (key.startsWith(prefix)) {
            synchronized (entry) {
              view(account, key.substring(prefix.length()), entry).ifPresent(found::add);
            }
          }
        });
    found.sort(Comparator.comparing(Workflow::name));
    return found;
  }

  public boolean awaitCaughtUp(Duration timeout) {
    return follower.awaitCaughtUp(timeout);
  }

  /** The follower of this view, for {@link Warmup}. */
  TopicFollower follower() {
    return follower;
  }

  private static Optional<Workflow> view(String account, String name, Entry entry) {
    WorkflowDefinition definition = entry.definition;
    List<WorkflowVersion> live =
        WorkflowVisibility.liveVersions(definition, entry.versions.values());
    boolean defined = WorkflowVisibility.isDefined(definition);
    if (!defined && live.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(new Workflow(account, name, defined ? definition : null, live));
  }

  private void apply(String key, WorkflowVersion version) {
    if (version == null) {
      return; // a tombstone: versions are never removed, only hidden by a deletion
    }
    Entry entry =
        entries.computeIfAbsent(
            WorkflowKey.of(version.getAccount(), version.getWorkflow()).toString(),
            k -> new Entry());
    synchronized (entry) {
      entry.versions.merge(
          version.getVersionId(),
          version,
          (old, now) -> now.getRegisteredAt() >= old.getRegisteredAt() ? now : old);
    }
  }

  private void apply(TriggerDefinition trigger) {
    if (trigger == null) {
      return;
    }
    Entry entry =
        entries.computeIfAbsent(
            WorkflowKey.of(trigger.getAccount(), trigger.getWorkflow()).toString(),
            k -> new Entry());
    synchronized (entry) {
      entry.triggers.put(trigger.getName(), trigger);
    }
  }

  /** The queue-style triggers feeding a workflow, by name. */
  public List<TriggerDefinition> triggers(String account, String name) {
    Entry entry = entries.get(WorkflowKey.of(account, name).toString());
    if (entry == null) {
      return List.of();
    }
    synchronized (entry) {
      return List.copyOf(entry.triggers.values());
    }
  }

  private void apply(String key, WorkflowDefinition definition) {
    if (definition == null) {
      return;
    }
    Entry entry = entries.computeIfAbsent(key, k -> new Entry());
    synchronized (entry) {
      entry.definition = definition;
    }
  }

  @Override
  public void close() {
    follower.close();
  }
}
