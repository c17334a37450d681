package dev.ferry.gateway.internal;

import dev.ferry.gateway.ApiError;
import dev.ferry.gateway.ApiException;
import dev.ferry.schemas.TopicFollower;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.router.JavalinDefaultRoutingApi;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A gateway that has just started builds its views by reading the topics from the beginning; until
 * it has read what was there at start, "not found" may be wrong. While warming up, reads wait for
 * the views a little and otherwise answer 503 with {@code Retry-After}, and any "not found" answer
 * becomes 503, instead of a 404 for an instance or workflow that exists.
 */
public final class Warmup {
  private static final String ACCOUNTS = "/client/v4/accounts/";
  private static final Duration WAIT = Duration.ofSeconds(2);

  /** What warming up needs of a view: {@link TopicFollower} is one. */
  interface View {
    boolean hasCaughtUpOnce();

    boolean awaitCaughtUp(Duration timeout);

    String startupProgress();
  }

  private final List<View> views;
  private volatile boolean ready;

  Warmup(List<View> views) {
    this.views = views;
  }

  public static Warmup of(InstanceReadModel instances, WorkflowCatalog workflows) {
    return new Warmup(List.of(view(instances.follower()), view(workflows.follower())));
  }

  private static View view(TopicFollower follower) {
    return new View() {
      @Override
      public boolean hasCaughtUpOnce() {
        return follower.hasCaughtUpOnce();
      }

      @Override
      public boolean awaitCaughtUp(Duration timeout) {
        return follower.awaitCaughtUp(timeout);
      }

      @Override
      public String startupProgress() {
        return follower.startupProgress();
      }
    };
  }

  /** Whether every view has read what its topics held when the gateway started. */
  public boolean ready() {
    if (!ready && views.stream().allMatch(View::hasCaughtUpOnce)) {
      ready = true;
    }
    return ready;
  }

  /**
   * Why the gateway is not ready yet (its views are still reading what their topics held at start),
   * or empty once it is: what {@code /readyz} answers.
   */
  public Optional<ApiException> readiness() {
    return ready() ? Optional.empty() : Optional.of(starting());
  }

  /** Registers the wait before the routes; call after authentication, so 401 comes first. */
  public void register(JavalinDefaultRoutingApi app) {
    app.before(
        ctx -> {
          if (ctx.path().startsWith(ACCOUNTS) && ctx.method() == HandlerType.GET) {
            Optional<ApiException> refused = beforeRead();
            if (refused.isPresent()) {
              ctx.header("Retry-After", "1");
              throw refused.get();
            }
          }
        });
  }

  /** Before a read: nothing once warm; else a short wait, and 503 if that was not enough. */
  Optional<ApiException> beforeRead() {
    if (ready()) {
      return Optional.empty();
    }
    // Caught up with the topics as they are now implies caught up with them as they were.
    if (views.stream().allMatch(view -> view.awaitCaughtUp(WAIT))) {
      ready = true;
      return Optional.empty();
    }
    return Optional.of(starting());
  }

  private ApiException starting() {
    return new ApiException(
        ApiError.STARTING,
        "the gateway has just started and is still reading its views ("
            + views.stream().map(View::startupProgress).collect(Collectors.joining("; "))
            + "); retry shortly");
  }

  /** A not-found answer stands only once the gateway is warm; before, it becomes 503. */
  public ApiException mayStand(ApiException e, Context ctx) {
    ApiException answer = mayStand(e);
    if (answer != e) {
      ctx.header("Retry-After", "1");
    }
    return answer;
  }

  ApiException mayStand(ApiException e) {
    return e.error().httpStatus() == 404 && !ready() ? starting() : e;
  }
}
