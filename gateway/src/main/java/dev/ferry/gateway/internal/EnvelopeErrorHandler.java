package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.Envelope;
import dev.ferry.schemas.Json;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Jetty's answer to requests it refuses before any route sees them (a malformed URI or percent
 * encoding, control characters, headers too large): the API's JSON envelope instead of Jetty's HTML
 * page, so every client reads every error the same way.
 */
public final class EnvelopeErrorHandler extends ErrorHandler {
  /** The envelope for an HTTP status Jetty chose, with its reason. */
  static byte[] envelope(int status, String reason) {
    ApiError kind =
        switch (status) {
          case 404 -> ApiError.ROUTE_NOT_FOUND;
          case 405 -> ApiError.METHOD_NOT_ALLOWED;
          case 413 -> ApiError.PAYLOAD_TOO_LARGE;
          default -> status >= 500 ? ApiError.INTERNAL : ApiError.INVALID_INPUT;
        };
    String message =
        "the request could not be read (HTTP "
            + status
            + (reason == null ? "" : ": " + reason)
            + ")";
    return Json.write(Envelope.error(kind, message)).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    return ByteBuffer.wrap(envelope(status, reason));
  }

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.write(true, ByteBuffer.wrap(envelope(code, message)), callback);
  }
}
