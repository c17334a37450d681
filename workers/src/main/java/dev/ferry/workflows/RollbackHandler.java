package dev.ferry.workflows;

/**
 * Undoes what a step did, when the instance fails or is terminated with rollback.
 *
 * <pre>{@code
 * RollbackHandler<Charge> refund = ctx -> payments.refund(ctx.output().id());
 * }</pre>
 *
 * @param <T> the step's result type
 */
@FunctionalInterface
public interface RollbackHandler<T> {
  void undo(RollbackContext<T> context) throws Exception;
}
