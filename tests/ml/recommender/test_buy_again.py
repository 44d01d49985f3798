"""Buy it again: repeat behaviour learned per item and category, customers' own items ranked by how due they are."""
import numpy as np
import pytest

from ecom_ai_plugin.ml.recommender.buy_again import DAY, BuyAgain

FILTERS, BEANS, GRINDER, KETTLE = 0, 1, 2, 3
CATEGORIES = ["Coffee", "Coffee", "Kitchen", "Kitchen"]


def customer(*purchases):
    """(item, day) pairs, in time order."""
    items = np.array([item for item, _ in purchases], dtype=np.int64)
    times = np.array([day * DAY for _, day in purchases], dtype=np.float64)
    return items, times


def shop():
    customers = [
        # monthly filters, beans every two weeks, one grinder
        customer((GRINDER, 0), (FILTERS, 1), (BEANS, 1), (BEANS, 15), (FILTERS, 31), (BEANS, 29), (BEANS, 43), (FILTERS, 61)),
        customer((FILTERS, 3), (BEANS, 3), (FILTERS, 33), (BEANS, 17), (FILTERS, 64), (GRINDER, 10)),
        customer((FILTERS, 5), (FILTERS, 36), (KETTLE, 6), (BEANS, 6), (BEANS, 20)),
        customer((GRINDER, 2), (KETTLE, 2)),
        customer((KETTLE, 4),),
    ]
    for row in customers:  # time order, as the loader gives them
        order = np.argsort(row[1], kind="stable")
        row[0][:], row[1][:] = row[0][order], row[1][order]
    model = BuyAgain(4, categories=CATEGORIES, min_buyers=2)
    return model.fit([c[0] for c in customers], [c[1] for c in customers])


def test_repeat_items_and_their_intervals_are_learned_from_the_data():
    model = shop()
    assert model.repeatable.tolist() == [True, True, False, False]
    assert model.interval_days[FILTERS] == pytest.approx(30.5, abs=1)
    assert model.interval_days[BEANS] == pytest.approx(14, abs=1)
    assert model.repeat_categories_learned() == ["Coffee"]


def test_a_customers_own_items_are_ranked_by_how_due_they_are():
    model = shop()
    first = model.occasions[0]
    # 30 days after the last packet of filters, 28 after the last beans: filters are due, beans overdue
    due_filters = model.rank(first, now=91 * DAY)
    assert [r.item for r in due_filters] == [FILTERS, BEANS]
    assert due_filters[0].occasions == 3 and due_filters[0].days_since == pytest.approx(30)
    # two weeks after the beans and a day after the filters: beans first; the grinder never
    due_beans = model.rank(first, now=57 * DAY)
    assert [r.item for r in due_beans][0] == BEANS and GRINDER not in [r.item for r in due_beans]
    # nothing bought after ``now`` counts
    assert model.rank(first, now=0.5 * DAY) == []


def test_settings_force_categories_in_and_out():
    model = shop()
    forced = BuyAgain(4, categories=CATEGORIES, min_buyers=2, repeat_categories=["Kitchen"], non_repeat_categories=["Coffee"])
    forced.fit([np.array(list(o), dtype=np.int64) for o in [[GRINDER]]], [np.array([0.0])])
    assert forced.repeatable.tolist() == [False, False, True, True]
    assert model.repeatable[GRINDER] is np.False_


def test_scores_cover_every_item_and_stored_profiles_rank_alike():
    model = shop()
    scores = model.score([0, 3], [91 * DAY, 91 * DAY])
    assert scores.shape == (2, 4) and scores[0, FILTERS] > scores[0, BEANS] > 0 and not scores[1].any()
    keys = ["f", "b", "g", "k"]
    restored, restored_keys = BuyAgain.from_profiles(model.item_profiles(keys))
    index = {key: i for i, key in enumerate(restored_keys)}
    occasions = {index[keys[item]]: times for item, times in model.occasions[0].items()}
    assert [restored_keys[r.item] for r in restored.rank(occasions, 91 * DAY)] == ["f", "b"]


def test_bad_settings_are_refused():
    with pytest.raises(ValueError):
        BuyAgain(2, min_repeat_share=0)
    with pytest.raises(ValueError):
        BuyAgain(2, categories=["a"])


def test_purchases_further_apart_than_the_longest_routine_are_not_one():
    items, times = customer((GRINDER, 0), (GRINDER, 200), (FILTERS, 0), (FILTERS, 30), (FILTERS, 60))
    order = np.argsort(times, kind="stable")
    sequences, stamps = [items[order]] * 3, [times[order]] * 3
    learned = BuyAgain(4, categories=CATEGORIES).fit(sequences, stamps)
    assert learned.repeatable[FILTERS] and not learned.repeatable[GRINDER]
    assert BuyAgain(4, categories=CATEGORIES, max_interval_days=None).fit(sequences, stamps).repeatable[GRINDER]
