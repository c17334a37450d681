package dev.ferry.gateway.internal;

import static dev.ferry.gateway.internal.RouteSupport.account;
import static dev.ferry.gateway.internal.RouteSupport.bodyObject;
import static dev.ferry.gateway.internal.RouteSupport.existing;
import static dev.ferry.gateway.internal.RouteSupport.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.gateway.Envelope;
import dev.ferry.schemas.CronSchedules;
import dev.ferry.schemas.avro.RetentionDefaults;
import dev.ferry.schemas.avro.WorkflowDefinition;
import dev.ferry.schemas.avro.WorkflowVersion;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code /client/v4/accounts/{account_id}/workflows[/{workflow_name}[/versions[/{version_id}]]]}:
 * workflows as workers registered them, with the settings the API adds.
 */
public final class WorkflowsRoutes {
  static final String BASE = "/client/v4/accounts/{account_id}/workflows";
  static final int MAX_STEP_LIMIT = dev.ferry.schemas.Limits.MAX_STEP_LIMIT;
  static final int MAX_SCHEDULES = dev.ferry.schemas.Limits.MAX_SCHEDULES;
  private static final Set<String> PUT_FIELDS =
      Set.of("class_name", "script_name", "default_retention", "limits", "schedules");

  private final WorkflowCatalog catalog;
  private final InstanceReadModel readModel;
  private final DefinitionWriter definitions;
  private final CommandClient commands;
  private final BulkJobs jobs;

  public WorkflowsRoutes(
      WorkflowCatalog catalog,
      InstanceReadModel readModel,
      DefinitionWriter definitions,
      CommandClient commands,
      BulkJobs jobs) {
    this.jobs = jobs;
    this.catalog = catalog;
    this.readModel = readModel;
    this.definitions = definitions;
    this.commands = commands;
  }

  public void register(JavalinDefaultRoutingApi app) {
    app.get(BASE, this::list);
    app.get(BASE + "/{workflow_name}", this::get);
    app.put(BASE + "/{workflow_name}", this::put);
    app.delete(BASE + "/{workflow_name}", this::delete);
    app.get(BASE + "/{workflow_name}/versions", this::versions);
    app.get(BASE + "/{workflow_name}/versions/{version_id}", this::version);
    app.get(BASE + "/{workflow_name}/versions/{version_id}/graph", this::graph);
    app.get(BASE + "/{workflow_name}/triggers", this::triggers);
  }

  /** The queue-style triggers that create instances of the workflow (a Ferry addition). */
  void triggers(Context ctx) {
    String account = account(ctx);
    WorkflowCatalog.Workflow w = existing(catalog, account, workflow(ctx));
    catalog.awaitCaughtUp(Duration.ofSeconds(2));
    List<Object> items = new ArrayList<>();
    for (var trigger : catalog.triggers(account, w.name())) {
      items.add(WorkflowJson.trigger(trigger));
    }
    ctx.json(Envelope.ok(items));
  }

  /** Workflows of the account by name; {@code search} keeps names containing it. */
  void list(Context ctx) {
    String account = account(ctx);
    PageRequest paging = PageRequest.from(ctx);
    String search = ctx.queryParam("search");
    catalog.awaitCaughtUp(Duration.ofSeconds(2));
    List<WorkflowCatalog.Workflow> matching =
        catalog.list(account).stream()
            .filter(
                w ->
                    search == null
                        || w.name()
                            .toLowerCase(Locale.ROOT)
                            .contains(search.toLowerCase(Locale.ROOT)))
            .toList();
    PageRequest.Slice<WorkflowCatalog.Workflow> slice = paging.slice(matching);
    Map<String, WorkflowActivity.Activity> activity = readModel.activity(account);
    Instant now = Instant.now();
    List<Object> items = new ArrayList<>();
    for (WorkflowCatalog.Workflow w : slice.items()) {
      items.add(
          WorkflowJson.workflow(
              w, activity.getOrDefault(w.name(), WorkflowActivity.Activity.NONE), now));
    }
    ctx.json(new Envelope(true, List.of(), List.of(), items, slice.info()));
  }

  void get(Context ctx) {
    String account = account(ctx);
    WorkflowCatalog.Workflow w = existing(catalog, account, workflow(ctx));
    ctx.json(Envelope.ok(WorkflowJson.workflow(w, activity(w), Instant.now())));
  }

  /**
   * Creates or updates the workflow's settings: {@code class_name}, {@code script_name} (both
   * required, as Cloudflare's API has them), {@code default_retention}, {@code limits.steps} and
   * {@code schedules}. Instances created afterwards get the defaults.
   */
  void put(Context ctx) {
    String account = account(ctx);
    String name = workflow(ctx);
    JsonNode body = bodyObject(ctx);
    RequestFields.allowOnly(body, PUT_FIELDS, "");
    String className = RequestFields.requiredText(body, "class_name");
    String scriptName = RequestFields.requiredText(body, "script_name");
    Retention.Parsed retention =
        Retention.parse(body.get("default_retention"), "default_retention");
    Integer stepLimit = stepLimit(body.get("limits"));
    List<String> schedules = schedules(body.get("schedules"));

    long now = System.currentTimeMillis();
    var current = catalog.find(account, name);
    WorkflowDefinition previous =
        catalog.definitionOf(account, name).orElse(null); // kept even when deleted
    WorkflowDefinition definition =
        WorkflowDefinition.newBuilder()
            .setAccount(account)
            .setWorkflow(name)
            .setClassName(className)
            .setScriptName(scriptName)
            .setRetention(
                retention.successMs() == null && retention.errorMs() == null
                    ? null
                    : new RetentionDefaults(retention.successMs(), retention.errorMs()))
            .setStepLimit(stepLimit)
            .setSchedules(schedules)
            .setCreatedOn(current.map(WorkflowCatalog.Workflow::createdOn).orElse(now))
            .setModifiedOn(now)
            .setDeleted(false)
            .setDeletedAt(previous == null ? null : previous.getDeletedAt())
            .build();
    save(
        ctx,
        definition,
        () -> {
          WorkflowCatalog.Workflow saved = existing(catalog, account, name);
          ctx.json(Envelope.ok(WorkflowJson.saved(saved, activity(saved))));
        });
  }

