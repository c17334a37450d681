package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.UUID;

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

  /** Everything recorded: params, times, output or error, and every step with its attempts. */
  public InstanceDetails details() {
    return InstanceDetails.from(transport.call("GET", path(), null));
  }

  /**
   * One step's full output; {@code name} carries the step's counter ({@code charge-1}) and {@code
   * type} is {@code step} or {@code waitForEvent}.
   */
  public StepOutput stepOutput(String name, String type) {
    return StepOutput.from(
        transport.call(
            "GET",
            path() + "/step?name=" + ApiTransport.query(name) + "&type=" + ApiTransport.query(type),
            null));
  }

  public void pause() {
    change(Workflow.statusBody(transport, "pause"));
  }

  public void resume() {
    change(Workflow.statusBody(transport, "resume"));
  }

  public void terminate() {
    change(Workflow.statusBody(transport, "terminate"));
  }

  /** Terminates, then runs the rollback handlers of the steps that completed, newest first. */
  public void terminateWithRollback() {
    change(Workflow.statusBody(transport, "terminate").put("rollback", true));
  }

  /** Starts again from the first step with the same params. */
  public void restart() {
    change(Workflow.statusBody(transport, "restart"));
  }

  /** Starts again from a step, keeping the results of the steps before it. */
  public void restart(RestartFrom from) {
    ObjectNode body = Workflow.statusBody(transport, "restart");
    from.writeTo(body.putObject("from"));
    change(body);
  }

  /**
   * Sends an event: {@code payload} is any value Jackson can write (null sends no payload). An
   * event the instance is not waiting for yet is kept until it waits. Each call carries an
   * idempotency key, so a retry after a timeout is delivered once.
   */
  public void sendEvent(String type, Object payload) {
    transport.envelope(
        "POST",
        path() + "/events/" + ApiTransport.segment(type),
        payload == null ? null : transport.mapper().valueToTree(payload),
        ApiTransport.Repeat.SAFE,
        Map.of("Idempotency-Key", UUID.randomUUID().toString()));
  }

  private void change(ObjectNode body) {
    transport.call("PATCH", path() + "/status", body);
  }

  private String path() {
    return "workflows/" + ApiTransport.segment(workflow) + "/instances/" + ApiTransport.segment(id);
  }

  @Override
  public String toString() {
    return workflow + "/" + id;
  }
}
