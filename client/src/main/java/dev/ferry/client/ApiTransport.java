package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * Sends one request, unwraps the v4 envelope, and turns refusals into exceptions. Answers that mean
 * "nothing was done, ask again" are retried a bounded number of times: 429 (rate limited) and 503
 * (starting) always, 504 (no reply in time) only where asking twice cannot do a thing twice.
 */
final class ApiTransport {
  /** Retries after the first attempt; with the delays below a request gives up within ~4 s. */
  static final int RETRIES = 3;

  private static final Duration FIRST_BACKOFF = Duration.ofMillis(250);
  private static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(10);

  private final URI root;
  private final String authorization;
  private final HttpClient http;
  private final Duration timeout;
  private final ObjectMapper mapper;

  ApiTransport(URI root, String token, HttpClient http, Duration timeout, ObjectMapper mapper) {
    this.root = root;
    this.authorization = "Bearer " + token;
    this.http = http;
    this.timeout = timeout;
    this.mapper = mapper;
  }

  ObjectMapper mapper() {
    return mapper;
  }

  /** Whether a 504 may be asked again: true for reads and for requests that are idempotent. */
  enum Repeat {
    SAFE,
    NOT_ON_TIMEOUT
  }

  /** The envelope's {@code result}; a refusal throws with the first error's code and message. */
  JsonNode call(String method, String path, JsonNode body) {
    return envelope(method, path, body, method.equals("GET") ? Repeat.SAFE : Repeat.NOT_ON_TIMEOUT)
        .path("result");
  }

  /** The whole envelope (for {@code result_info}); retried as {@link Repeat} allows. */
  JsonNode envelope(String method, String path, JsonNode body, Repeat repeat) {
    return envelope(method, path, body, repeat, java.util.Map.of());
  }

  /** As {@link #envelope(String, String, JsonNode, Repeat)}, with extra request headers. */
  JsonNode envelope(
      String method,
      String path,
      JsonNode body,
      Repeat repeat,
      java.util.Map<String, String> headers) {
    boolean timedOutBefore = false;
    for (int attempt = 0; ; attempt++) {
      try {
        return once(method, path, body, headers);
      } catch (Refused refused) {
        WorkflowsException e = refused.exception;
        boolean again =
            e.httpStatus() == 429
                || e.httpStatus() == 503
                || (e.httpStatus() == 504 && repeat == Repeat.SAFE);
        if (!again || attempt == RETRIES) {
          throw timedOutBefore ? e.afterTimeout() : e;
        }
        timedOutBefore |= e.httpStatus() == 504;
        pause(refused.retryAfter, attempt);
      }
    }
  }

  private JsonNode once(
      String method, String path, JsonNode body, java.util.Map<String, String> headers)
      throws Refused {
    HttpRequest.Builder builder = HttpRequest.newBuilder(root.resolve(path));
    headers.forEach(builder::header);
    HttpRequest request =
        builder
            .timeout(timeout)
            .header("Authorization", authorization)
            .header("Content-Type", "application/json")
            .header("Accept", "application/json")
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body.toString()))
            .build();
    HttpResponse<String> response;
    try {
      response = http.send(request, HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new WorkflowsException(0, 0, method + " " + request.uri() + " failed: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowsException(0, 0, "interrupted during " + method + " " + request.uri(), e);
    }
    JsonNode envelope;
    try {
      envelope = mapper.readTree(response.body());
    } catch (IOException e) {
      throw new Refused(
          new WorkflowsException(
              response.statusCode(),
              0,
              "HTTP " + response.statusCode() + " without a JSON envelope from " + request.uri(),
              e),
          response);
    }
    if (response.statusCode() >= 300 || !envelope.path("success").asBoolean(false)) {
      JsonNode error = envelope.path("errors").path(0);
      throw new Refused(
          new WorkflowsException(
              response.statusCode(),
              error.path("code").asInt(0),
              error.path("message").asText("HTTP " + response.statusCode()),
              null),
          response);
    }
    return envelope;
  }

  private static void pause(Duration retryAfter, int attempt) {
    Duration wait =
        retryAfter != null
            ? (retryAfter.compareTo(MAX_RETRY_AFTER) > 0 ? MAX_RETRY_AFTER : retryAfter)
            : FIRST_BACKOFF.multipliedBy(1L << attempt);
    try {
      Thread.sleep(wait.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new WorkflowsException(0, 0, "interrupted while waiting to retry", e);
    }
  }

  /** A refusal with the server's Retry-After, if it sent one. */
  private static final class Refused extends Exception {
    final WorkflowsException exception;
    final Duration retryAfter;

    Refused(WorkflowsException exception, HttpResponse<String> response) {
      super(null, null, false, false);
      this.exception = exception;
      this.retryAfter =
          response.headers().firstValue("Retry-After").flatMap(ApiTransport::seconds).orElse(null);
    }
  }

  private static java.util.Optional<Duration> seconds(String header) {
    try {
      return java.util.Optional.of(Duration.ofSeconds(Long.parseLong(header.strip())));
    } catch (NumberFormatException e) {
      return java.util.Optional.empty();
    }
  }

  /** A path segment, percent-encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }

  /** A query parameter value, percent-encoded. */
  static String query(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8);
  }
}
