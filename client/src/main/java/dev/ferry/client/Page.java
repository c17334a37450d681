package dev.ferry.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.function.Function;

/**
 * One page of a listing: the items, which page it is (1 is the first) of how many, and the total
 * across pages. {@code json} is the API's {@code result} array as sent.
 */
public record Page<T>(
    List<T> items, int page, int perPage, long totalCount, int totalPages, JsonNode json) {

  /** Whether a page follows this one. */
  public boolean hasNext() {
    return page < totalPages;
  }

  static <T> Page<T> of(JsonNode envelope, Function<JsonNode, T> each) {
    JsonNode result = envelope.path("result");
    JsonNode info = envelope.path("result_info");
    List<T> items = ApiJson.list(result, each);
    return new Page<>(
        items,
        info.path("page").asInt(1),
        info.path("per_page").asInt(items.size()),
        info.path("total_count").asLong(items.size()),
        info.path("total_pages").asInt(1),
        result);
  }
}
