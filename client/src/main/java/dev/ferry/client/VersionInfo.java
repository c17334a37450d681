package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;

/** A build of a workflow that workers registered; {@code language} is java or python. */
public record VersionInfo(
    String id, String className, String language, Instant createdOn, Instant modifiedOn) {

  static VersionInfo from(JsonNode json) {
    return new VersionInfo(
        ApiJson.text(json, "id"),
        ApiJson.text(json, "class_name"),
        ApiJson.text(json, "language"),
        ApiJson.time(json, "created_on"),
        ApiJson.time(json, "modified_on"));
  }
}
