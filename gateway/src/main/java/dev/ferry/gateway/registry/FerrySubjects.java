package dev.ferry.gateway.registry;

import dev.ferry.schemas.Topics;

/**
 * Ferry's own subjects: the value subjects of the topics every Ferry process and client reads. The
 * registry keeps them BACKWARD compatible and lets only an authenticated caller delete them or
 * change their settings.
 */
final class FerrySubjects {
  private FerrySubjects() {}

  /**
   * Whether the subject is the value subject of one of Ferry's topics, under any prefix: {@code
   * <prefix><suffix>-value} for a Ferry topic suffix, or a worker group's task topic.
   */
  static boolean isFerrySubject(String subject) {
    if (!subject.endsWith("-value")) {
      return false;
    }
    String topic = subject.substring(0, subject.length() - "-value".length());
    for (var spec : Topics.ALL) {
      if (topic.endsWith(spec.suffix())) {
        return true;
      }
    }
    return topic.contains(Topics.TASKS.suffix() + ".") || topic.endsWith(Topics.DEAD_LETTER_SUFFIX);
  }
}
