package dev.ferry.standalone.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The kills of a run, in order. Orchestrators run without standby replicas first, then (after a
 * rolling restart) with one, so the run measures recovery both ways.
 */
final class ChaosPlan {
  /**
   * One kill.
   *
   * @param index which process of the target's kind (0-based)
   * @param standbys the standby replicas the orchestrators run with during this round
   */
  record Round(ChaosTarget target, int index, int standbys) {}

  private ChaosPlan() {}

  /**
   * Every target in {@code targets} once ({@code quick}) or two of its processes once each, and the
   * orchestrator again with a standby.
   */
  static List<Round> rounds(boolean quick, Set<ChaosTarget> targets) {
    List<Round> rounds = new ArrayList<>();
    int passes = quick ? 1 : 2;
    for (int pass = 0; pass < passes; pass++) {
      for (ChaosTarget target : ChaosTarget.values()) {
        if (targets.contains(target)) {
          rounds.add(new Round(target, pass, 0));
        }
      }
    }
    if (targets.contains(ChaosTarget.ORCHESTRATOR)) {
      for (int pass = 0; pass < passes; pass++) {
        rounds.add(new Round(ChaosTarget.ORCHESTRATOR, (pass + 1) % 2, 1));
      }
    }
    return rounds;
  }
}
