import pytest

from conftest import contract
from ferry.workflows import limits
from ferry.workflows.config import resolve, retry_delay_ms


@pytest.mark.parametrize("case", contract("retry-delays.json")["cases"], ids=str)
def test_waits_before_each_retry_as_the_shared_table_says(case):
    assert retry_delay_ms(case["backoff"], case["delayMs"], case["attemptsMade"]) == case["waitMs"]


def test_fills_in_the_defaults_of_everything_left_out():
    assert resolve(None) == {
        "retryLimit": limits.DEFAULT_RETRY_LIMIT,
        "retryDelayMs": limits.DEFAULT_RETRY_DELAY_MS,
        "backoff": limits.DEFAULT_BACKOFF,
        "timeoutMs": limits.DEFAULT_TIMEOUT_MS,
        "sensitive": False,
    }


def test_reads_cloudflares_config_shape():
    resolved = resolve({"retries": {"limit": 3, "delay": "10 seconds", "backoff": "linear"},
                        "timeout": "2 minutes"})
    assert resolved["retryLimit"] == 3
    assert resolved["retryDelayMs"] == 10_000
    assert resolved["backoff"] == "LINEAR"
    assert resolved["timeoutMs"] == 120_000


@pytest.mark.parametrize("config,field", [
    ({"retries": {"limit": -1}}, "config.retries.limit"),
    ({"retries": {"limit": 10_001}}, "config.retries.limit"),
    ({"retries": {"limit": "3"}}, "config.retries.limit"),
    ({"retries": {"delay": "soon"}}, "config.retries.delay"),
    ({"retries": {"backoff": "random"}}, "config.retries.backoff"),
    ({"retries": {"tries": 3}}, "config.retries"),
    ({"timeout": 0}, "config.timeout"),
    ({"timeot": "1 minute"}, "config"),
    ({"sensitive": "yes"}, "config.sensitive"),
])
def test_refuses_a_bad_config_naming_the_field(config, field):
    with pytest.raises(ValueError) as refused:
        resolve(config)
    assert str(refused.value).startswith(field)
