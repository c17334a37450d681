package dev.ferry.worker.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import java.lang.reflect.Type;

/**
 * Turns step results, params and outputs into JSON text and back. A result is recorded with its
 * runtime class so that a replay hands the workflow the same type it got the first time.
 */
public final class StepValues {
  private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(StepValues.class);

  private final ObjectMapper mapper;

  public StepValues() {
    this.mapper =
        new ObjectMapper()
            .registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
            .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
            // Params and results are JSON from other programs: extra fields are not an error.
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  public ObjectMapper mapper() {
    return mapper;
  }

  /** JSON text of a value; throws {@link JsonProcessingException} if it cannot be encoded. */
  public String encode(Object value) throws JsonProcessingException {
    return mapper.writeValueAsString(value);
  }

  /** The class name recorded next to a result; null for null results. */
  public static String typeOf(Object value) {
    return value == null ? null : value.getClass().getName();
  }

  /**
   * A recorded result as the type recorded with it, if that is a type the workflow can return: a
   * class from the workflow's own code (same jar or directory), a JDK value, time or collection
   * type, or an array of those. Any other name (the record came from Kafka, anyone could have
   * written it) gets the plain JSON shape, so a record cannot make the worker construct an
   * arbitrary class of its class path.
   */
  public Object decode(String json, String typeName, Class<?> workflowClass)
      throws JsonProcessingException {
    if (json == null || typeName == null) {
      return json == null ? null : mapper.readValue(json, Object.class);
    }
    Class<?> type;
    try {
      type = Class.forName(typeName, false, workflowClass.getClassLoader());
    } catch (ClassNotFoundException e) {
      // The class is gone from this build: hand back the plain JSON shape rather than fail.
      return mapper.readValue(json, Object.class);
    }
    if (!mayReturn(type, workflowClass)) {
      LOG.warn("recorded result type {} is not one {} can return", typeName, workflowClass);
      return mapper.readValue(json, Object.class);
    }
    return mapper.readValue(json, type);
  }

  private static final java.util.Set<Class<?>> JDK_VALUES =
      java.util.Set.of(
          String.class,
          Boolean.class,
          Character.class,
          Byte.class,
          Short.class,
          Integer.class,
          Long.class,
          Float.class,
          Double.class,
          java.math.BigDecimal.class,
          java.math.BigInteger.class,
          java.util.UUID.class);

  static boolean mayReturn(Class<?> type, Class<?> workflowClass) {
    if (type.isArray()) {
      return type.getComponentType().isPrimitive()
          || mayReturn(type.getComponentType(), workflowClass);
    }
    if (JDK_VALUES.contains(type) || type.getName().startsWith("java.time.")) {
      return true;
    }
    if (type.getName().startsWith("java.util.")
        && (java.util.Collection.class.isAssignableFrom(type)
            || java.util.Map.class.isAssignableFrom(type))) {
      return true;
    }
    var own = workflowClass.getProtectionDomain().getCodeSource();
    var theirs = type.getProtectionDomain().getCodeSource();
    return own != null
        && theirs != null
        && java.util.Objects.equals(own.getLocation(), theirs.getLocation());
  }

  public Object decode(String json, Type type) throws JsonProcessingException {
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    if (json == null || json.isBlank()) {
      json = "{}";
    }
    return mapper.readValue(json, javaType);
  }
}
