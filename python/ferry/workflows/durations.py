"""The duration grammar of sleeps, retry delays, timeouts and retention, as in the Java SDK:
``"<number> <unit>"`` with unit second, minute, hour, day, week, month (30 days) or year
(365 days), singular or plural, one space; the number may have a fraction (``"1.5 days"``).
A plain number is milliseconds."""

import re
from datetime import timedelta
from decimal import ROUND_HALF_UP, Decimal

MAX_LENGTH = 64
_GRAMMAR = re.compile(r"([0-9]+(?:\.[0-9]+)?) (second|minute|hour|day|week|month|year)s?")
_DIGITS = re.compile(r"[0-9]+")
_UNIT_MS = {
    "second": 1_000,
    "minute": 60_000,
    "hour": 3_600_000,
    "day": 86_400_000,
    "week": 7 * 86_400_000,
    "month": 30 * 86_400_000,
    "year": 365 * 86_400_000,
}
_LONG_MAX = 2**63 - 1


def parse_ms(text):
    """Milliseconds of a duration string; ValueError quoting the input when it is not one."""
    if text is None:
        raise ValueError('duration is required, e.g. "10 seconds"')
    if not isinstance(text, str):
        raise ValueError("duration must be a string such as \"5 minutes\", got %r" % (text,))
    if len(text) > MAX_LENGTH:
        raise ValueError(
            'invalid duration "%s..." (%d characters): a duration has at most %d, e.g. "5 minutes"'
            % (text[:20], len(text), MAX_LENGTH)
        )
    match = _GRAMMAR.fullmatch(text)
    if match is None:
        raise ValueError(
            'invalid duration "%s": expected "<number> <unit>" with unit'
            ' second|minute|hour|day|week|month|year (singular or plural), e.g. "5 minutes"' % text
        )
    exact = Decimal(match.group(1)) * _UNIT_MS[match.group(2)]
    if exact > _LONG_MAX:
        raise ValueError('duration "%s" is too large' % text)
    return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_UP))


def to_ms(value, field="duration"):
    """A duration given as a string, a number of milliseconds or a ``timedelta``, in milliseconds.
    ``field`` names it in errors."""
    if isinstance(value, bool):
        raise ValueError("%s must be a duration, got %r" % (field, value))
    if isinstance(value, timedelta):
        millis = int(value.total_seconds() * 1000)
    elif isinstance(value, int):
        millis = value
    elif isinstance(value, float):
        millis = int(round(value))
    elif isinstance(value, str):
        if len(value) <= MAX_LENGTH and _DIGITS.fullmatch(value):
            millis = int(value)
            if millis > _LONG_MAX:
                raise ValueError('%s "%s" is too large' % (field, value))
        else:
            try:
                millis = parse_ms(value)
            except ValueError as e:
                raise ValueError("%s: %s" % (field, e)) from None
    else:
        raise ValueError("%s must be a duration such as \"5 minutes\", got %r" % (field, value))
    if millis < 0:
        raise ValueError("%s must not be negative, got %d ms" % (field, millis))
    return millis
