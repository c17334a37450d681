package dev.ferry.orchestrator.internal;

import dev.ferry.schemas.avro.Task;
import org.apache.kafka.common.serialization.Serializer;
import org.apache.kafka.streams.processor.TopicNameExtractor;

/**
 * A task with the worker group it goes to. The tasks sink picks the group's topic from it and
 * writes only the task, so each group's topic holds plain {@code Task} records.
 */
public record RoutedTask(String group, Task task) {

  /** The sink's topic for each record: {@code <prefix>tasks.<group>}. */
  public static TopicNameExtractor<String, RoutedTask> topics(dev.ferry.schemas.Topics topics) {
    return (key, routed, context) -> topics.tasks(routed.group());
  }

  /** Writes the task alone, with the serializer of task topics. */
  public static Serializer<RoutedTask> serializer(Serializer<Task> tasks) {
    return (topic, routed) -> routed == null ? null : tasks.serialize(topic, routed.task());
  }
}
