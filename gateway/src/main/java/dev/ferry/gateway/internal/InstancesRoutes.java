package dev.ferry.gateway.internal;

import static dev.ferry.gateway.internal.RouteSupport.account;
import static dev.ferry.gateway.internal.RouteSupport.answer;
import static dev.ferry.gateway.internal.RouteSupport.answerReply;
import static dev.ferry.gateway.internal.RouteSupport.bodyObject;
import static dev.ferry.gateway.internal.RouteSupport.command;
import static dev.ferry.gateway.internal.RouteSupport.errorFor;
import static dev.ferry.gateway.internal.RouteSupport.parseBody;
import static dev.ferry.gateway.internal.RouteSupport.path;
import static dev.ferry.gateway.internal.RouteSupport.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.gateway.Envelope;
import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.InstanceKey;
import dev.ferry.schemas.Names;
import dev.ferry.schemas.avro.Command;
import dev.ferry.schemas.avro.CommandReply;
import dev.ferry.schemas.avro.DeleteInstance;
import dev.ferry.schemas.avro.InstanceEvent;
import dev.ferry.schemas.avro.InstanceStatusCode;
import dev.ferry.schemas.avro.ReplyOutcome;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code /client/v4/accounts/{account_id}/workflows/{workflow_name}/instances[/{instance_id}]}. */
public final class InstancesRoutes {
  static final String BASE = "/client/v4/accounts/{account_id}/workflows/{workflow_name}/instances";

  private final CommandClient commands;
  private final InstanceReadModel readModel;
  private final WorkflowCatalog catalog;
  private final CreationRateLimit rateLimit;
  private final AccountQuota quota;
  private final BulkJobs jobs;

  public InstancesRoutes(
      CommandClient commands,
      InstanceReadModel readModel,
      WorkflowCatalog catalog,
      int createsPerSecond,
      AccountQuota quota,
      BulkJobs jobs) {
    this.jobs = jobs;
    this.commands = commands;
    this.quota = quota;
    this.readModel = readModel;
    this.catalog = catalog;
    this.rateLimit = new CreationRateLimit(createsPerSecond);
  }

  public void register(JavalinDefaultRoutingApi app) {
    app.post(BASE, this::create);
    app.get(BASE, this::list);
    app.post(BASE + "/batch", this::createBatch);
    app.post(BASE + "/batch/delete", this::deleteBatch);
    app.put(BASE + "/terminate", this::terminateAll);
    app.get(BASE + "/{instance_id}", this::get);
    app.get(BASE + "/{instance_id}/step", this::stepOutput);
    app.post(BASE + "/{instance_id}/events/{event_type}", this::sendEvent);
    app.patch(BASE + "/{instance_id}/status", this::changeStatus);
  }

  /**
   * {@code {status: pause|resume|terminate|restart, rollback?, from?}} → {@code {status,
   * timestamp}}.
   */
  void changeStatus(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    Object action = StatusChange.parse(bodyObject(ctx));
    if (action instanceof dev.ferry.schemas.avro.RestartInstance) {
      rateLimit.acquire(account, workflow); // a restart counts like a creation
    }
    Command command = command(account, workflow, id, action);
    answerReply(
        ctx,
        () -> commands.send(command),
        reply -> {
          Map<String, Object> result = new LinkedHashMap<>();
          result.put("status", ApiStatus.name(reply.getStatus()));
          result.put("timestamp", java.time.Instant.now().toString());
          ctx.json(Envelope.ok(result));
        });
  }

  /** Body = the event payload (any JSON; empty means null). */
  void sendEvent(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    String type = path(ctx, "event_type", Names.checkEventType(ctx.pathParam("event_type")));
    InstanceEvent event = EventRequests.parse(ctx, account, workflow, id, type);
    answerReply(
        ctx, () -> commands.send(event), reply -> ctx.status(200).json(Envelope.ok(Map.of())));
  }

  private static long paramsChars(Command command) {
    return ((dev.ferry.schemas.avro.CreateInstance) command.getAction()).getParams().length();
  }

  void create(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    CreateRequests.Defaults defaults =
        CreateRequests.Defaults.of(RouteSupport.existing(catalog, account, workflow));
    Command command = CreateRequests.parse(account, workflow, bodyObject(ctx), "", defaults);
    quota.check(account, 1, paramsChars(command));
    rateLimit.acquire(account, workflow);
    answerReply(
        ctx,
        () -> commands.send(command),
        reply -> ctx.status(201).json(Envelope.ok(CreateRequests.created(command, reply))),
        // The id is known even when it was generated here: a client can look before it retries,
        // or retry with it (a second create of the same id is refused, never run twice).
        "instance '"
            + command.getInstanceId()
            + "' may still be created: GET it, or retry with \"instance_id\": \""
            + command.getInstanceId()
            + "\"");
  }

