package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.CreateDefaults;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.WorkflowIds;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.TriggerSource;
import dev.ferry.schemas.avro.WorkflowDefinition;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/** Parses a create body ({@code instance_id, params, instance_retention}) into a command. */
final class CreateRequests {
  static final int MAX_BATCH = 100;
  private static final Set<String> FIELDS =
      Set.of("instance_id", "params", "instance_retention", "location_hint");

  /** The workflow a create is for, as the catalogue knows it: its settings and newest version. */
  record Defaults(WorkflowDefinition definition, String versionId) {
    static Defaults of(WorkflowCatalog.Workflow workflow) {
      return new Defaults(workflow.definition(), WorkflowJson.versionId(workflow));
    }
  }

  private CreateRequests() {}

  /**
   * The create command for one body. {@code where} prefixes field names in messages, e.g. "[3]."
   * for the fourth item of a batch.
   */
  static Command parse(
      String account, String workflow, JsonNode body, String where, Defaults defaults) {
    if (!body.isObject()) {
      throw ApiException.invalid(
          (where.isEmpty() ? "request body" : where.substring(0, where.length() - 1))
              + " must be a JSON object");
    }
    RequestFields.allowOnly(body, FIELDS, where);
    String id = UUID.randomUUID().toString();
    JsonNode idNode = body.get("instance_id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual()) {
        throw ApiException.invalid(where + "instance_id must be a string");
      }
      id = idNode.asText();
      Names.checkInstanceId(id)
          .ifPresent(
              problem -> {
                throw ApiException.invalid(where + problem);
              });
    }
    checkLocationHint(body.get("location_hint"), where);
    JsonNode params = body.get("params");
    CreateInstance.Builder create =
        CreateInstance.newBuilder()
            .setTriggerSource(TriggerSource.API)
            .setParams(params == null || params.isNull() ? "{}" : Json.write(params));
    Retention.apply(body.get("instance_retention"), create);
    return RouteSupport.command(
        account,
        workflow,
        id,
        CreateDefaults.apply(create.build(), defaults.definition(), defaults.versionId()));
  }

  /**
   * Cloudflare's placement hints. One Kafka cluster has one place, so Ferry accepts a hint and
   * ignores it, but refuses what Cloudflare would refuse.
   */
  static final List<String> LOCATION_HINTS =
      List.of(
          "wnam", "enam", "sam", "weur", "eeur", "apac", "apac-ne", "apac-se", "oc", "afr", "me");

  private static void checkLocationHint(JsonNode hint, String where) {
    if (hint != null
        && !hint.isNull()
        && !(hint.isTextual() && LOCATION_HINTS.contains(hint.asText()))) {
      throw ApiException.invalid(
          where + "location_hint must be one of " + String.join(", ", LOCATION_HINTS));
    }
  }

  /** {@code {id, status, version_id, workflow_id}} for a created instance. */
  static Map<String, Object> created(Command command, CommandReply reply) {
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("id", command.getInstanceId());
    result.put(
        "status",
        ApiStatus.name(reply.getStatus() == null ? InstanceStatusCode.QUEUED : reply.getStatus()));
    String version = ((CreateInstance) command.getAction()).getVersionId();
    result.put(
        "version_id",
        version != null
            ? version
            : WorkflowIds.versionId(command.getAccount(), command.getWorkflow()));
    result.put("workflow_id", WorkflowIds.workflowId(command.getAccount(), command.getWorkflow()));
    return result;
  }
}
