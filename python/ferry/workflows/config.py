"""Step configuration as Cloudflare's Python API takes it, resolved with Ferry's defaults:

    {"retries": {"limit": 3, "delay": "10 seconds", "backoff": "exponential"},
     "timeout": "2 minutes", "sensitive": False}

Every setting left out keeps its default (5 retries after 10 seconds, exponential backoff,
a 10 minute timeout per attempt)."""

from . import limits
from .durations import to_ms

BACKOFFS = ("CONSTANT", "LINEAR", "EXPONENTIAL")
_KEYS = {"retries", "timeout", "sensitive"}
_RETRY_KEYS = {"limit", "delay", "backoff"}
_LONG_MAX = 2**63 - 1


def resolve(config):
    """The resolved config (the ``ResolvedStepConfig`` record as a dict). ValueError names the
    field and the rule it breaks."""
    config = {} if config is None else config
    if not isinstance(config, dict):
        raise ValueError("config must be a dict such as {\"retries\": {\"limit\": 3}}, got %r" % (config,))
    unknown = sorted(set(config) - _KEYS)
    if unknown:
        raise ValueError("config: unknown key(s) %s; allowed: retries, timeout, sensitive" % unknown)
    retries = config.get("retries") or {}
    if not isinstance(retries, dict):
        raise ValueError("config.retries must be a dict with limit, delay, backoff")
    unknown = sorted(set(retries) - _RETRY_KEYS)
    if unknown:
        raise ValueError("config.retries: unknown key(s) %s; allowed: limit, delay, backoff" % unknown)
    limit = retries.get("limit", limits.DEFAULT_RETRY_LIMIT)
    if isinstance(limit, bool) or not isinstance(limit, int) or not 0 <= limit <= limits.MAX_RETRY_LIMIT:
        raise ValueError(
            "config.retries.limit must be an integer 0..%d, got %r" % (limits.MAX_RETRY_LIMIT, limit)
        )
    delay = retries.get("delay", limits.DEFAULT_RETRY_DELAY_MS)
    delay_ms = to_ms(delay, "config.retries.delay")
    backoff = str(retries.get("backoff", limits.DEFAULT_BACKOFF)).upper()
    if backoff not in BACKOFFS:
        raise ValueError(
            "config.retries.backoff must be constant, linear or exponential, got %r"
            % (retries.get("backoff"),)
        )
    timeout_ms = to_ms(config.get("timeout", limits.DEFAULT_TIMEOUT_MS), "config.timeout")
    if timeout_ms <= 0:
        raise ValueError("config.timeout must be positive, got %d ms" % timeout_ms)
    sensitive = config.get("sensitive", False)
    if not isinstance(sensitive, bool):
        raise ValueError("config.sensitive must be true or false, got %r" % (sensitive,))
    return {
        "retryLimit": limit,
        "retryDelayMs": delay_ms,
        "backoff": backoff,
        "timeoutMs": timeout_ms,
        "sensitive": sensitive,
    }


def retry_delay_ms(backoff, base_ms, attempts_made):
    """The wait before the next attempt after ``attempts_made`` attempts: constant ``d``, linear
    ``d*n``, exponential ``d*2^(n-1)``; saturates at the largest 64-bit number as the
    orchestrator's does."""
    n = max(1, attempts_made)
    if backoff == "CONSTANT":
        wait = base_ms
    elif backoff == "LINEAR":
        wait = base_ms * n
    else:
        wait = base_ms * (2 ** (n - 1))
    return min(wait, _LONG_MAX)
