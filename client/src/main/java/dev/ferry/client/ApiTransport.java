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

/** Sends one request, unwraps the v4 envelope, and turns refusals into exceptions. */
final class ApiTransport {
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

  /** The envelope's {@code result}; a refusal throws with the first error's code and message. */
  JsonNode call(String method, String path, JsonNode body) {
    HttpRequest request =
        HttpRequest.newBuilder(root.resolve(path))
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
      throw new WorkflowsException(
          response.statusCode(),
          0,
          "HTTP " + response.statusCode() + " without a JSON envelope from " + request.uri(),
          e);
    }
    if (response.statusCode() >= 300 || !envelope.path("success").asBoolean(false)) {
      JsonNode error = envelope.path("errors").path(0);
      throw new WorkflowsException(
          response.statusCode(),
          error.path("code").asInt(0),
          error.path("message").asText("HTTP " + response.statusCode()),
          null);
    }
    return envelope.path("result");
  }

  /** A path segment, percent-encoded. */
  static String segment(String value) {
    return URLEncoder.encode(value, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
