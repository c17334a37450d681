package dev.ferry.gateway.internal;

import static dev.ferry.gateway.internal.RouteSupport.account;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.gateway.Envelope;
import dev.ferry.schemas.Names;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code /client/v4/accounts/{account_id}/jobs[/{job_id}]} (a Ferry addition): the bulk jobs that
 * terminate-all and a workflow's deletion started, with their progress.
 */
public final class JobsRoutes {
  static final String BASE = "/client/v4/accounts/{account_id}/jobs";

  private final BulkJobs jobs;

  public JobsRoutes(BulkJobs jobs) {
    this.jobs = jobs;
  }

  public void register(JavalinDefaultRoutingApi app) {
    app.get(BASE, this::list);
    app.get(BASE + "/{job_id}", this::get);
  }

  /** The account's jobs newest first; {@code workflow} keeps one workflow's. */
  void list(Context ctx) {
    String account = account(ctx);
    String workflow = ctx.queryParam("workflow");
    if (workflow != null) {
      Names.checkWorkflowName(workflow)
          .ifPresent(
              problem -> {
                throw ApiException.invalid("query parameter workflow: " + problem);
              });
    }
    PageRequest.Slice<BulkJob> slice = PageRequest.from(ctx).slice(jobs.list(account, workflow));
    List<Object> items = new ArrayList<>();
    slice.items().forEach(job -> items.add(job.toJson()));
    ctx.json(new Envelope(true, List.of(), List.of(), items, slice.info()));
  }

  void get(Context ctx) {
    String account = account(ctx);
    String id = ctx.pathParam("job_id");
    BulkJob job =
        jobs.find(account, id)
            .orElseThrow(
                () ->
                    new ApiException(
                        ApiError.JOB_NOT_FOUND,
                        "job '"
                            + id
                            + "' not found: jobs are kept for "
                            + BulkJobs.KEPT_FOR.toHours()
                            + " h by the gateway that runs them"));
    ctx.json(Envelope.ok(job.toJson()));
  }
}
