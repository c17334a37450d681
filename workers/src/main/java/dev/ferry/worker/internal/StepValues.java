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

  public Object decode(String json, String typeName, ClassLoader loader)
      throws JsonProcessingException {
    if (json == null || typeName == null) {
      return json == null ? null : mapper.readValue(json, Object.class);
    }
    Class<?> type;
    try {
      type = Class.forName(typeName, false, loader);
    } catch (ClassNotFoundException e) {
      // The class is gone from this build: hand back the plain JSON shape rather than fail.
      return mapper.readValue(json, Object.class);
    }
    return mapper.readValue(json, type);
  }

  public Object decode(String json, Type type) throws JsonProcessingException {
    JavaType javaType = mapper.getTypeFactory().constructType(type);
    if (json == null || json.isBlank()) {
      json = "{}";
    }
    return mapper.readValue(json, javaType);
  }
}
