package dev.ferry.orchestrator.triggers;

import dev.ferry.schemas.Names;
import java.util.Locale;
import java.util.Objects;

/**
 * One queue-style trigger: every record of {@code topic} creates one instance of {@code workflow}
 * in {@code account}. The instance id comes from the record key, a header, a field of the value, or
 * is generated from the record's position; the params are the whole value or one field.
 *
 * <pre>{@code
 * new TriggerSpec("orders", "shop.orders", "dev", "three-steps", Format.JSON,
 *     IdFrom.FIELD, "orderId", ParamsFrom.FIELD, "payload");
 * }</pre>
 */
public record TriggerSpec(
    String name,
    String topic,
    String account,
    String workflow,
    Format format,
    IdFrom idFrom,
    String idName,
    ParamsFrom paramsFrom,
    String paramsName) {

  /** How record values are read. */
  public enum Format {
    /** UTF-8 JSON. */
    JSON,
    /** Avro in the Confluent wire format; the writer schema comes from the registry. */
    AVRO,
    /** UTF-8 text; the params are that string. */
    STRING
  }

  public enum IdFrom {
    KEY,
    HEADER,
    FIELD,
    /** {@code <topic>-<partition>-<offset>}: the same record always gets the same id. */
    GENERATED
  }

  public enum ParamsFrom {
    VALUE,
    FIELD
  }

  public TriggerSpec {
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(idFrom, "id.from");
    Objects.requireNonNull(paramsFrom, "params.from");
    check("name", Names.checkWorkflowName(name).map(p -> p.replace("workflow name", "name")));
    if (topic == null || topic.isBlank()) {
      throw new IllegalArgumentException("topic is required");
    }
    check("account", Names.checkAccount(account));
    check("workflow", Names.checkWorkflowName(workflow));
    boolean named = idFrom == IdFrom.HEADER || idFrom == IdFrom.FIELD;
    if (named && (idName == null || idName.isBlank())) {
      throw new IllegalArgumentException(
          "id.name is required when id.from is " + idFrom.name().toLowerCase(Locale.ROOT));
    }
    if (paramsFrom == ParamsFrom.FIELD && (paramsName == null || paramsName.isBlank())) {
      throw new IllegalArgumentException("params.name is required when params.from is field");
    }
    if (format == Format.STRING && (idFrom == IdFrom.FIELD || paramsFrom == ParamsFrom.FIELD)) {
      throw new IllegalArgumentException(
          "a string value has no fields: use id.from key,"
              + " header or generated and params.from value");
    }
  }

  private static void check(String field, java.util.Optional<String> problem) {
    problem.ifPresent(
        p -> {
          throw new IllegalArgumentException(field + ": " + p);
        });
  }
}
