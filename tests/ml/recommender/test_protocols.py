"""Held-out protocols: the last purchase or the last order, repeats allowed or new items only; the blend chosen on validation."""
import numpy as np
import pytest

from ecom_ai_plugin.ml.recommender.protocols import bootstrap_interval, events_from_rows, hold_out, per_customer_ndcg
from ecom_ai_plugin.ml.recommender.strategies import compare, fit_strategies

DAY = 86400.0


def orders(customer, *baskets):
    """Rows for one customer's orders, one a week."""
    return [(customer, product, week * 7 * DAY) for week, basket in enumerate(baskets) for product in basket]


def test_next_basket_holds_out_the_last_two_orders_and_leave_one_out_the_last_two_purchases():
    events = events_from_rows(orders("a", ["milk", "bread"], ["milk", "eggs"], ["milk", "jam"]) + orders("b", ["milk"], ["tea"]))
    basket = hold_out(events, "next-basket")
    index = {key: i for i, key in enumerate(events.item_keys)}
    assert basket.test.users.tolist() == [0]  # b has two orders: trained on, not evaluated
    assert set(basket.test.targets[0]) == {index["milk"], index["jam"]}
    assert set(basket.valid.targets[0]) == {index["milk"], index["eggs"]}
    assert len(basket.train_items[0]) == 2 and len(basket.test.histories[0]) == 4
    single = hold_out(events, "leave-one-out")
    assert len(single.test.targets[0]) == 1 and len(single.test.histories[0]) == 5
    with pytest.raises(ValueError):
        hold_out(events_from_rows(orders("c", ["milk"], ["tea"])), "next-basket")


def test_repeats_allowed_counts_what_was_bought_before_and_new_items_only_does_not():
    scores = np.array([[3.0, 2.0, 1.0, 0.0]])
    history, targets = [np.array([0])], [np.array([0, 2])]
    ndcg, hits = per_customer_ndcg(scores, history, targets, new_only=False)
    assert ndcg[0] == pytest.approx((1 + 1 / np.log2(4)) / (1 + 1 / np.log2(3)))
    ndcg, hits = per_customer_ndcg(scores, history, targets, new_only=True)
    assert ndcg[0] == pytest.approx(1 / np.log2(3)) and hits[0] == 1  # item 0 excluded: item 2 ranks second
    ndcg, _ = per_customer_ndcg(scores, history, [np.array([0])], new_only=True)
    assert np.isnan(ndcg[0]), "nothing new to find: the customer does not count"


def test_a_shop_of_regulars_is_served_buy_again_and_the_blend_never_loses_to_its_best_strategy():
    rng = np.random.default_rng(0)
    rows = []
    for c in range(40):
        staples = [f"s{(c + k) % 12}" for k in range(3)]
        for week in range(8):
            basket = staples + [f"n{rng.integers(60)}"]
            rows += [(f"c{c}", product, week * 7 * DAY + c) for product in basket]
    events = events_from_rows(sorted(rows, key=lambda row: row[2]))
    held = hold_out(events, "next-basket")
    scorers, seconds = fit_strategies(held, sequential=None)
    assert set(scorers) == {"popularity", "item_knn", "copurchase", "buy_again"} and set(seconds) == set(scorers)
    result = compare(held, scorers)
    figures, blend = result["strategies"], result["blend"]
    assert figures["buy_again"]["ndcg_at_10"] > 0.8 and figures["buy_again"]["ndcg_at_10"] > figures["popularity"]["ndcg_at_10"] + 0.1
    assert blend["repeats"]["best_single"] == "buy_again" and "buy_again" in blend["repeats"]["weights"]
    for mode, prefix in (("repeats", ""), ("new_items", "new_items_")):
        assert blend[mode]["within_noise"]
        assert set(blend[mode]["weights"]) <= set(blend[mode]["allowed"])
        # a strategy that lost to popularity on validation is never in the blend
        for name in blend[mode]["weights"]:
            assert figures[name][f"{prefix}valid_ndcg_at_10"] >= figures["popularity"][f"{prefix}valid_ndcg_at_10"]


def test_the_bootstrap_interval_brackets_the_mean():
    low, high = bootstrap_interval(np.array([0.1, 0.2, 0.3, np.nan, 0.2]))
    assert low <= 0.2 <= high and bootstrap_interval(np.array([np.nan])) == (0.0, 0.0)
