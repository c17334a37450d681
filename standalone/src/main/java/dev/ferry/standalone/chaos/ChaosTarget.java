package dev.ferry.standalone.chaos;

import java.util.Locale;

/** The parts the chaos suite kills, in the order a run kills them. */
enum ChaosTarget {
  WORKER,
  ORCHESTRATOR,
  GATEWAY,
  BROKER;

  String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
