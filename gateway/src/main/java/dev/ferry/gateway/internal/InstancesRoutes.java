package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.gateway.Envelope;
import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.WorkflowIds;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.CreateInstance;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import dev.ferry.schemas.avro.TriggerSource;
import io.javalin.Javalin;
import io.javalin.http.Context;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;

/** {@code /client/v4/accounts/{account_id}/workflows/{workflow_name}/instances[/{instance_id}]}. */
public final class InstancesRoutes {
  static final String BASE = "/client/v4/accounts/{account_id}/workflows/{workflow_name}/instances";
  static final int MAX_PAYLOAD_BYTES = 1024 * 1024;
  private static final Set<String> CREATE_FIELDS =
      Set.of("instance_id", "params", "instance_retention", "location_hint");

  private final CommandClient commands;
  private final InstanceReadModel readModel;

  public InstancesRoutes(CommandClient commands, InstanceReadModel readModel) {
    this.commands = commands;
    this.readModel = readModel;
  }

  public void register(Javalin app) {
    app.post(BASE, this::create);
    app.get(BASE + "/{instance_id}", this::get);
    app.post(BASE + "/{instance_id}/events/{event_type}", this::sendEvent);
    app.patch(BASE + "/{instance_id}/status", this::changeStatus);
  }

  /**
   * {@code {status: pause|resume|terminate|restart, rollback?, from?}} → {@code {status,
   * timestamp}}.
   */
  void changeStatus(Context ctx) {
    String account = path(ctx, "account_id", Names.checkAccount(ctx.pathParam("account_id")));
    String workflow =
        path(ctx, "workflow_name", Names.checkWorkflowName(ctx.pathParam("workflow_name")));
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    Object action = StatusChange.parse(bodyObject(ctx));
    Command command =
        Command.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setAccount(account)
            .setWorkflow(workflow)
            .setInstanceId(id)
            .setIssuedAt(System.currentTimeMillis())
            .setAction(action)
            .build();
    ctx.future(
        () ->
            commands
                .send(InstanceKey.of(account, workflow, id).toString(), command)
                .handle(
                    (reply, error) -> {
                      if (error != null) {
                        failToSend(ctx, error);
                      } else if (reply.getOutcome() == ReplyOutcome.OK) {
                        Map<String, Object> result = new LinkedHashMap<>();
                        result.put("status", ApiStatus.name(reply.getStatus()));
                        result.put("timestamp", java.time.Instant.now().toString());
                        ctx.json(Envelope.ok(result));
                      } else {
                        fail(ctx, errorFor(reply.getOutcome()), reply.getMessage());
                      }
                      return null;
                    }));
  }

  /** Body = the event payload (any JSON; empty means null). */
  void sendEvent(Context ctx) {
    String account = path(ctx, "account_id", Names.checkAccount(ctx.pathParam("account_id")));
    String workflow =
        path(ctx, "workflow_name", Names.checkWorkflowName(ctx.pathParam("workflow_name")));
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    String type = path(ctx, "event_type", Names.checkEventType(ctx.pathParam("event_type")));
    String body = ctx.body();
    JsonNode payload;
    try {
      payload = body.isBlank() ? Json.mapper().nullNode() : Json.parse(body);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("event payload is " + e.getMessage());
    }
    String json = Json.write(payload);
    if (json.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > MAX_PAYLOAD_BYTES) {
      throw new ApiException(
          ApiError.PAYLOAD_TOO_LARGE, "event payload must be at most 1 MiB of JSON");
    }
    InstanceEvent event =
        InstanceEvent.newBuilder()
            .setEventId(UUID.randomUUID().toString())
            .setAccount(account)
            .setWorkflow(workflow)
            .setInstanceId(id)
            .setType(type)
            .setPayload(json)
            .setSentAt(System.currentTimeMillis())
            .setRequestId(UUID.randomUUID().toString())
            .build();
    ctx.future(
        () ->
            commands
                .send(InstanceKey.of(account, workflow, id).toString(), event)
                .handle(
                    (reply, error) -> {
                      if (error != null) {
                        failToSend(ctx, error);
                      } else if (reply.getOutcome() == ReplyOutcome.OK) {
                        ctx.status(200).json(Envelope.ok(Map.of()));
                      } else {
                        fail(ctx, errorFor(reply.getOutcome()), reply.getMessage());
                      }
                      return null;
                    }));
  }

  /** The catalogue entry for an orchestrator's refusal. */
  static ApiError errorFor(ReplyOutcome outcome) {
    return switch (outcome) {
      case ALREADY_EXISTS -> ApiError.INSTANCE_ALREADY_EXISTS;
      case NOT_FOUND -> ApiError.INSTANCE_NOT_FOUND;
      case CONFLICT -> ApiError.INVALID_TRANSITION;
      case OK, INVALID, UNKNOWN -> ApiError.INVALID_INPUT;
    };
  }

