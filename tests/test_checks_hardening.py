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


def test_e081_a_heartbeat_must_fit_a_lease_twice():
    assert "ecom_ai_plugin.E081" in ids(JOB_LEASE_SECONDS=10, JOB_HEARTBEAT_SECONDS=8)
    assert "ecom_ai_plugin.W081" in ids(JOB_LEASE_SECONDS=10, JOB_HEARTBEAT_SECONDS=2, SWEEP_INTERVAL_SECONDS=60)
    assert not {"ecom_ai_plugin.E081", "ecom_ai_plugin.W081"} & ids(JOB_LEASE_SECONDS=45, JOB_HEARTBEAT_SECONDS=10, SWEEP_INTERVAL_SECONDS=15)
    assert "ecom_ai_plugin.E003" in ids(JOB_HEARTBEAT_SECONDS=0)


@pytest.mark.parametrize("values", [{"BROKER_TIMEOUT_SECONDS": 0}, {"BROKER_TIMEOUT_SECONDS": 60}, {"BROKER_RETRY_SECONDS": -1}])
def test_e082_broker_bounds(values):
    assert "ecom_ai_plugin.E082" in ids(**values)


def test_e082_accepts_fractions_and_e003_refuses_text():
    assert "ecom_ai_plugin.E082" not in ids(BROKER_TIMEOUT_SECONDS=0.1, BROKER_RETRY_SECONDS=0)
    assert "ecom_ai_plugin.E003" in ids(BROKER_TIMEOUT_SECONDS="fast")


@pytest.mark.parametrize(
    "storefront",
    [{"BOT_USER_AGENTS": "bot"}, {"BOT_USER_AGENTS": ["bot", ""]}, {"EVENTS_PER_MINUTE_PER_ADDRESS": 0}, {"VISITOR_REFRESH_LIMIT": "all"}],
)
def test_e083_anonymous_traffic_settings(storefront):
    assert "ecom_ai_plugin.E083" in ids(STOREFRONT=storefront)


def test_e083_accepts_an_empty_bot_list():
    assert "ecom_ai_plugin.E083" not in ids(STOREFRONT={"BOT_USER_AGENTS": [], "VISITOR_REFRESH_LIMIT": 10})
