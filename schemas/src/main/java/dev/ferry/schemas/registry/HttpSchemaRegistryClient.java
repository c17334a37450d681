package dev.ferry.schemas.registry;

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
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.avro.Schema;

/**
 * Speaks the Confluent Schema Registry REST API over the JDK's HTTP client. Registrations are
 * cached per (subject, schema) and schemas per id, so a serializer asks the registry once per type.
 * Works against Ferry's own registry, Confluent Schema Registry, Karapace and Redpanda. Credentials
 * in the URL ({@code http://user:secret@host:8081}, percent-encoded) are sent as HTTP basic auth,
 * like Confluent's {@code basic.auth.credentials.source=URL}, and never appear in messages.
 */
public final class HttpSchemaRegistryClient implements SchemaRegistryClient {
  static final String CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

  private final String baseUrl;
  private final Optional<String> authorization;
  private final HttpClient http;
  private final ObjectMapper mapper = new ObjectMapper();
  private final Map<Integer, Schema> byId = new ConcurrentHashMap<>();
  private final Map<String, Map<Schema, Integer>> idsBySubject = new ConcurrentHashMap<>();

  public HttpSchemaRegistryClient(String url) {
    this(RegistrySettings.of(url));
  }

  /** With {@code basic.auth.user.info} (over any credentials in the URL) and a trust store. */
  public HttpSchemaRegistryClient(RegistrySettings settings) {
    String url = settings.url();
    URI uri = URI.create(url.endsWith("/") ? url.substring(0, url.length() - 1) : url);
    String userInfo = uri.getUserInfo();
    this.authorization =
        settings
            .userInfo()
            .or(() -> Optional.ofNullable(userInfo))
            .map(
                u ->
                    "Basic "
                        + Base64.getEncoder().encodeToString(u.getBytes(StandardCharsets.UTF_8)));
    this.baseUrl =
        userInfo == null ? uri.toString() : uri.toString().replace(uri.getRawUserInfo() + "@", "");
    HttpClient.Builder http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5));
    settings.trustStore().ifPresent(store -> http.sslContext(store.trustingContext()));
    this.http = http.build();
  }

  /**
   * {@code http://host:port} with {@code user:password} in it, each part percent-encoded, for a
   * registry that needs basic auth.
   */
  public static String withCredentials(String url, String userInfo) {
    int colon = userInfo.indexOf(':');
    String credentials =
        percentEncode(userInfo.substring(0, colon))
            + ":"
            + percentEncode(userInfo.substring(colon + 1));
    int scheme = url.indexOf("://") + 3;
    return url.substring(0, scheme) + credentials + "@" + url.substring(scheme);
  }

  private static String percentEncode(String part) {
    StringBuilder out = new StringBuilder();
    for (byte b : part.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'a' && c <= 'z')
          || (c >= 'A' && c <= 'Z')
          || (c >= '0' && c <= '9')
          || "-._~".indexOf(c) >= 0) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", b & 0xff));
      }
    }
    return out.toString();
  }

  @Override
  public int register(String subject, Schema schema) {
    Map<Schema, Integer> ids =
        idsBySubject.computeIfAbsent(subject, s -> new ConcurrentHashMap<>());
    Integer cached = ids.get(schema);
    if (cached != null) {
      return cached;
    }
    JsonNode answer =
        call("POST", "/subjects/" + encode(subject) + "/versions", schemaBody(schema));
    int id = answer.get("id").asInt();
    ids.put(schema, id);
    byId.putIfAbsent(id, schema);
    return id;
  }

  @Override
  public Schema getById(int id) {
    Schema cached = byId.get(id);
    if (cached != null) {
      return cached;
    }
    JsonNode answer = call("GET", "/schemas/ids/" + id, null);
    Schema schema = new Schema.Parser().parse(answer.get("schema").asText());
    byId.putIfAbsent(id, schema);
    return schema;
  }

  @Override
  public RegisteredSchema latest(String subject) {
    JsonNode answer = call("GET", "/subjects/" + encode(subject) + "/versions/latest", null);
    return new RegisteredSchema(
        answer.get("subject").asText(),
        answer.get("version").asInt(),
        answer.get("id").asInt(),
        new Schema.Parser().parse(answer.get("schema").asText()));
  }

  @Override
  public boolean isCompatible(String subject, String version, Schema schema) {
    try {
      JsonNode answer =
          call(
              "POST",
              "/compatibility/subjects/" + encode(subject) + "/versions/" + version,
              schemaBody(schema));
      return answer.get("is_compatible").asBoolean();
    } catch (SchemaRegistryException e) {
      if (e.errorCode() == 40401) {
        return true; // nothing registered yet: anything is compatible
      }
      throw e;
    }
  }

  private String schemaBody(Schema schema) {
    try {
      return mapper.writeValueAsString(Map.of("schema", schema.toString()));
    } catch (IOException e) {
      throw new SchemaRegistryException("cannot encode schema", e);
    }
  }

  private JsonNode call(String method, String path, String body) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .timeout(Duration.ofSeconds(10))
            .header("Accept", CONTENT_TYPE + ", application/json");
    authorization.ifPresent(value -> request.header("Authorization", value));
    if (body == null) {
      request.method(method, HttpRequest.BodyPublishers.noBody());
    } else {
      request
          .header("Content-Type", CONTENT_TYPE)
          .method(method, HttpRequest.BodyPublishers.ofString(body));
    }
    HttpResponse<String> response;
    try {
      response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    } catch (javax.net.ssl.SSLException e) {
      throw new SchemaRegistryException(
          "TLS with the schema registry at "
              + baseUrl
              + " failed: "
              + e.getMessage()
              + " (check "
              + RegistrySettings.TRUSTSTORE_PREFIX
              + "location: it must trust the registry's certificate)",
          e);
    } catch (IOException e) {
      throw new SchemaRegistryException("schema registry at " + baseUrl + " unreachable: " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SchemaRegistryException("interrupted calling the schema registry", e);
    }
    JsonNode json;
    try {
      json = mapper.readTree(response.body());
    } catch (IOException e) {
      throw new SchemaRegistryException(
          "schema registry answered " + response.statusCode() + " with non-JSON body", e);
    }
    if (response.statusCode() >= 300) {
      int code = json.path("error_code").asInt(response.statusCode());
      String message = json.path("message").asText("HTTP " + code);
      if (response.statusCode() == 401) {
        message +=
            authorization.isEmpty()
                ? " (the registry needs credentials: set " + RegistrySettings.USER_INFO + ")"
                : " (the registry refused the credentials of " + RegistrySettings.USER_INFO + ")";
      }
      throw new SchemaRegistryException(code, message);
    }
    return json;
  }

  private static String encode(String subject) {
    return URLEncoder.encode(subject, StandardCharsets.UTF_8);
  }
}
