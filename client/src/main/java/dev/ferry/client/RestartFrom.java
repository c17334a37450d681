package dev.ferry.client;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Locale;
import java.util.Objects;

/**
 * Where a restart begins: the step named {@code name} ({@code count} picks among steps of that
 * name, 1 is the first; {@code type} is do, sleep or waitForEvent). Steps before it keep their
 * recorded results. Null {@code count} or {@code type} means the first, of any type.
 *
 * <pre>{@code
 * instance.restart(RestartFrom.step("charge"));
 * instance.restart(RestartFrom.step("poll").count(3).type("sleep"));
 * }</pre>
 */
public record RestartFrom(String name, Integer count, String type) {
  public RestartFrom {
    Objects.requireNonNull(name, "name");
    if (count != null && count < 1) {
      throw new IllegalArgumentException("count must be at least 1, got " + count);
    }
    if (type != null
        && !type.equals("do")
        && !type.equals("sleep")
        && !type.equals("waitForEvent")) {
      throw new IllegalArgumentException(
          "type must be do, sleep or waitForEvent, got " + type.toLowerCase(Locale.ROOT));
    }
  }

  public static RestartFrom step(String name) {
    return new RestartFrom(name, null, null);
  }

  public RestartFrom count(int count) {
    return new RestartFrom(name, count, type);
  }

  public RestartFrom type(String type) {
    return new RestartFrom(name, count, type);
  }

  void writeTo(ObjectNode from) {
    from.put("name", name);
    if (count != null) {
      from.put("count", count);
    }
    if (type != null) {
      from.put("type", type);
    }
  }
}
