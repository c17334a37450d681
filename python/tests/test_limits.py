import pytest

from conftest import contract
from ferry.workflows import limits

TABLE = contract("limits.json")

SHARED = [
    ("MAX_PAYLOAD_BYTES", "maxPayloadBytes"),
    ("DEFAULT_MAX_STEPS", "defaultMaxSteps"),
    ("MAX_RETRY_LIMIT", "maxRetryLimit"),
    ("MAX_SLEEP_MS", "maxSleepMs"),
    ("MAX_ERROR_MESSAGE_CHARS", "maxErrorMessageChars"),
    ("PAGE_CHARS", "pageChars"),
    ("DEFAULT_RETRY_LIMIT", "defaultRetryLimit"),
    ("DEFAULT_RETRY_DELAY_MS", "defaultRetryDelayMs"),
    ("DEFAULT_BACKOFF", "defaultBackoff"),
    ("DEFAULT_TIMEOUT_MS", "defaultTimeoutMs"),
    ("DEFAULT_WAIT_TIMEOUT_MS", "defaultWaitTimeoutMs"),
]

ERROR_NAMES = [
    ("INTERNAL_ERROR", "internal"),
    ("TIMEOUT_ERROR", "timeout"),
    ("LIMIT_ERROR", "limit"),
    ("NON_RETRYABLE_ERROR", "nonRetryable"),
    ("INVALID_PARAMS", "invalidParams"),
    ("NON_DETERMINISM_ERROR", "nonDeterminism"),
]


@pytest.mark.parametrize("constant,key", SHARED)
def test_holds_the_limits_and_defaults_of_the_shared_table(constant, key):
    assert getattr(limits, constant) == TABLE[key]


@pytest.mark.parametrize("constant,key", ERROR_NAMES)
def test_names_errors_as_the_shared_table_does(constant, key):
    assert getattr(limits, constant) == TABLE["errorNames"][key]


def test_cuts_long_error_messages_as_the_java_side_does():
    assert limits.cut_message("x" * 10_000).endswith("… (cut at 8 KiB)")
    assert len(limits.cut_message("x" * 10_000)) == limits.MAX_ERROR_MESSAGE_CHARS + len("… (cut at 8 KiB)")
    assert limits.cut_message("short") == "short"
