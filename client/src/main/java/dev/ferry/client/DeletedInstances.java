package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** What a batch delete did: the ids deleted, and for each id not deleted, why. */
public record DeletedInstances(List<String> deleted, List<Refusal> errors) {
  /** An id that was not deleted, with the API's error code and message. */
  public record Refusal(String id, int code, String message) {}

  static DeletedInstances from(JsonNode json) {
    return new DeletedInstances(
        ApiJson.list(json.path("deleted"), d -> d.path("id").asText()),
        ApiJson.list(
            json.path("errors"),
            e ->
                new Refusal(
                    e.path("id").asText(), e.path("code").asInt(), e.path("message").asText())));
  }
}
