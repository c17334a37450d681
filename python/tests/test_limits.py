from conftest import contract
from ferry.workflows import limits


def test_holds_the_limits_defaults_and_error_names_of_the_shared_table():
    table = contract("limits.json")
    assert limits.MAX_PAYLOAD_BYTES == table["maxPayloadBytes"]
    assert limits.DEFAULT_MAX_STEPS == table["defaultMaxSteps"]
    assert limits.MAX_RETRY_LIMIT == table["maxRetryLimit"]
    assert limits.MAX_SLEEP_MS == table["maxSleepMs"]
    assert limits.MAX_ERROR_MESSAGE_CHARS == table["maxErrorMessageChars"]
    assert limits.PAGE_CHARS == table["pageChars"]
    assert limits.DEFAULT_RETRY_LIMIT == table["defaultRetryLimit"]
    assert limits.DEFAULT_RETRY_DELAY_MS == table["defaultRetryDelayMs"]
    assert limits.DEFAULT_BACKOFF == table["defaultBackoff"]
    assert limits.DEFAULT_TIMEOUT_MS == table["defaultTimeoutMs"]
    assert limits.DEFAULT_WAIT_TIMEOUT_MS == table["defaultWaitTimeoutMs"]
    names = table["errorNames"]
    assert limits.INTERNAL_ERROR == names["internal"]
    assert limits.TIMEOUT_ERROR == names["timeout"]
    assert limits.LIMIT_ERROR == names["limit"]
    assert limits.NON_RETRYABLE_ERROR == names["nonRetryable"]
    assert limits.INVALID_PARAMS == names["invalidParams"]
    assert limits.NON_DETERMINISM_ERROR == names["nonDeterminism"]


def test_cuts_long_error_messages_as_the_java_side_does():
    assert limits.cut_message("x" * 10_000).endswith("… (cut at 8 KiB)")
    assert len(limits.cut_message("x" * 10_000)) == limits.MAX_ERROR_MESSAGE_CHARS + len("… (cut at 8 KiB)")
    assert limits.cut_message("short") == "short"