  void create(Context ctx) {
    String account = path(ctx, "account_id", Names.checkAccount(ctx.pathParam("account_id")));
    String workflow =
        path(ctx, "workflow_name", Names.checkWorkflowName(ctx.pathParam("workflow_name")));
    JsonNode body = bodyObject(ctx);
    body.fieldNames()
        .forEachRemaining(
            field -> {
              if (!CREATE_FIELDS.contains(field)) {
                throw ApiException.invalid(
                    "unknown field '"
                        + field
                        + "'; allowed: "
                        + String.join(", ", CREATE_FIELDS.stream().sorted().toList()));
              }
            });
    String id = UUID.randomUUID().toString();
    JsonNode idNode = body.get("instance_id");
    if (idNode != null && !idNode.isNull()) {
      if (!idNode.isTextual()) {
        throw ApiException.invalid("instance_id must be a string");
      }
      id = idNode.asText();
      Names.checkInstanceId(id)
          .ifPresent(
              problem -> {
                throw ApiException.invalid(problem);
              });
    }
    JsonNode params = body.get("params");
    CreateInstance.Builder create =
        CreateInstance.newBuilder()
            .setTriggerSource(TriggerSource.API)
            .setParams(params == null || params.isNull() ? "{}" : Json.write(params));
    Retention.apply(body.get("instance_retention"), create);
    InstanceKey key = InstanceKey.of(account, workflow, id);
    Command command =
        Command.newBuilder()
            .setRequestId(UUID.randomUUID().toString())
            .setAccount(account)
            .setWorkflow(workflow)
            .setInstanceId(id)
            .setIssuedAt(System.currentTimeMillis())
            .setAction(create.build())
            .build();
    String instanceId = id;
    ctx.future(
        () ->
            commands
                .send(key.toString(), command)
                .handle(
                    (reply, error) -> {
                      respondToCreate(ctx, account, workflow, instanceId, reply, error);
                      return null;
                    }));
  }

  private void respondToCreate(
      Context ctx,
      String account,
      String workflow,
      String id,
      CommandReply reply,
      Throwable error) {
    if (error != null) {
      failToSend(ctx, error);
      return;
    }
    switch (reply.getOutcome()) {
      case OK -> {
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("id", id);
        result.put(
            "status",
            ApiStatus.name(
                reply.getStatus() == null ? InstanceStatusCode.QUEUED : reply.getStatus()));
        result.put("version_id", WorkflowIds.versionId(account, workflow));
        result.put("workflow_id", WorkflowIds.workflowId(account, workflow));
        ctx.status(201).json(Envelope.ok(result));
      }
      default -> fail(ctx, errorFor(reply.getOutcome()), reply.getMessage());
    }
  }

  private static void failToSend(Context ctx, Throwable error) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    ApiError kind = cause instanceof TimeoutException ? ApiError.TIMEOUT : ApiError.INTERNAL;
    String message =
        kind == ApiError.TIMEOUT
            ? "the orchestrator did not answer in time; the request may still take effect"
            : "cannot send the request: " + cause.getMessage();
    ctx.status(kind.httpStatus()).json(Envelope.error(kind, message));
  }

  void get(Context ctx) {
    String account = path(ctx, "account_id", Names.checkAccount(ctx.pathParam("account_id")));
    String workflow =
        path(ctx, "workflow_name", Names.checkWorkflowName(ctx.pathParam("workflow_name")));
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    String key = InstanceKey.of(account, workflow, id).toString();
    var view = readModel.get(key);
    if (view.isEmpty() && readModel.awaitCaughtUp(Duration.ofSeconds(2))) {
      view = readModel.get(key);
    }
    InstanceView found =
        view.orElseThrow(
            () ->
                new ApiException(
                    ApiError.INSTANCE_NOT_FOUND,
                    "instance '" + id + "' not found in workflow '" + workflow + "'"));
    ctx.json(Envelope.ok(InstanceJson.details(found)));
  }

  private static void fail(Context ctx, ApiError error, String message) {
    ctx.status(error.httpStatus()).json(Envelope.error(error, message));
  }

  private static String path(Context ctx, String name, java.util.Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw ApiException.invalid(p);
        });
    return ctx.pathParam(name);
  }

  private static JsonNode bodyObject(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      return Json.mapper().createObjectNode();
    }
    JsonNode body;
    try {
      body = Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("request body is " + e.getMessage());
    }
    if (!body.isObject()) {
      throw ApiException.invalid("request body must be a JSON object");
    }
    return body;
  }
}