  /**
   * Deletes the workflow and, in a bulk job the answer names, its instances (running ones are
   * stopped first by the orchestrator). It comes back when a worker registers it again or it is PUT
   * again.
   */
  void delete(Context ctx) {
    String account = account(ctx);
    String name = workflow(ctx);
    WorkflowCatalog.Workflow w = existing(catalog, account, name);
    long now = System.currentTimeMillis();
    WorkflowDefinition definition =
        WorkflowDefinition.newBuilder()
            .setAccount(account)
            .setWorkflow(name)
            .setClassName(w.className())
            .setScriptName(w.scriptName())
            .setCreatedOn(w.createdOn())
            .setModifiedOn(now)
            .setDeleted(true)
            .setDeletedAt(now)
            .build();
    save(
        ctx,
        definition,
        () -> {
          BulkJob job = jobs.start(BulkJob.Kind.DELETE, account, name, null).job();
          ctx.json(Envelope.ok(Map.of("status", "ok", "success", true, "job", job.toJson())));
        });
  }

  /** Versions of the workflow, most recently registered first. */
  void versions(Context ctx) {
    String account = account(ctx);
    WorkflowCatalog.Workflow w = existing(catalog, account, workflow(ctx));
    PageRequest.Slice<WorkflowVersion> slice = PageRequest.from(ctx).slice(w.versions());
    List<Object> items = new ArrayList<>();
    for (WorkflowVersion v : slice.items()) {
      items.add(WorkflowJson.version(w, v));
    }
    ctx.json(new Envelope(true, List.of(), List.of(), items, slice.info()));
  }

  void version(Context ctx) {
    WorkflowCatalog.Workflow w = existing(catalog, account(ctx), workflow(ctx));
    ctx.json(Envelope.ok(WorkflowJson.version(w, versionOf(w, ctx.pathParam("version_id")))));
  }

  void graph(Context ctx) {
    WorkflowCatalog.Workflow w = existing(catalog, account(ctx), workflow(ctx));
    ctx.json(Envelope.ok(WorkflowJson.graph(w, versionOf(w, ctx.pathParam("version_id")))));
  }

  private static WorkflowVersion versionOf(WorkflowCatalog.Workflow w, String id) {
    return w.versions().stream()
        .filter(v -> v.getVersionId().equals(id))
        .findFirst()
        .orElseThrow(
            () ->
                new ApiException(
                    ApiError.VERSION_NOT_FOUND,
                    "version '" + id + "' not found in workflow '" + w.name() + "'"));
  }

  private WorkflowActivity.Activity activity(WorkflowCatalog.Workflow w) {
    return readModel.activity(w.account(), w.name());
  }

  /** Writes the definition, waits until the catalogue shows it, then answers. */
  private void save(Context ctx, WorkflowDefinition definition, Runnable answer) {
    RouteSupport.answer(
        ctx,
        () -> definitions.write(definition),
        done -> {
          catalog.awaitCaughtUp(Duration.ofSeconds(5));
          answer.run();
        });
  }

  private static Integer stepLimit(JsonNode limits) {
    if (limits == null || limits.isNull()) {
      return null;
    }
    if (!limits.isObject()) {
      throw ApiException.invalid("limits must be an object");
    }
    RequestFields.allowOnly(limits, Set.of("steps"), "limits.");
    JsonNode steps = limits.get("steps");
    if (steps == null || steps.isNull()) {
      return null;
    }
    if (!steps.isIntegralNumber()
        || !steps.canConvertToLong()
        || steps.asLong() < 1
        || steps.asLong() > MAX_STEP_LIMIT) {
      throw ApiException.invalid("limits.steps must be an integer 1.." + MAX_STEP_LIMIT);
    }
    return steps.asInt();
  }

  private static List<String> schedules(JsonNode schedules) {
    if (schedules == null || schedules.isNull()) {
      return List.of();
    }
    if (!schedules.isArray() || schedules.size() > MAX_SCHEDULES) {
      throw ApiException.invalid(
          "schedules must be an array of at most " + MAX_SCHEDULES + " {cron} objects");
    }
    List<String> crons = new ArrayList<>();
    for (int i = 0; i < schedules.size(); i++) {
      JsonNode item = schedules.get(i);
      String where = "schedules[" + i + "]";
      if (!item.isObject()) {
        throw ApiException.invalid(where + " must be an object like {\"cron\": \"*/5 * * * *\"}");
      }
      RequestFields.allowOnly(item, Set.of("cron"), where + ".");
      JsonNode cron = item.get("cron");
      String expression = cron != null && cron.isTextual() ? cron.asText() : null;
      CronSchedules.check(expression)
          .ifPresent(
              problem -> {
                throw ApiException.invalid(where + ".cron " + problem);
              });
      crons.add(expression.strip());
    }
    return crons;
  }
}
