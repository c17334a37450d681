package dev.ferry.gateway;

import dev.ferry.gateway.internal.Warmup;
import io.javalin.http.HttpResponseException;
import io.javalin.router.JavalinDefaultRoutingApi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one place where failures become error envelopes; no stack trace ever reaches a client. */
final class ErrorMapping {
  private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);

  private ErrorMapping() {}

  static void register(JavalinDefaultRoutingApi app, Warmup warmup) {
    app.exception(
        ApiException.class,
        (thrown, ctx) -> {
          ApiException e = warmup.mayStand(thrown, ctx);
          ctx.status(e.error().httpStatus()).json(Envelope.error(e.error(), e.getMessage()));
        });
    app.exception(
        HttpResponseException.class,
        (e, ctx) -> {
          ApiError error =
              switch (e.getStatus()) {
                case 404 -> ApiError.ROUTE_NOT_FOUND;
                case 405 -> ApiError.METHOD_NOT_ALLOWED;
                case 413 -> ApiError.PAYLOAD_TOO_LARGE;
                default -> e.getStatus() >= 500 ? ApiError.INTERNAL : ApiError.INVALID_INPUT;
              };
          ctx.status(e.getStatus()).json(Envelope.error(error, e.getMessage()));
        });
    app.exception(
        Exception.class,
        (e, ctx) -> {
          LOG.error("unexpected error on {} {}", ctx.method(), ctx.path(), e);
          ctx.status(500).json(Envelope.error(ApiError.INTERNAL, "internal error"));
        });
    app.error(
        404,
        ctx -> {
          if (ctx.result() == null || ctx.result().isEmpty()) {
            ctx.json(
                Envelope.error(
                    ApiError.ROUTE_NOT_FOUND, "no route for " + ctx.method() + " " + ctx.path()));
          }
        });
    app.error(
        405,
        ctx ->
            ctx.json(
                Envelope.error(
                    ApiError.METHOD_NOT_ALLOWED,
                    ctx.method() + " is not allowed on " + ctx.path())));
  }
}
