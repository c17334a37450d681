package dev.ferry.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Which worker group gets an instance's next activation, as a pure rule over the groups present:
 *
 * <ol>
 *   <li>only groups hosting the instance's version, while any does; otherwise any group hosting the
 *       workflow (an instance outlives the build it was created on);
 *   <li>among those, the group that ran the previous activation, so an instance stays where its
 *       history is cached;
 *   <li>otherwise one chosen by the instance key, so a workflow hosted by several groups is shared
 *       among them and the choice is the same on every orchestrator.
 * </ol>
 */
final class Routing {
  private Routing() {}

  /**
   * @param hosts present groups hosting the workflow, each with the versions it hosts
   * @param versionId the version the instance was created on, or null
   * @param previous the group of the previous activation, or null
   */
  static Optional<String> choose(
      String instanceKey, String versionId, String previous, Map<String, Set<String>> hosts) {
    if (hosts.isEmpty()) {
      return Optional.empty();
    }
    List<String> candidates = new ArrayList<>();
    if (versionId != null) {
      hosts.forEach(
          (group, versions) -> {
            if (versions.contains(versionId)) {
              candidates.add(group);
            }
          });
    }
    if (candidates.isEmpty()) {
      candidates.addAll(hosts.keySet());
    }
    if (previous != null && candidates.contains(previous)) {
      return Optional.of(previous);
    }
    candidates.sort(null);
    return Optional.of(candidates.get(Math.floorMod(instanceKey.hashCode(), candidates.size())));
  }
}
