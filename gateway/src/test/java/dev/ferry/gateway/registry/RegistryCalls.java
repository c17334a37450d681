package dev.ferry.gateway.registry;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Optional;

/** Raw HTTP calls to a registry under test, as any Confluent client makes them. */
final class RegistryCalls {
  private final String base;
  private final Optional<String> userInfo;
  private final HttpClient http = HttpClient.newHttpClient();

  RegistryCalls(String base, Optional<String> userInfo) {
    this.base = base;
    this.userInfo = userInfo;
  }

  static RegistryCalls anonymous(SchemaRegistryServer server) {
    return new RegistryCalls("http://127.0.0.1:" + server.port(), Optional.empty());
  }

  RegistryCalls as(String userInfo) {
    return new RegistryCalls(base, Optional.of(userInfo));
  }

  HttpResponse<String> call(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .header("Content-Type", SchemaRegistryServer.CONTENT_TYPE)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    userInfo.ifPresent(
        u ->
            request.header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8))));
    try {
      return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  HttpResponse<String> get(String path) {
    return call("GET", path, null);
  }

  HttpResponse<String> delete(String path) {
    return call("DELETE", path, null);
  }

  HttpResponse<String> put(String path, String body) {
    return call("PUT", path, body);
  }

  /** Registers a schema given as Avro JSON text. */
  HttpResponse<String> register(String subject, String avro) {
    return call(
        "POST",
        "/subjects/" + subject + "/versions",
        "{\"schema\":" + dev.ferry.schemas.Json.write(avro) + "}");
  }
}
