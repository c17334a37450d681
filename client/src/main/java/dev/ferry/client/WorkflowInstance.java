package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One instance, like the binding's {@code WorkflowInstance}. Every method is one request; the
 * object itself holds no state but its id.
 *
 * <pre>{@code
 * WorkflowInstance instance = orders.get("order-42");
 * if (instance.status().status() == InstanceStatus.Status.WAITING) {
 *   instance.sendEvent("approved", Map.of("by", "ana"));
 * }
 * }</pre>
 */
public final class WorkflowInstance {
  private final ApiTransport transport;
  private final String workflow;
  private final String id;

  WorkflowInstance(ApiTransport transport, String workflow, String id) {
    this.transport = transport;
    this.workflow = workflow;
    this.id = id;
  }

  public String id() {
    return id;
  }

  /** The current status with the output or error (no step history). */
  public InstanceStatus status() {
    JsonNode result = transport.call("GET", path() + "?simple=true", null);
    return InstanceStatus.from(result);
  }

  public void pause() {
    change("pause");
  }

  public void resume() {
    change("resume");
  }

  public void terminate() {
    change("terminate");
  }

  /** Starts again from the first step with the same params. */
  public void restart() {
    change("restart");
  }

  /**
   * Sends an event: {@code payload} is any value Jackson can write (null sends no payload). An
   * event the instance is not waiting for yet is kept until it waits.
   */
  public void sendEvent(String type, Object payload) {
    transport.call(
        "POST",
        path() + "/events/" + ApiTransport.segment(type),
        payload == null ? null : transport.mapper().valueToTree(payload));
  }

  private void change(String status) {
    transport.call("PATCH", path() + "/status", Workflow.statusBody(transport, status));
  }

  private String path() {
    return "workflows/" + ApiTransport.segment(workflow) + "/instances/" + ApiTransport.segment(id);
  }

  @Override
  public String toString() {
    return workflow + "/" + id;
  }
}
