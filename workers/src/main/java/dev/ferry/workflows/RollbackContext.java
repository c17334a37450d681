package dev.ferry.workflows;

/**
 * What a rollback handler knows: the step it undoes, the step's result (null if the step did not
 * succeed), the step's error if it failed, and which attempt of the handler this is.
 *
 * <pre>{@code
 * ctx -> { if (ctx.output() != null) payments.refund(ctx.output().id()); }
 * }</pre>
 */
public record RollbackContext<T>(
    String stepName, int count, T output, String errorName, String errorMessage, int attempt) {}
