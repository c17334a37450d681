package dev.ferry.gateway;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * Cloudflare's v4 response envelope: {@code {success, errors, messages, result, result_info}}.
 *
 * <pre>{@code
 * ctx.json(Envelope.ok(Map.of("id", id)));
 * }</pre>
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Envelope(
    boolean success,
    List<Message> errors,
    List<Message> messages,
    @JsonInclude(JsonInclude.Include.ALWAYS) Object result,
    Map<String, Object> result_info) {

  public record Message(int code, String message) {}

  public static Envelope ok(Object result) {
    return new Envelope(true, List.of(), List.of(), result, null);
  }

  public static Envelope error(ApiError error, String message) {
    return new Envelope(false, List.of(new Message(error.code(), message)), List.of(), null, null);
  }
}
