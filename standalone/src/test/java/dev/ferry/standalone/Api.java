package dev.ferry.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ferry.schemas.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A tiny client of the gateway for tests: status code plus parsed envelope. */
final class Api {
  /** An answer and the request it answers ({@code path} without the query). */
  record Response(int status, JsonNode body, String method, String path) {
    JsonNode result() {
      return body.get("result");
    }

    String firstError() {
      return body.path("errors").path(0).path("message").asText();
    }
  }

  private final HttpClient http = HttpClient.newHttpClient();
  private final String accountBase;
  private final String base;
  private final String token;

  /** {@code token} may be null to send no Authorization header. */
  Api(String gatewayUrl, String account, String token) {
    this.accountBase = gatewayUrl + "/client/v4/accounts/" + account + "/";
    this.base = accountBase + "workflows/";
    this.token = token;
  }

  /** Any call; {@code path} is relative to the account, e.g. "workflows/x/versions". */
  Response call(String method, String path, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(accountBase + path))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json"));
  }

  /** A client of one account of the stack, with that account's token. */
  static Api of(DevStack stack, String account) {
    return new Api(stack.gatewayUrl(), account, stack.token(account));
  }

  Response create(String workflow, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + workflow + "/instances"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json"));
  }

  Response sendEvent(String workflow, String id, String type, String payload) {
    return send(eventRequest(workflow, id, type, payload));
  }

  /** An event sent with an {@code Idempotency-Key}, as a client that may retry sends it. */
  Response sendEvent(String workflow, String id, String type, String payload, String key) {
    return send(eventRequest(workflow, id, type, payload).header("Idempotency-Key", key));
  }

  private HttpRequest.Builder eventRequest(
      String workflow, String id, String type, String payload) {
    return HttpRequest.newBuilder(
            URI.create(base + workflow + "/instances/" + id + "/events/" + type))
        .POST(HttpRequest.BodyPublishers.ofString(payload))
        .header("content-type", "application/json");
  }

  Response changeStatus(String workflow, String id, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + workflow + "/instances/" + id + "/status"))
            .method("PATCH", HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json"));
  }

  Response createBatch(String workflow, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + workflow + "/instances/batch"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json"));
  }

  Response deleteBatch(String workflow, String body) {
    return send(
        HttpRequest.newBuilder(URI.create(base + workflow + "/instances/batch/delete"))
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .header("content-type", "application/json"));
  }

  Response terminateAll(String workflow, String query) {
    return send(
        HttpRequest.newBuilder(URI.create(base + workflow + "/instances/terminate" + query))
            .PUT(HttpRequest.BodyPublishers.noBody()));
  }

  Response list(String workflow, String query) {
    return send(HttpRequest.newBuilder(URI.create(base + workflow + "/instances" + query)).GET());
  }

  Response step(String workflow, String id, String query) {
    return send(
        HttpRequest.newBuilder(URI.create(base + workflow + "/instances/" + id + "/step" + query))
            .GET());
  }

  Response get(String workflow, String id) {
    return send(HttpRequest.newBuilder(URI.create(base + workflow + "/instances/" + id)).GET());
  }

  /** Waits (up to 60 s) until the instance has the status, and returns its details. */
  JsonNode awaitStatus(String workflow, String id, String status) {
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(60))
        .pollInterval(Duration.ofMillis(100))
        .until(() -> status(workflow, id).equals(status));
    return get(workflow, id).result();
  }

  /** The instance's status, or "" while the gateway does not know it. */
  String status(String workflow, String id) {
    Response response = get(workflow, id);
    return response.status() == 200 ? response.result().path("status").asText() : "";
  }

  private Response send(HttpRequest.Builder request) {
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    try {
      HttpRequest built = request.timeout(Duration.ofSeconds(30)).build();
      HttpResponse<String> response = http.send(built, HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          Json.parse(response.body()),
          built.method(),
          built.uri().getPath());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
