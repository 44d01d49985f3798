"""System checks of the limits that keep bad input, dead brokers and anonymous traffic harmless (E080–E089)."""
import pytest

from tests.test_checks import ids


@pytest.mark.parametrize(
    "api",
    [{"MAX_BODY_BYTES": 100}, {"MAX_BODY_BYTES": "64k"}, {"MAX_JSON_DEPTH": 0}, {"MAX_JSON_DEPTH": 5000}, {"MAX_DEPTH": 10}],
)
def test_e080_api_body_limits(api):
    assert "ecom_ai_plugin.E080" in ids(API=api)


def test_e080_accepts_the_defaults_and_other_sensible_limits():
    assert "ecom_ai_plugin.E080" not in ids()
    assert "ecom_ai_plugin.E080" not in ids(API={"MAX_BODY_BYTES": 1024 * 1024, "MAX_JSON_DEPTH": 8})
