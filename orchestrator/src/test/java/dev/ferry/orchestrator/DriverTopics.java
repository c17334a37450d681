package dev.ferry.orchestrator;

import dev.ferry.schemas.TopicSpec;
import dev.ferry.schemas.Topics;
import org.apache.avro.specific.SpecificRecord;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;

/** Test topics of a {@link TopologyTestDriver} for Ferry's topics, with their own serdes. */
final class DriverTopics {
  private final TopologyTestDriver driver;
  private final Topics topics;

  DriverTopics(TopologyTestDriver driver, Topics topics) {
    this.driver = driver;
    this.topics = topics;
  }

  <V extends SpecificRecord> TestInputTopic<String, V> input(TopicSpec<V> topic) {
    return driver.createInputTopic(
        topics.name(topic), Serdes.String().serializer(), topics.serde(topic).serializer());
  }

  <V extends SpecificRecord> TestOutputTopic<String, V> output(TopicSpec<V> topic) {
    return driver.createOutputTopic(
        topics.name(topic), Serdes.String().deserializer(), topics.serde(topic).deserializer());
  }
}
