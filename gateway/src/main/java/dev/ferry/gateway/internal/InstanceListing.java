package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.ApiStatus;
import dev.ferry.schemas.WorkflowIds;
import dev.ferry.schemas.avro.InstanceSnapshot;
import dev.ferry.schemas.avro.InstanceStatusCode;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code GET .../instances}: filters ({@code status}, {@code date_start}, {@code date_end}), order
 * ({@code direction}, newest first by default) and either page numbers ({@code page}, {@code
 * per_page}) or an opaque {@code cursor}, with Cloudflare's {@code result_info}.
 */
final class InstanceListing {
  /** The page of items and its result_info. */
  record Page(List<Map<String, Object>> items, Map<String, Object> info) {}

  private InstanceListing() {}

  static Page list(InstanceQueries readModel, String account, String workflow, Context ctx) {
    String cursor = ctx.queryParam("cursor");
    if (cursor != null && ctx.queryParam("page") != null) {
      throw ApiException.invalid("use either page or cursor, not both");
    }
    PageRequest paging = PageRequest.from(ctx);
    int perPage = paging.perPage();
    InstanceQueries.Query query =
        new InstanceQueries.Query(
            Optional.ofNullable(ctx.queryParam("status")).map(InstanceListing::status),
            time(ctx, "date_start"),
            time(ctx, "date_end"),
            direction(ctx),
            cursor == null ? null : decode(cursor));

    Map<String, Object> info = new LinkedHashMap<>();
    InstanceQueries.Slice slice;
    if (cursor != null) {
      slice = readModel.page(account, workflow, query, 0, perPage);
      info.put("per_page", perPage);
      info.put("count", slice.items().size());
    } else {
      long total = readModel.count(account, workflow, query);
      slice = readModel.page(account, workflow, query, paging.start(total), perPage);
      info.putAll(paging.info(slice.items().size(), total));
    }
    List<InstanceSnapshot> chosen = slice.items();
    info.put(
        "cursor", slice.more() && !chosen.isEmpty() ? encode(chosen.get(chosen.size() - 1)) : null);
    List<Map<String, Object>> items = new ArrayList<>();
    for (InstanceSnapshot s : chosen) {
      items.add(item(s));
    }
    return new Page(items, info);
  }

  static Map<String, Object> item(InstanceSnapshot s) {
    Map<String, Object> out = new LinkedHashMap<>();
    out.put("id", s.getInstanceId());
    out.put("created_on", InstanceJson.time(s.getQueuedAt()));
    out.put("modified_on", InstanceJson.time(s.getUpdatedAt()));
    out.put("started_on", InstanceJson.time(s.getStartedAt()));
    out.put("ended_on", InstanceJson.time(s.getEndedAt()));
    out.put("status", ApiStatus.name(s.getStatus()));
    out.put("version_id", s.getVersionId());
    out.put("workflow_id", WorkflowIds.workflowId(s.getAccount(), s.getWorkflow()));
    out.put("trigger_source", s.getTriggerSource().name().toLowerCase(Locale.ROOT));
    return out;
  }

  /** A cursor: where the page it ends continues, just after this (creation time, id). */
  private static String encode(InstanceSnapshot last) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (last.getQueuedAt() + "|" + last.getInstanceId()).getBytes(StandardCharsets.UTF_8));
  }

  private static InstanceQueries.Position decode(String cursor) {
    try {
      String text = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int bar = text.indexOf('|');
      return new InstanceQueries.Position(
          Long.parseLong(text.substring(0, bar)), text.substring(bar + 1));
    } catch (RuntimeException e) {
      throw ApiException.invalid("cursor '" + cursor + "' is not one this API returned");
    }
  }

  private static boolean direction(Context ctx) {
    String direction = ctx.queryParam("direction");
    if (direction == null || direction.equals("desc")) {
      return false;
    }
    if (direction.equals("asc")) {
      return true;
    }
    throw ApiException.invalid("direction must be asc or desc, got '" + direction + "'");
  }

  private static InstanceStatusCode status(String name) {
    return ApiStatus.parse(name)
        .filter(s -> s != InstanceStatusCode.UNKNOWN)
        .orElseThrow(
            () ->
                ApiException.invalid(
                    "status '"
                        + name
                        + "' must be one of: queued, running, paused, errored, terminated,"
                        + " complete, waiting, waitingForPause, rollingBack"));
  }

  private static Long time(Context ctx, String name) {
    String text = ctx.queryParam(name);
    if (text == null) {
      return null;
    }
    try {
      return Instant.parse(text).toEpochMilli();
    } catch (DateTimeParseException e) {
      throw ApiException.invalid(name + " must be an ISO 8601 UTC time like 2026-01-31T12:00:00Z");
    }
  }
}
