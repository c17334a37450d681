package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;

/** One step's full output (histories may truncate it), its status and error. */
public record StepOutput(String status, InstanceStatus.ErrorDetail error, JsonNode output) {
  static StepOutput from(JsonNode json) {
    return new StepOutput(
        ApiJson.text(json, "status"), ApiJson.error(json), ApiJson.value(json, "output"));
  }
}
