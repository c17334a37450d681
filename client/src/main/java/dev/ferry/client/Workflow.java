package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One workflow: creates instances and finds them, like the binding's {@code env.MY_WORKFLOW}.
 *
 * <pre>{@code
 * Workflow orders = workflows.workflow("orders");
 * WorkflowInstance fresh = orders.create();              // generated id, params {}
 * WorkflowInstance known = orders.get("order-42");
 * }</pre>
 */
public final class Workflow {
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

  /** Creates an instance; fails with code 10401 (HTTP 409) if the id exists. */
  public WorkflowInstance create(CreateOptions options) {
    JsonNode result = transport.call("POST", instancesPath(), options.toJson(transport.mapper()));
    return new WorkflowInstance(transport, name, result.path("id").asText());
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

  private String instancesPath() {
    return "workflows/" + ApiTransport.segment(name) + "/instances";
  }

  static ObjectNode statusBody(ApiTransport transport, String status) {
    return transport.mapper().createObjectNode().put("status", status);
  }
}
