import pytest

from conftest import contract
from ferry.workflows.durations import MAX_LENGTH, parse_ms, to_ms

TABLE = contract("durations.json")


@pytest.mark.parametrize("text,millis", TABLE["parse"])
def test_parses_the_shared_table_as_the_java_sdk_does(text, millis):
    assert parse_ms(text) == millis


@pytest.mark.parametrize("text", TABLE["invalid"])
def test_refuses_anything_else_quoting_the_input(text):
    with pytest.raises(ValueError) as refused:
        parse_ms(text)
    assert '"%s"' % text in str(refused.value)


@pytest.mark.parametrize("text,millis", TABLE["millisOrText"])
def test_treats_bare_numbers_as_milliseconds(text, millis):
    assert to_ms(text) == millis


@pytest.mark.parametrize("text", TABLE["tooLarge"])
def test_refuses_a_duration_past_the_largest_number_of_milliseconds(text):
    with pytest.raises(ValueError, match="too large"):
        to_ms(text)


def test_refuses_an_overlong_duration_without_parsing_its_number():
    assert MAX_LENGTH == TABLE["maxLength"]
    with pytest.raises(ValueError, match="at most 64"):
        parse_ms("9" * 2_000_000 + " seconds")


def test_names_the_field_of_a_bad_duration():
    with pytest.raises(ValueError, match="config.timeout"):
        to_ms("soon", "config.timeout")
    with pytest.raises(ValueError, match="must not be negative"):
        to_ms(-5, "duration")
