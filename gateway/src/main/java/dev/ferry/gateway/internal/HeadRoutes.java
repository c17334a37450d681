package dev.ferry.gateway.internal;

import io.javalin.config.JavalinConfig;
import io.javalin.http.HandlerType;
import io.javalin.router.Endpoint;
import java.util.List;

/**
 * HEAD answers what GET would, without the body. Javalin on its own answers 200 to HEAD on any path
 * that has a GET route, without running it, so even an unknown instance looked "found".
 */
public final class HeadRoutes {
  private HeadRoutes() {}

  /** Gives every GET route registered so far a HEAD route with the same handler. */
  public static void mirrorGets(JavalinConfig config) {
    List<Endpoint> gets =
        config.unsafe.internalRouter.allHttpHandlers().stream()
            .map(handler -> handler.endpoint)
            .filter(endpoint -> endpoint.method == HandlerType.GET)
            .toList();
    // Jetty sends no body with the answer to a HEAD request, whatever the handler writes.
    gets.forEach(endpoint -> config.routes.head(endpoint.path, endpoint.handler));
  }
}
