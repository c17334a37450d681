package dev.ferry.gateway.internal;

import dev.ferry.gateway.AccessTokens;
import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import io.javalin.http.Context;
import io.javalin.router.JavalinDefaultRoutingApi;

/**
 * Bearer-token checks in front of every account route: no token or an unknown one is 401, a token
 * of another account is 403. Messages never repeat the token.
 */
public final class Authentication {
  static final String ACCOUNTS = "/client/v4/accounts/";

  private final AccessTokens tokens;

  public Authentication(AccessTokens tokens) {
    this.tokens = tokens;
  }

  public void register(JavalinDefaultRoutingApi app) {
    app.before(this::check);
  }

  private void check(Context ctx) {
    String path = ctx.path();
    if (!path.startsWith(ACCOUNTS)) {
      return;
    }
    String rest = path.substring(ACCOUNTS.length());
    int slash = rest.indexOf('/');
    String account = slash < 0 ? rest : rest.substring(0, slash);
    String header = ctx.header("Authorization");
    if (header == null || header.isBlank()) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          ApiError.UNAUTHENTICATED, "authentication required: send Authorization: Bearer <token>");
    }
    if (!header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() == 7) {
      ctx.header("WWW-Authenticate", "Bearer");
      throw new ApiException(
          ApiError.UNAUTHENTICATED, "the Authorization header must be 'Bearer <token>'");
    }
    String owner =
        tokens
            .accountOf(header.substring(7).strip())
            .orElseThrow(
                () -> {
                  ctx.header("WWW-Authenticate", "Bearer error=\"invalid_token\"");
                  return new ApiException(ApiError.UNAUTHENTICATED, "invalid API token");
                });
    if (!owner.equals(account)) {
      throw new ApiException(
          ApiError.FORBIDDEN, "this token is not valid for account '" + account + "'");
    }
  }
}
