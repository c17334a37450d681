package dev.ferry.engine;

import dev.ferry.schemas.avro.InstanceEvent;

/** An event kept for a later wait: its store key and the event. */
public record BufferedEvent(String key, InstanceEvent event) {}
