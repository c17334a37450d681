package dev.ferry.workflows;

/**
 * The run asked for more steps than the instance's limit (10,000 by default; sleeps and waits do
 * not count). The instance ends {@code errored}; it is an {@link Error} so it cannot be caught by
 * accident.
 *
 * <pre>{@code
 * for (int i = 0; ; i++) step.run("item " + i, () -> work()); // ends with StepLimitError
 * }</pre>
 */
public final class StepLimitError extends Error {
  public static final String NAME = dev.ferry.schemas.ErrorNames.LIMIT;

  public StepLimitError(int limit) {
    super(
        "The limit of "
            + limit
            + " steps has been reached. This limit can be changed in your worker configuration.");
  }
}
