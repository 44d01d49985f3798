"""The forecasting model choice, bands and error measures on series with known answers."""
import numpy as np
import pytest

from ecom_ai_plugin.ml.insights.forecast import (
    average_demand_interval,
    baseline,
    forecast_many,
    forecast_series,
    is_intermittent,
    mase,
    poisson_band,
    smape,
)
from tests.conftest import requires_statsforecast

pytestmark = requires_statsforecast


def test_syntetos_boylan_classification():
    assert average_demand_interval(np.array([1, 0, 0, 1.0])) == 2
    assert average_demand_interval(np.zeros(5)) == float("inf")
    assert is_intermittent(np.array([0, 0, 2, 0, 1, 0.0]))
    assert not is_intermittent(np.array([3, 4, 0, 5, 6, 2.0]))


def test_a_steady_seller_gets_ets_with_a_band_around_its_level():
    rng = np.random.default_rng(1)
    y = rng.poisson(20, size=80).astype(float)
    forecast = forecast_series(y, 8, level=80)
    assert forecast.method == "AutoETS"
    assert np.all(np.abs(forecast.mean - 20) < 4)
    assert np.all(forecast.low < forecast.mean) and np.all(forecast.mean < forecast.high)


def test_a_slow_seller_gets_adida_and_a_poisson_band():
    rng = np.random.default_rng(2)
    y = (rng.random(80) < 0.15).astype(float)
    forecast = forecast_series(y, 4)
    assert forecast.method == "ADIDA"
    assert 0.05 < forecast.mean[0] < 0.4
    assert np.all(forecast.low == 0) and np.all(forecast.high >= 1)


def test_too_little_history_gets_the_mean_and_nothing_is_negative():
    assert forecast_series(np.array([0, 0, 3.0]), 2).method == "mean"
    falling = np.array([50, 40, 30, 20, 12, 6, 2, 1, 0, 0, 0, 0.0])
    assert np.all(forecast_series(falling, 8).mean >= 0)


def test_forecast_many_reports_progress_and_keeps_keys():
    seen = []
    result = forecast_many({"a": np.ones(10), "b": np.arange(10.0)}, 3, progress=lambda done, total: seen.append((done, total)))
    assert set(result) == {"a", "b"} and seen[-1] == (2, 2)


def test_error_measures():
    train = np.array([1, 3, 1, 3.0])  # naive MAE 2
    assert mase(np.array([2, 2.0]), np.array([1, 3.0]), train) == pytest.approx(0.5)
    assert mase(np.array([2.0]), np.array([1.0]), np.array([5, 5.0])) is None
    assert smape(np.array([0, 0.0]), np.array([0, 0.0])) == 0
    assert smape(np.array([1.0]), np.array([3.0])) == pytest.approx(1.0)
    low, high = poisson_band(np.array([0.0, 4.0]), 80)
    assert list(low) == [0, 2] and list(high) == [0, 7]


def test_baselines():
    y = np.arange(60.0)
    assert list(baseline("naive", y, 2)) == [59, 59]
    assert list(baseline("seasonal_naive", y, 2)) == [8, 9]
    with pytest.raises(ValueError, match="52 weeks"):
        baseline("seasonal_naive", y[:20], 2)
    with pytest.raises(ValueError):
        baseline("drift", y, 2)
