package dev.ferry.gateway.internal;

import io.javalin.router.JavalinDefaultRoutingApi;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * The dashboard's few files, read from the jar once and served at {@code /}: static pages over the
 * same REST API as every client. Served by a route rather than Javalin's static files on the
 * classpath, which mount the whole jar as a zip file system at startup (two seconds for Ferry's).
 */
public final class DashboardFiles {
  private static final String DIRECTORY = "/dashboard/";

  /** Each file by its path, with its content type. */
  private static final Map<String, String> FILES =
      Map.of(
          "index.html", "text/html; charset=utf-8",
          "app.css", "text/css; charset=utf-8",
          "app.js", "text/javascript; charset=utf-8",
          "timeline.js", "text/javascript; charset=utf-8");

  private DashboardFiles() {}

  /** Whether {@code path} is one of the dashboard's files rather than a route of the API. */
  public static boolean serves(String path) {
    return path.equals("/") || FILES.containsKey(path.substring(1));
  }

  public static void register(JavalinDefaultRoutingApi routes) {
    FILES.forEach(
        (name, type) -> {
          byte[] content = read(name);
          routes.get(
              "/" + name,
              ctx -> ctx.contentType(type).header("Cache-Control", "no-cache").result(content));
          if (name.equals("index.html")) {
            routes.get(
                "/",
                ctx -> ctx.contentType(type).header("Cache-Control", "no-cache").result(content));
          }
        });
  }

  private static byte[] read(String name) {
    try (InputStream in = DashboardFiles.class.getResourceAsStream(DIRECTORY + name)) {
      if (in == null) {
        throw new IllegalStateException("the dashboard file " + name + " is missing from the jar");
      }
      return in.readAllBytes();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
