package dev.ferry.worker.internal;

import dev.ferry.schemas.RecordSizes;
import dev.ferry.schemas.avro.ErrorInfo;
import dev.ferry.workflows.NonDeterminismError;
import dev.ferry.workflows.NonRetryableError;
import dev.ferry.workflows.StepLimitError;
import dev.ferry.workflows.WorkflowException;
import dev.ferry.workflows.WorkflowStepError;

/** Converts between thrown errors and their recorded {name, message} form. */
final class Errors {
  static final String INTERNAL = dev.ferry.schemas.ErrorNames.INTERNAL;

  private Errors() {}

  static ErrorInfo info(Throwable error) {
    String name;
    if (error instanceof WorkflowException workflow) {
      name = workflow.errorName();
    } else if (error instanceof NonDeterminismError) {
      name = NonDeterminismError.NAME;
    } else if (error instanceof StepLimitError) {
      name = StepLimitError.NAME;
    } else {
      String simple = error.getClass().getSimpleName();
      name = simple.isEmpty() ? error.getClass().getName() : simple; // anonymous classes have none
    }
    String message;
    try {
      message = error.getMessage();
    } catch (RuntimeException | StackOverflowError thrownByIt) {
      // The workflow's own exception class must not take the run down with it.
      message = "(its getMessage() threw " + thrownByIt.getClass().getName() + ")";
    }
    // Cut, so that an exception with a huge message cannot make its history entry unshippable.
    return new ErrorInfo(name, message == null ? "" : RecordSizes.cutMessage(message));
  }

  /** The error a failed step throws into the workflow, on the first run and on every replay. */
  static RuntimeException stepFailure(ErrorInfo info, Throwable original) {
    if (original instanceof NonRetryableError nonRetryable) {
      return nonRetryable;
    }
    if (original == null && NonRetryableError.NAME.equals(info.getName())) {
      return new NonRetryableError(info.getMessage());
    }
    return new WorkflowStepError(info.getName(), info.getMessage(), original);
  }
}
