"""Errors workflow code raises and catches, named as the Java SDK and Cloudflare name them."""

from . import limits


class WorkflowError(Exception):
    """Base of the errors Ferry raises into workflow code. ``error_name`` is what the API shows."""

    error_name = None

    def __init__(self, message="", name=None):
        super().__init__(message)
        self.message = message
        if name is not None:
            self.error_name = name


class NonRetryableError(WorkflowError):
    """Raised by a step to fail it at once, without further attempts; raised by ``run`` to fail the
    instance. ``name`` is the error name the instance shows (default ``NonRetryableError``)."""

    error_name = limits.NON_RETRYABLE_ERROR


class WorkflowTimeoutError(WorkflowError):
    """A wait for an event, or a step attempt, ran out of time."""

    error_name = limits.TIMEOUT_ERROR


class WorkflowStepError(WorkflowError):
    """A step failed for good (its attempts ran out): ``error_name`` and the message are those of
    the last attempt's error, on the first run and on every replay."""


class WorkflowLimitError(WorkflowError):
    """The run made more ``step.do`` calls than the instance allows."""

    error_name = limits.LIMIT_ERROR


class NonDeterminismError(WorkflowError):
    """The code took another path than the recorded history: a step at a position differs."""

    error_name = limits.NON_DETERMINISM_ERROR


def error_info(error):
    """The recorded ``{name, message}`` of an error, the message cut at 8 KiB."""
    name = getattr(error, "error_name", None) if isinstance(error, WorkflowError) else None
    if not name:
        name = type(error).__name__
    try:
        message = str(error)
    except Exception as broken:  # the workflow's own error class must not take the run down
        message = "(its __str__ raised %s)" % type(broken).__name__
    return {"name": name, "message": limits.cut_message(message or "")}


def step_failure(info):
    """The error a failed step raises into the workflow when it is replayed."""
    if info is None:
        return WorkflowStepError("step failed")
    if info.get("name") == limits.NON_RETRYABLE_ERROR:
        return NonRetryableError(info.get("message") or "")
    if info.get("name") == limits.TIMEOUT_ERROR:
        return WorkflowTimeoutError(info.get("message") or "")
    return WorkflowStepError(info.get("message") or "", info.get("name"))
