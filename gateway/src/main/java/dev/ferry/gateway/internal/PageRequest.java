package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiException;
import io.javalin.http.Context;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Page-number pagination ({@code page}, {@code per_page}) with Cloudflare's {@code result_info}:
 * {@code page, per_page, count, total_count, total_pages}.
 */
record PageRequest(int page, int perPage) {
  static final int DEFAULT_PER_PAGE = 25;
  static final int MAX_PER_PAGE = 100;

  /** One page of items and its result_info. */
  record Slice<T>(List<T> items, Map<String, Object> info) {}

  static PageRequest from(Context ctx) {
    return new PageRequest(
        intParam(ctx, "page", 1, 1, Integer.MAX_VALUE),
        intParam(ctx, "per_page", DEFAULT_PER_PAGE, 1, MAX_PER_PAGE));
  }

  long start(long total) {
    return Math.min((long) (page - 1) * perPage, total);
  }

  <T> Slice<T> slice(List<T> all) {
    int start = (int) start(all.size());
    List<T> chosen = all.subList(start, Math.min(start + perPage, all.size()));
    return new Slice<>(List.copyOf(chosen), info(chosen.size(), all.size()));
  }

  /** The result_info of a page of {@code count} items out of {@code total}. */
  Map<String, Object> info(int count, long total) {
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("page", page);
    info.put("per_page", perPage);
    info.put("count", count);
    info.put("total_count", total);
    info.put("total_pages", (total + perPage - 1) / perPage);
    return info;
  }

  /** An integer query parameter within bounds, or a 400 naming it. */
  static int intParam(Context ctx, String name, int fallback, int min, int max) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return fallback;
    }
    try {
      int value = Integer.parseInt(text);
      if (value >= min && value <= max) {
        return value;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw ApiException.invalid(
        name
            + " must be an integer "
            + min
            + ".."
            + (max == Integer.MAX_VALUE ? "" : max)
            + ", got '"
            + text
            + "'");
  }
}
