package dev.ferry.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;

/**
 * What to create: an id (generated when absent), params (any value Jackson can write) and how long
 * to keep the instance after it ends. Immutable; each method returns a copy.
 *
 * <pre>{@code
 * CreateOptions.withId("order-42").params(Map.of("sku", "tea")).retainSuccess(Duration.ofDays(1));
 * }</pre>
 */
public record CreateOptions(
    String id, Object params, Duration successRetention, Duration errorRetention) {

  public static CreateOptions defaults() {
    return new CreateOptions(null, null, null, null);
  }

  public static CreateOptions withId(String id) {
    return defaults().id(id);
  }

  public CreateOptions id(String id) {
    return new CreateOptions(id, params, successRetention, errorRetention);
  }

  public CreateOptions params(Object params) {
    return new CreateOptions(id, params, successRetention, errorRetention);
  }

  public CreateOptions retainSuccess(Duration retention) {
    return new CreateOptions(id, params, retention, errorRetention);
  }

  public CreateOptions retainError(Duration retention) {
    return new CreateOptions(id, params, successRetention, retention);
  }

  ObjectNode toJson(ObjectMapper mapper) {
    ObjectNode body = mapper.createObjectNode();
    if (id != null) {
      body.put("instance_id", id);
    }
    if (params != null) {
      body.set("params", mapper.valueToTree(params));
    }
    if (successRetention != null || errorRetention != null) {
      ObjectNode retention = body.putObject("instance_retention");
      if (successRetention != null) {
        retention.put("success_retention", successRetention.toMillis());
      }
      if (errorRetention != null) {
        retention.put("error_retention", errorRetention.toMillis());
      }
    }
    return body;
  }
}