  /**
   * The full output of one step: {@code name} is the step name with its counter ("charge-1"),
   * {@code type} is step (default) or waitForEvent, {@code attempt} picks one attempt's outcome.
   */
  void stepOutput(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    String name = ctx.queryParam("name");
    if (name == null || name.isBlank()) {
      throw ApiException.invalid(
          "name is required: the step name with its counter, e.g. 'charge-1'");
    }
    InstanceView view = find(account, workflow, id);
    ctx.json(
        Envelope.ok(StepOutput.of(view, name, ctx.queryParam("type"), ctx.queryParam("attempt"))));
  }

  /** Instances of a workflow, newest first, filtered and paged (see {@link InstanceListing}). */
  void list(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    RouteSupport.existing(catalog, account, workflow);
    readModel.awaitCaughtUp(Duration.ofSeconds(2)); // a list right after a write shows the write
    InstanceListing.Page page = InstanceListing.list(readModel.queries(), account, workflow, ctx);
    ctx.json(new Envelope(true, List.of(), List.of(), page.items(), page.info()));
  }

  /**
   * Up to 100 creates in one call. Ids that exist already or repeat within the batch are skipped
   * and left out of the result (each skip is described in {@code messages}).
   */
  void createBatch(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    JsonNode body = parseBody(ctx);
    if (!body.isArray() || body.isEmpty() || body.size() > CreateRequests.MAX_BATCH) {
      throw ApiException.invalid(
          "request body must be a JSON array of 1.."
              + CreateRequests.MAX_BATCH
              + " create requests");
    }
    CreateRequests.Defaults defaults =
        CreateRequests.Defaults.of(RouteSupport.existing(catalog, account, workflow));
    rateLimit.acquire(account, workflow); // a batch counts as one creation
    List<Command> batch = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    List<Envelope.Message> skipped = new ArrayList<>();
    for (int i = 0; i < body.size(); i++) {
      Command command =
          CreateRequests.parse(account, workflow, body.get(i), "[" + i + "].", defaults);
      if (seen.add(command.getInstanceId())) {
        batch.add(command);
      } else {
        skipped.add(skip(command, "repeats an earlier id in this batch"));
      }
    }
    quota.check(
        account, batch.size(), batch.stream().mapToLong(InstancesRoutes::paramsChars).sum());
    answer(
        ctx,
        () -> commands.sendAll(batch),
        replies -> {
          List<Object> created = new ArrayList<>();
          List<String> createdIds = new ArrayList<>();
          List<String> unanswered = new ArrayList<>();
          for (int i = 0; i < batch.size(); i++) {
            Command command = batch.get(i);
            CommandReply reply = replies.get(i).orElse(null);
            if (reply == null) {
              unanswered.add(command.getInstanceId());
            } else if (reply.getOutcome() == ReplyOutcome.OK) {
              created.add(CreateRequests.created(command, reply));
              createdIds.add(command.getInstanceId());
            } else {
              skipped.add(skip(command, reply.getMessage()));
            }
          }
          if (unanswered.isEmpty()) {
            ctx.status(201).json(new Envelope(true, List.of(), skipped, created, null));
            return;
          }
          // Say which items took effect: retrying the whole batch would skip those anyway, but a
          // client should know which ids to look at.
          String message =
              "the orchestrator answered for "
                  + (batch.size() - unanswered.size())
                  + " of "
                  + batch.size()
                  + " items (created: "
                  + (createdIds.isEmpty() ? "none" : String.join(", ", createdIds))
                  + "); these may still be created: "
                  + String.join(", ", unanswered)
                  + " (GET them, or retry the batch: ids that exist are skipped)";
          ctx.status(ApiError.TIMEOUT.httpStatus())
              .json(
                  new Envelope(
                      false,
                      List.of(new Envelope.Message(ApiError.TIMEOUT.code(), message)),
                      skipped,
                      null,
                      null));
        });
  }

