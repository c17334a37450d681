package dev.ferry.client;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Objects;

/**
 * Entry point of the client: one account of a Ferry gateway (or of Cloudflare's API), shaped like
 * the Workers binding.
 *
 * <pre>{@code
 * Workflows workflows = Workflows.connect("http://127.0.0.1:8787/client/v4/accounts/dev", token);
 * WorkflowInstance order = workflows.workflow("orders")
 *     .create(CreateOptions.withId("order-42").params(Map.of("sku", "tea")));
 * order.sendEvent("approved", Map.of("by", "ana"));
 * InstanceStatus status = order.status();
 * }</pre>
 */
public final class Workflows {
  private final ApiTransport transport;

  private Workflows(ApiTransport transport) {
    this.transport = transport;
  }

  /**
   * Connects to one account. {@code accountUrl} is the account's API root, e.g. {@code
   * http://127.0.0.1:8787/client/v4/accounts/dev}; {@code token} is that account's API token.
   */
  public static Workflows connect(String accountUrl, String token) {
    return connect(
        accountUrl,
        token,
        HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
        Duration.ofSeconds(30));
  }

  /** As {@link #connect(String, String)}, with your own HTTP client and request timeout. */
  public static Workflows connect(
      String accountUrl, String token, HttpClient http, Duration requestTimeout) {
    Objects.requireNonNull(accountUrl, "accountUrl");
    Objects.requireNonNull(token, "token");
    String root = accountUrl.endsWith("/") ? accountUrl : accountUrl + "/";
    if (!root.contains("/accounts/")) {
      throw new IllegalArgumentException(
          "accountUrl must be an account's API root such as"
              + " http://127.0.0.1:8787/client/v4/accounts/dev, got "
              + accountUrl);
    }
    return new Workflows(
        new ApiTransport(URI.create(root), token, http, requestTimeout, new ObjectMapper()));
  }

  /** One page of the account's workflows by name ({@code search} filters names; null = all). */
  public Page<WorkflowInfo> list(int page, int perPage, String search) {
    String query =
        "?page="
            + page
            + "&per_page="
            + perPage
            + (search == null ? "" : "&search=" + ApiTransport.query(search));
    return Page.of(
        transport.envelope("GET", "workflows" + query, null, ApiTransport.Repeat.SAFE),
        WorkflowInfo::from);
  }

  /** One page of the account's bulk jobs, newest first. */
  public Page<BulkJob> jobs(int page, int perPage) {
    return Page.of(
        transport.envelope(
            "GET", "jobs?page=" + page + "&per_page=" + perPage, null, ApiTransport.Repeat.SAFE),
        BulkJob::from);
  }

  /**
   * A bulk job by id, with its progress; fails with code 10500 (HTTP 404) when the gateway does not
   * know it (jobs are kept for a day by the gateway that runs them).
   */
  public BulkJob job(String id) {
    return BulkJob.from(
        transport
            .envelope("GET", "jobs/" + ApiTransport.segment(id), null, ApiTransport.Repeat.SAFE)
            .path("result"));
  }

  /** A workflow of this account by name; no request is made until you use it. */
  public Workflow workflow(String name) {
    Objects.requireNonNull(name, "name");
    return new Workflow(transport, name);
  }
}
