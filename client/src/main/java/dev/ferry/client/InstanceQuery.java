package dev.ferry.client;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Which instances to list: one status (null = any), oldest or newest first, created between two
 * times, and which page. Immutable; each method returns a copy.
 *
 * <pre>{@code
 * orders.instances(InstanceQuery.all().status(InstanceStatus.Status.ERRORED).perPage(50));
 * }</pre>
 */
public record InstanceQuery(
    InstanceStatus.Status status,
    boolean oldestFirst,
    Instant createdFrom,
    Instant createdTo,
    int page,
    int perPage) {

  /** The API's page size limit. */
  public static final int MAX_PER_PAGE = 100;

  public InstanceQuery {
    if (page < 1) {
      throw new IllegalArgumentException("page must be at least 1, got " + page);
    }
    if (perPage < 1 || perPage > MAX_PER_PAGE) {
      throw new IllegalArgumentException(
          "perPage must be between 1 and " + MAX_PER_PAGE + ", got " + perPage);
    }
  }

  /** Every instance, newest first, 25 a page. */
  public static InstanceQuery all() {
    return new InstanceQuery(null, false, null, null, 1, 25);
  }

  public InstanceQuery status(InstanceStatus.Status status) {
    return new InstanceQuery(status, oldestFirst, createdFrom, createdTo, page, perPage);
  }

  public InstanceQuery oldestFirst(boolean oldestFirst) {
    return new InstanceQuery(status, oldestFirst, createdFrom, createdTo, page, perPage);
  }

  public InstanceQuery createdBetween(Instant from, Instant to) {
    return new InstanceQuery(status, oldestFirst, from, to, page, perPage);
  }

  public InstanceQuery page(int page) {
    return new InstanceQuery(status, oldestFirst, createdFrom, createdTo, page, perPage);
  }

  public InstanceQuery perPage(int perPage) {
    return new InstanceQuery(status, oldestFirst, createdFrom, createdTo, page, perPage);
  }

  String toQueryString() {
    List<String> parts = new ArrayList<>();
    parts.add("page=" + page);
    parts.add("per_page=" + perPage);
    parts.add("direction=" + (oldestFirst ? "asc" : "desc"));
    if (status != null) {
      parts.add("status=" + ApiTransport.query(status.apiName()));
    }
    if (createdFrom != null) {
      parts.add("date_start=" + ApiTransport.query(createdFrom.toString()));
    }
    if (createdTo != null) {
      parts.add("date_end=" + ApiTransport.query(createdTo.toString()));
    }
    return String.join("&", parts);
  }
}
