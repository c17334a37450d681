package dev.ferry.ops;

import dev.ferry.schemas.Topics;
import dev.ferry.schemas.serde.WireFormat;

/**
 * "The schema registry answers": asks it for the newest schema of the commands topic (a real
 * request each time; lookups by id are cached and would not notice an outage).
 */
public final class RegistryCheck {
  private RegistryCheck() {}

  public static ReadinessCheck of(Topics topics) {
    String subject = WireFormat.valueSubject(topics.name(Topics.COMMANDS));
    return new ReadinessCheck(
        "schema registry",
        () -> {
          int version = topics.registry().latest(subject).version();
          return ReadinessCheck.Result.ready(subject + " version " + version);
        });
  }
}
