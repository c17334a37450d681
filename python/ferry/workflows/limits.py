"""Contract facts the Python SDK shares with the Java one (checked against
``contract/limits.json`` by the test suite)."""

MAX_PAYLOAD_BYTES = 1024 * 1024
"""A step's result, an event's payload and a run's output are at most this much JSON (UTF-8)."""

DEFAULT_MAX_STEPS = 10_000
MAX_RETRY_LIMIT = 10_000
MAX_SLEEP_MS = 365 * 86_400_000
MAX_ERROR_MESSAGE_CHARS = 8 * 1024
PAGE_CHARS = 1024 * 1024
"""A report's step entries stay under about this many characters."""

DEFAULT_RETRY_LIMIT = 5
DEFAULT_RETRY_DELAY_MS = 10_000
DEFAULT_BACKOFF = "EXPONENTIAL"
DEFAULT_TIMEOUT_MS = 10 * 60_000
DEFAULT_WAIT_TIMEOUT_MS = 24 * 3_600_000

INTERNAL_ERROR = "WorkflowInternalError"
TIMEOUT_ERROR = "WorkflowTimeoutError"
LIMIT_ERROR = "WorkflowLimitError"
NON_RETRYABLE_ERROR = "NonRetryableError"
INVALID_PARAMS = "InvalidParams"
NON_DETERMINISM_ERROR = "NonDeterministicWorkflowError"


def fits_payload(json_text):
    return len(json_text) <= MAX_PAYLOAD_BYTES and len(json_text.encode("utf-8")) <= MAX_PAYLOAD_BYTES


def cut_message(message):
    """Error messages are cut where they are recorded, so a huge one cannot make an entry unshippable."""
    if message is None or len(message) <= MAX_ERROR_MESSAGE_CHARS:
        return message
    return message[:MAX_ERROR_MESSAGE_CHARS] + "… (cut at 8 KiB)"
