package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * One workflow: creates instances and finds them, like the binding's {@code env.MY_WORKFLOW}, and
 * manages it as the REST API does (describe, list, delete).
 *
 * <pre>{@code
 * Workflow orders = workflows.workflow("orders");
 * WorkflowInstance fresh = orders.create();              // generated id, params {}
 * WorkflowInstance known = orders.get("order-42");
 * Page<InstanceSummary> failed = orders.instances(InstanceQuery.all().status(Status.ERRORED));
 * }</pre>
 */
public final class Workflow {
  /** The most ids one batch request takes. */
  public static final int MAX_BATCH = 100;

  private final ApiTransport transport;
  private final String name;

  Workflow(ApiTransport transport, String name) {
    this.transport = transport;
    this.name = name;
  }

  public String name() {
    return name;
  }

  /** Creates an instance with a generated id and no params. */
  public WorkflowInstance create() {
    return create(CreateOptions.defaults());
  }

  /**
   * Creates an instance; fails with code 10401 (HTTP 409) if the id exists. Without an id the
   * client picks one (a random UUID), so a create that got no reply in time (504) can be asked
   * again without making two instances.
   */
  public WorkflowInstance create(CreateOptions options) {
    boolean generated = options.id() == null;
    CreateOptions sent = generated ? options.id(UUID.randomUUID().toString()) : options;
    try {
      JsonNode result =
          transport
              .envelope(
                  "POST",
                  instancesPath(),
                  sent.toJson(transport.mapper()),
                  generated ? ApiTransport.Repeat.SAFE : ApiTransport.Repeat.NOT_ON_TIMEOUT)
              .path("result");
      return new WorkflowInstance(transport, name, result.path("id").asText());
    } catch (WorkflowsException e) {
      // The id is ours alone: "exists" after a timeout is the first try having worked.
      if (generated && e.code() == 10401 && e.followedATimeout()) {
        return new WorkflowInstance(transport, name, sent.id());
      }
      throw e;
    }
  }

  /**
   * Creates up to 100 instances in one request. Ids that exist already are skipped, so the list may
   * be shorter than the options.
   */
  public List<WorkflowInstance> createBatch(List<CreateOptions> batch) {
    ArrayNode body = transport.mapper().createArrayNode();
    for (CreateOptions options : batch) {
      body.add(options.toJson(transport.mapper()));
    }
    JsonNode result = transport.call("POST", instancesPath() + "/batch", body);
    List<WorkflowInstance> created = new ArrayList<>();
    for (JsonNode item : result) {
      created.add(new WorkflowInstance(transport, name, item.path("id").asText()));
    }
    return created;
  }

  /** The instance with this id; fails with code 10400 (HTTP 404) if there is none. */
  public WorkflowInstance get(String id) {
    WorkflowInstance instance = new WorkflowInstance(transport, name, id);
    instance.status(); // checks that it exists, as the binding's get does
    return instance;
  }

  /** The workflow with its live instance counts; fails with code 10200 if there is none. */
  public WorkflowInfo describe() {
    return WorkflowInfo.from(transport.call("GET", path(), null));
  }

  /** Builds of this workflow registered by workers, newest first. */
  public Page<VersionInfo> versions(int page, int perPage) {
    return Page.of(
        transport.envelope(
            "GET",
            path() + "/versions?page=" + page + "&per_page=" + perPage,
            null,
            ApiTransport.Repeat.SAFE),
        VersionInfo::from);
  }

  /** One page of instances. */
  public Page<InstanceSummary> instances(InstanceQuery query) {
    return Page.of(
        transport.envelope(
            "GET", instancesPath() + "?" + query.toQueryString(), null, ApiTransport.Repeat.SAFE),
        InstanceSummary::from);
  }

  /** The newest instance by creation time, as wrangler's {@code latest}. */
  public Optional<WorkflowInstance> latest() {
    return instances(InstanceQuery.all().perPage(1)).items().stream()
        .findFirst()
        .map(i -> new WorkflowInstance(transport, name, i.id()));
  }

  /** An instance by id without asking whether it exists (each of its methods will). */
  public WorkflowInstance instance(String id) {
    return new WorkflowInstance(transport, name, id);
  }

  /** Deletes up to 100 instances whatever their status; says per id what happened. */
  public DeletedInstances deleteInstances(List<String> ids) {
    if (ids.isEmpty() || ids.size() > MAX_BATCH) {
      throw new IllegalArgumentException(
          "ids: between 1 and " + MAX_BATCH + " per request, got " + ids.size());
    }
    ObjectNode body = transport.mapper().createObjectNode();
    ids.forEach(body.putArray("instances")::add);
    // Deleting again is harmless (an id already gone is reported as not found).
    return DeletedInstances.from(
        transport
            .envelope("POST", instancesPath() + "/batch/delete", body, ApiTransport.Repeat.SAFE)
            .path("result"));
  }

  /**
   * Terminates every unfinished instance, or only those in status {@code only} (null = any
   * unfinished), in a background job; follow it with {@link Workflows#job(String)}. If such a job
   * already runs for this workflow, that one is returned.
   */
  public BulkJob.Started terminateAll(InstanceStatus.Status only) {
    String query = only == null ? "" : "?status=" + only.apiName();
    // Asking again is harmless: a second request joins the job the first one started.
    return BulkJob.Started.from(
        transport
            .envelope("PUT", instancesPath() + "/terminate" + query, null, ApiTransport.Repeat.SAFE)
            .path("result"));
  }

  /**
   * Deletes the workflow; its instances are terminated and deleted by the background job returned,
   * which may take minutes.
   */
  public BulkJob delete() {
    return BulkJob.from(
        transport
            .envelope("DELETE", path(), null, ApiTransport.Repeat.SAFE)
            .path("result")
            .path("job"));
  }

  /** This workflow's bulk jobs, newest first. */
  public Page<BulkJob> jobs(int page, int perPage) {
    return Page.of(
        transport.envelope(
            "GET",
            "jobs?workflow=" + ApiTransport.query(name) + "&page=" + page + "&per_page=" + perPage,
            null,
            ApiTransport.Repeat.SAFE),
        BulkJob::from);
  }

  private String path() {
    return "workflows/" + ApiTransport.segment(name);
  }

  private String instancesPath() {
    return path() + "/instances";
  }

  static ObjectNode statusBody(ApiTransport transport, String status) {
    return transport.mapper().createObjectNode().put("status", status);
  }
}