  /**
   * {@code {instances: [ids]}} (1..100) → {@code {deleted: [{id}], errors: [{id, code, message}]}}.
   */
  void deleteBatch(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    JsonNode body = bodyObject(ctx);
    RequestFields.allowOnly(body, Set.of("instances"), "");
    JsonNode ids = body.get("instances");
    if (ids == null || !ids.isArray() || ids.isEmpty() || ids.size() > CreateRequests.MAX_BATCH) {
      throw ApiException.invalid(
          "instances must be an array of 1.." + CreateRequests.MAX_BATCH + " instance ids");
    }
    Set<String> unique = new java.util.LinkedHashSet<>();
    for (int i = 0; i < ids.size(); i++) {
      String id = ids.get(i).isTextual() ? ids.get(i).asText() : null;
      String where = "instances[" + i + "]: ";
      Names.checkInstanceId(id)
          .ifPresent(
              problem -> {
                throw ApiException.invalid(where + problem);
              });
      unique.add(id);
    }
    List<String> order = List.copyOf(unique);
    List<Command> deletes =
        order.stream()
            .map(id -> command(account, workflow, id, new DeleteInstance(null, true)))
            .toList();
    answer(
        ctx,
        () -> commands.sendAll(deletes),
        replies -> {
          List<Object> deleted = new ArrayList<>();
          List<Object> errors = new ArrayList<>();
          for (int i = 0; i < order.size(); i++) {
            CommandReply reply = replies.get(i).orElse(null);
            if (reply == null) {
              errors.add(
                  Map.of(
                      "id", order.get(i),
                      "code", ApiError.TIMEOUT.code(),
                      "message",
                          ApiError.TIMEOUT.key() + ": no answer in time; it may still be deleted"));
            } else if (reply.getOutcome() == ReplyOutcome.OK) {
              deleted.add(Map.of("id", order.get(i)));
            } else {
              ApiError kind = errorFor(reply.getOutcome());
              errors.add(
                  Map.of(
                      "id", order.get(i),
                      "code", kind.code(),
                      "message", kind.key() + ": " + reply.getMessage()));
            }
          }
          ctx.json(Envelope.ok(Map.of("deleted", deleted, "errors", errors)));
        });
  }

  /**
   * Terminates every unfinished instance (or those with {@code ?status=}) as a background job, and
   * answers with the job (or the one already running) so its progress can be followed.
   */
  void terminateAll(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    String status = ctx.queryParam("status");
    java.util.Optional<InstanceStatusCode> only = java.util.Optional.empty();
    if (status != null) {
      only =
          ApiStatus.parse(status)
              .filter(s -> !ApiStatus.isTerminal(s) && s != InstanceStatusCode.UNKNOWN);
      if (only.isEmpty()) {
        throw ApiException.invalid(
            "status '"
                + status
                + "' must be one of: queued, running, paused, waitingForPause, waiting");
      }
    }
    BulkJobs.Started started = jobs.start(BulkJob.Kind.TERMINATE, account, workflow, status);
    ctx.json(
        Envelope.ok(
            Map.of(
                "status",
                started.alreadyRunning() ? "already_running" : "ok",
                "job",
                started.job().toJson())));
  }

  private static Envelope.Message skip(Command command, String why) {
    return new Envelope.Message(
        ApiError.INSTANCE_ALREADY_EXISTS.code(),
        "instance '" + command.getInstanceId() + "' skipped: " + why);
  }

  void get(Context ctx) {
    String account = account(ctx);
    String workflow = workflow(ctx);
    String id = path(ctx, "instance_id", Names.checkInstanceId(ctx.pathParam("instance_id")));
    boolean newestFirst = choice(ctx, "order", "asc", "desc").equals("desc");
    boolean simple = choice(ctx, "simple", "false", "true").equals("true");
    InstanceView found = find(account, workflow, id);
    ctx.json(Envelope.ok(InstanceJson.details(found, newestFirst, simple)));
  }

  /** A query parameter that is one of two words; the first is the default. */
  private static String choice(Context ctx, String name, String fallback, String other) {
    String value = ctx.queryParam(name);
    if (value == null || value.equals(fallback) || value.equals(other)) {
      return value == null ? fallback : value;
    }
    throw ApiException.invalid(
        name + " must be " + fallback + " or " + other + ", got '" + value + "'");
  }

  /** The instance as the read model knows it, after catching up if it looks stale; else 404. */
  private InstanceView find(String account, String workflow, String id) {
    String key = InstanceKey.of(account, workflow, id).toString();
    var view = readModel.get(key);
    if (view.isEmpty() && readModel.awaitCaughtUp(Duration.ofSeconds(2))) {
      view = readModel.get(key); // perhaps created just now: read your own writes
    }
    if (view.isPresent() && !view.get().complete()) {
      // Known from a snapshot whose history records are not all read yet: status and history are
      // different topics, so a reader may see one before the other.
      view = readModel.awaitComplete(key, Duration.ofSeconds(2));
    }
    return view.orElseThrow(
        () ->
            new ApiException(
                ApiError.INSTANCE_NOT_FOUND,
                "instance '" + id + "' not found in workflow '" + workflow + "'"));
  }
}
