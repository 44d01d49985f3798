"""Weekly demand forecasts with statsforecast, batched over every series of a shop.

Which model a series gets depends on how it sells (Syntetos and Boylan's
rule): a series that sells in fewer than three weeks of four (average
demand interval above 1.32) is *intermittent* and gets ADIDA, which
forecasts a rate by aggregating the series over its mean interval; the rest
are *smooth* and get AutoETS. Both beat seasonal-naive and naive on the
holdout weeks of the CDNOW transactions and of the demo shop
(``manage.py ecom_ai_evaluate forecast``). A 52-week season is not modelled:
AutoETS does not fit seasons longer than 24 periods, and a shop with less
than two years of history cannot estimate one (the evaluation keeps
seasonal-naive as the baseline to beat).

The band is AutoETS's prediction interval at ``level`` %; ADIDA has none,
so its band is the Poisson interval around the forecast rate, the usual
model for counts of rare sales.
"""
from __future__ import annotations

import math
import warnings
from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np

#: Average demand interval above which a series is intermittent (Syntetos & Boylan, 2005).
INTERMITTENT_ADI = 1.32
SMOOTH_METHOD = "AutoETS"
INTERMITTENT_METHOD = "ADIDA"
#: Series with fewer sales weeks than this get their mean rate.
MIN_SALES_WEEKS = 2


@dataclass(frozen=True)
class Forecast:
    method: str
    mean: np.ndarray
    low: np.ndarray
    high: np.ndarray


def average_demand_interval(y: np.ndarray) -> float:
    """Weeks per sales week; ``inf`` for a series that never sold."""
    sold = int(np.count_nonzero(y > 0))
    return math.inf if sold == 0 else len(y) / sold


def is_intermittent(y: np.ndarray) -> bool:
    return average_demand_interval(y) > INTERMITTENT_ADI


def poisson_band(mean: np.ndarray, level: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.stats import poisson

    tail = (1 - level / 100) / 2
    rate = np.maximum(mean, 0)
    low = np.where(rate > 0, poisson.ppf(tail, rate), 0.0)
    high = np.where(rate > 0, poisson.ppf(1 - tail, rate), 0.0)
    return low.astype(float), high.astype(float)


def _clip(forecast: Forecast) -> Forecast:
    """Demand is never negative."""
    return Forecast(forecast.method, np.maximum(forecast.mean, 0), np.maximum(forecast.low, 0), np.maximum(forecast.high, 0))


def _models() -> dict[str, object]:
    from statsforecast.models import ADIDA, AutoETS

    return {INTERMITTENT_METHOD: ADIDA(), SMOOTH_METHOD: AutoETS(season_length=1)}


def forecast_series(y: np.ndarray, horizon: int, level: int = 80, models: dict[str, object] | None = None) -> Forecast:
    """One series' forecast with the model its sales pattern calls for."""
    models = models or _models()
    y = np.asarray(y, dtype=float)
    if np.count_nonzero(y > 0) < MIN_SALES_WEEKS:
        mean = np.full(horizon, float(y.mean()) if len(y) else 0.0)
        return _clip(Forecast("mean", mean, *poisson_band(mean, level)))
    if is_intermittent(y):
        mean = models[INTERMITTENT_METHOD].forecast(y=y, h=horizon)["mean"]
        return _clip(Forecast(INTERMITTENT_METHOD, mean, *poisson_band(mean, level)))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            result = models[SMOOTH_METHOD].forecast(y=y, h=horizon, level=[level])
        except Exception:  # a series ETS cannot fit (constant, too short): its mean rate
            mean = np.full(horizon, float(y[-8:].mean()))
            return _clip(Forecast("mean", mean, *poisson_band(mean, level)))
    return _clip(Forecast(SMOOTH_METHOD, result["mean"], result[f"lo-{level}"], result[f"hi-{level}"]))


def forecast_many(
    series: Mapping[str, np.ndarray],
    horizon: int,
    level: int = 80,
    progress: Callable[[int, int], None] | None = None,
) -> dict[str, Forecast]:
    """Forecasts of every series, in one process: the model classes are built once and reused."""
    results: dict[str, Forecast] = {}
    total = len(series)
    models = _models()
    for done, (key, y) in enumerate(series.items(), 1):
        results[key] = forecast_series(y, horizon, level, models)
        if progress and (done % 200 == 0 or done == total):
            progress(done, total)
    return results


# -- accuracy ----------------------------------------------------------------------


def mase(actual: np.ndarray, forecast: np.ndarray, train: np.ndarray) -> float | None:
    """Mean absolute scaled error: the forecast's MAE over the in-sample one-step naive MAE.

    ``None`` for a training series that never changed (no scale).
    """
    scale = float(np.mean(np.abs(np.diff(train)))) if len(train) > 1 else 0.0
    if scale == 0:
        return None
    return float(np.mean(np.abs(np.asarray(actual) - np.asarray(forecast))) / scale)


def smape(actual: np.ndarray, forecast: np.ndarray) -> float:
    """Symmetric MAPE in [0, 2]; a week where both are zero counts as a perfect forecast."""
    actual, forecast = np.asarray(actual, dtype=float), np.asarray(forecast, dtype=float)
    denominator = np.abs(actual) + np.abs(forecast)
    terms = np.where(denominator == 0, 0.0, 2 * np.abs(actual - forecast) / np.where(denominator == 0, 1, denominator))
    return float(np.mean(terms))


def baseline(name: str, train: np.ndarray, horizon: int, season_length: int = 52) -> np.ndarray:
    """The forecasts to beat: ``naive`` (last week again) and ``seasonal_naive`` (the same week last season)."""
    from statsforecast.models import Naive, SeasonalNaive

    if name == "naive":
        return Naive().forecast(y=train, h=horizon)["mean"]
    if name == "seasonal_naive":
        if len(train) < season_length:
            raise ValueError(f"Seasonal-naive needs {season_length} weeks of history; the series has {len(train)}.")
        return SeasonalNaive(season_length=season_length).forecast(y=train, h=horizon)["mean"]
    raise ValueError(f"Unknown baseline {name!r}")
