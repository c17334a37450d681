package dev.ferry.schemas;

import org.apache.avro.Schema;

/** A Ferry topic: its name after the prefix, its value schema, and whether it is compacted. */
public record TopicSpec<V>(String suffix, Schema valueSchema, boolean compacted) {}
