"""Blend weights: chosen on validation, never below popularity there, the best strategy alone where blending does not hold up."""
import numpy as np

from ecom_ai_plugin.ml.recommender.protocols import Stage, events_from_rows, hold_out, per_customer_ndcg
from ecom_ai_plugin.ml.recommender.strategies import blend_scores, choose_weights, compare, fit_strategies, top_items


def test_the_blend_is_never_below_popularity_on_validation():
    from ecom_ai_plugin.evaluation.grocery import generate

    shop = generate(products=400, customers=80, purchases=4000, seed=3)
    events = events_from_rows(shop.purchases)
    category = dict(zip(shop.product_keys, shop.categories))
    for protocol in ("leave-one-out", "next-basket"):
        held = hold_out(events, protocol)
        scorers, _ = fit_strategies(held, categories=[category[key] for key in events.item_keys], sequential=None)
        figures = compare(held, scorers)["strategies"]
        for prefix in ("", "new_items_"):
            assert figures["blend"][f"{prefix}valid_ndcg_at_10"] >= figures["popularity"][f"{prefix}valid_ndcg_at_10"], (protocol, prefix)


def stage_of(targets):
    n = len(targets)
    return Stage(np.arange(n), [np.zeros(0, dtype=np.int64)] * n, [np.zeros(0)] * n, np.zeros(n), [np.array([t]) for t in targets])


def test_noise_gets_no_weight_the_best_strategy_is_served_alone():
    rng = np.random.default_rng(0)
    n_items, customers = 60, 300
    targets = rng.integers(n_items, size=customers)
    good = rng.random((customers, n_items))
    knows = rng.random(customers) < 0.6
    good[knows, targets[knows]] = 2.0  # right for 60 % of customers
    noise = rng.random((customers, n_items))
    stage = stage_of(targets)
    tops = {name: top_items(scores, stage.histories, new_only=False) for name, scores in (("good", good), ("noise", noise))}
    valid = {name: float(np.nanmean(per_customer_ndcg(s, stage.histories, stage.targets, new_only=False)[0])) for name, s in (("good", good), ("noise", noise))}
    assert choose_weights(tops, ["good", "noise"], valid, stage, n_items, new_only=False) == {"good": 1.0, "noise": 0.0}


def test_two_strategies_that_each_know_half_the_customers_are_blended():
    rng = np.random.default_rng(1)
    n_items, customers = 60, 300
    targets = rng.integers(n_items, size=customers)
    first, second = rng.random((customers, n_items)), rng.random((customers, n_items))
    half = np.arange(customers) % 2 == 0
    first[half, targets[half]] = 2.0
    second[~half, targets[~half]] = 2.0
    stage = stage_of(targets)
    tops = {name: top_items(scores, stage.histories, new_only=False) for name, scores in (("first", first), ("second", second))}
    valid = {"first": 0.5, "second": 0.5}
    weights = choose_weights(tops, ["first", "second"], valid, stage, n_items, new_only=False)
    assert weights["first"] > 0 and weights["second"] > 0
    blended = per_customer_ndcg(blend_scores(tops, weights, n_items), stage.histories, stage.targets, new_only=False)[0]
    alone = [np.nanmean(per_customer_ndcg(s, stage.histories, stage.targets, new_only=False)[0]) for s in (first, second)]
    assert np.nanmean(blended) > max(alone) + 0.05


def test_a_blend_of_one_strategy_with_tied_scores_scores_what_the_strategy_does():
    rng = np.random.default_rng(1)
    customers, n_items = 200, 300
    counts = rng.integers(1, 6, size=n_items).astype(float)  # popularity: many items equally popular
    scores = np.tile(counts, (customers, 1))
    stage = stage_of(rng.integers(n_items, size=customers))
    for new_only in (False, True):
        own = per_customer_ndcg(scores, stage.histories, stage.targets, new_only=new_only)[0]
        blended = blend_scores({"popularity": top_items(scores, stage.histories, new_only=new_only)}, {"popularity": 1.0}, n_items)
        assert np.array_equal(per_customer_ndcg(blended, stage.histories, stage.targets, new_only=new_only)[0], own)
