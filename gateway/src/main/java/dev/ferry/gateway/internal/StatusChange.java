package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.StepKinds;
import dev.ferry.schemas.avro.PauseInstance;
import dev.ferry.schemas.avro.RestartInstance;
import dev.ferry.schemas.avro.ResumeInstance;
import dev.ferry.schemas.avro.StepKind;
import dev.ferry.schemas.avro.TerminateInstance;
import java.util.Set;

/** Validates a status change body and turns it into the command's action. */
final class StatusChange {
  private static final Set<String> FIELDS = Set.of("status", "rollback", "from");

  private StatusChange() {}

  static Object parse(JsonNode body) {
    RequestFields.allowOnly(body, FIELDS, "");
    JsonNode status = body.get("status");
    if (status == null || !status.isTextual()) {
      throw ApiException.invalid(
          "status is required and must be one of: pause, resume, terminate, restart");
    }
    JsonNode rollback = body.get("rollback");
    if (rollback != null && !rollback.isNull() && !"terminate".equals(status.asText())) {
      throw ApiException.invalid("rollback is only allowed with status 'terminate'");
    }
    if (body.hasNonNull("from") && !"restart".equals(status.asText())) {
      throw ApiException.invalid("from is only allowed with status 'restart'");
    }
    return switch (status.asText()) {
      case "pause" -> new PauseInstance(null, true);
      case "resume" -> new ResumeInstance(null, true);
      case "terminate" -> {
        if (rollback != null && !rollback.isNull() && !rollback.isBoolean()) {
          throw ApiException.invalid("rollback must be true or false");
        }
        yield new TerminateInstance(rollback != null && rollback.asBoolean(false));
      }
      case "restart" -> restart(body.get("from"));
      default ->
          throw ApiException.invalid(
              "status '" + status.asText() + "' must be one of: pause, resume, terminate, restart");
    };
  }

  private static RestartInstance restart(JsonNode from) {
    if (from == null || from.isNull()) {
      return new RestartInstance(null, null, null, true);
    }
    if (!from.isObject() || !from.path("name").isTextual()) {
      throw ApiException.invalid("from must be an object with a string 'name'");
    }
    RequestFields.allowOnly(from, Set.of("name", "count", "type"), "from.");
    Integer count = null;
    if (from.has("count")) {
      if (!from.get("count").isInt() || from.get("count").asInt() < 1) {
        throw ApiException.invalid("from.count must be a positive integer");
      }
      count = from.get("count").asInt();
    }
    StepKind kind = null;
    if (from.has("type")) {
      kind =
          StepKinds.parse(from.get("type").asText())
              .filter(k -> k != StepKind.ROLLBACK)
              .orElseThrow(
                  () -> ApiException.invalid("from.type must be one of: do, sleep, waitForEvent"));
    }
    return new RestartInstance(from.get("name").asText(), count, kind, true);
  }
}
