package dev.ferry.gateway.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.gateway.Envelope;
import dev.ferry.schemas.Json;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.ReplyOutcome;
import io.javalin.http.Context;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.function.Supplier;

/** What every route needs: validated path names, JSON bodies, and failure answers. */
final class RouteSupport {
  private RouteSupport() {}

  static void failToSend(Context ctx, Throwable error) {
    failToSend(ctx, error, "the request may still take effect");
  }

  /** As above; {@code mayStill} says what may still happen (the 504's second half). */
  static void failToSend(Context ctx, Throwable error, String mayStill) {
    Throwable cause = error instanceof CompletionException ? error.getCause() : error;
    ApiError kind = cause instanceof TimeoutException ? ApiError.TIMEOUT : ApiError.INTERNAL;
    String message =
        kind == ApiError.TIMEOUT
            ? "the orchestrator did not answer in time; " + mayStill
            : "cannot send the request: " + cause.getMessage();
    ctx.status(kind.httpStatus()).json(Envelope.error(kind, message));
  }

  static String account(Context ctx) {
    return path(ctx, "account_id", Names.checkAccount(ctx.pathParam("account_id")));
  }

  static String workflow(Context ctx) {
    return path(ctx, "workflow_name", Names.checkWorkflowName(ctx.pathParam("workflow_name")));
  }

  static void fail(Context ctx, ApiError error, String message) {
    ctx.status(error.httpStatus()).json(Envelope.error(error, message));
  }

  static String path(Context ctx, String name, java.util.Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw ApiException.invalid(p);
        });
    return ctx.pathParam(name);
  }

  static JsonNode bodyObject(Context ctx) {
    JsonNode body = parseBody(ctx);
    if (!body.isObject()) {
      throw ApiException.invalid("request body must be a JSON object");
    }
    return body;
  }

  /** The body as JSON; an empty body is an empty object. */
  static JsonNode parseBody(Context ctx) {
    String text = ctx.body();
    if (text.isBlank()) {
      return Json.mapper().createObjectNode();
    }
    try {
      return Json.parse(text);
    } catch (IllegalArgumentException e) {
      throw ApiException.invalid("request body is " + e.getMessage());
    }
  }

  /**
   * Answers once {@code pending} completes: {@code onDone} gets the value; a failure to send or a
   * missing reply becomes the 500 or 504 envelope.
   */
  static <T> void answer(Context ctx, Supplier<CompletableFuture<T>> pending, Consumer<T> onDone) {
    answer(ctx, pending, onDone, "the request may still take effect");
  }

  static <T> void answer(
      Context ctx, Supplier<CompletableFuture<T>> pending, Consumer<T> onDone, String mayStill) {
    ctx.future(
        () ->
            pending
                .get()
                .handle(
                    (value, error) -> {
                      if (error != null) {
                        failToSend(ctx, error, mayStill);
                      } else {
                        onDone.accept(value);
                      }
                      return null;
                    }));
  }

  /** As {@link #answer}, for one command: a refusal becomes its catalogue error. */
  static void answerReply(
      Context ctx, Supplier<CompletableFuture<CommandReply>> pending, Consumer<CommandReply> onOk) {
    answerReply(ctx, pending, onOk, "the request may still take effect");
  }

  static void answerReply(
      Context ctx,
      Supplier<CompletableFuture<CommandReply>> pending,
      Consumer<CommandReply> onOk,
      String mayStill) {
    answer(
        ctx,
        pending,
        reply -> {
          if (reply.getOutcome() == ReplyOutcome.OK) {
            onOk.accept(reply);
          } else {
            fail(ctx, errorFor(reply.getOutcome()), reply.getMessage());
          }
        },
        mayStill);
  }

  /** A command (create or control) with a fresh request id. */
  static Command command(String account, String workflow, String id, Object action) {
    return Command.newBuilder()
        .setRequestId(UUID.randomUUID().toString())
        .setAccount(account)
        .setWorkflow(workflow)
        .setInstanceId(id)
        .setIssuedAt(System.currentTimeMillis())
        .setAction(action)
        .build();
  }

  /** The workflow, or a 404 naming it. */
  static WorkflowCatalog.Workflow existing(WorkflowCatalog catalog, String account, String name) {
    return catalog
        .find(account, name)
        .orElseThrow(
            () ->
                new ApiException(
                    ApiError.WORKFLOW_NOT_FOUND,
                    "workflow '" + name + "' not found in account '" + account + "'"));
  }

  /** The catalogue entry for an orchestrator's refusal. */
  static ApiError errorFor(ReplyOutcome outcome) {
    return switch (outcome) {
      case ALREADY_EXISTS -> ApiError.INSTANCE_ALREADY_EXISTS;
      case NOT_FOUND -> ApiError.INSTANCE_NOT_FOUND;
      case CONFLICT -> ApiError.INVALID_TRANSITION;
      case OK, INVALID, UNKNOWN -> ApiError.INVALID_INPUT;
      case INTERNAL_ERROR -> ApiError.INTERNAL;
    };
  }
}
