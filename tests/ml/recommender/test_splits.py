import datetime

import numpy as np
import pytest

from ecom_ai_plugin.ml.recommender.data import build_log
from ecom_ai_plugin.ml.recommender.splits import leave_one_out


def rows():
    return [
        ("ann", "c", 30.0, 1.0),
        ("ann", "a", 10.0, 1.0),
        ("ann", "b", 20.0, 1.0),
        ("ann", "d", 40.0, 1.0),
        ("bob", "a", 5.0, 1.0),
        ("bob", "b", 5.0, 1.0),  # same second: arrival order decides
        ("bob", "c", 6.0, 1.0),
        ("cy", "a", 1.0, 1.0),
        ("cy", "b", 2.0, 1.0),  # two items only: trains, is not evaluated
    ]


def test_last_item_is_test_the_one_before_validation():
    log = build_log(rows())
    split = leave_one_out(log)
    keys = log.item_keys
    ann, bob, cy = (log.user_keys.index(k) for k in ("ann", "bob", "cy"))
    assert [keys[i] for i in split.train[ann]] == ["a", "b"]
    assert split.users.tolist() == [ann, bob]
    assert [keys[i] for i in split.valid_items] == ["c", "b"]
    assert [keys[i] for i in split.test_items] == ["d", "c"]
    assert [keys[i] for i in split.train[cy]] == ["a", "b"]
    assert [keys[i] for i in split.histories("test")[0]] == ["a", "b", "c"]
    assert [keys[i] for i in split.histories("valid")[1]] == ["a"]


def test_ties_are_broken_by_arrival_order_deterministically():
    first = leave_one_out(build_log(rows()))
    again = leave_one_out(build_log(rows()))
    assert all(np.array_equal(a, b) for a, b in zip(first.train, again.train))
    assert np.array_equal(first.test_items, again.test_items)


def test_repeats_are_dropped_and_datetimes_accepted():
    t = datetime.datetime(2025, 1, 1, tzinfo=datetime.UTC)
    day = datetime.timedelta(days=1)
    log = build_log([("ann", "a", t, 5.0), ("ann", "b", t + day, 5.0), ("ann", "a", t + 2 * day, 5.0)])
    assert [log.item_keys[i] for i in log.sequences[0]] == ["a", "b"]
    assert log.weights[0].tolist() == [10.0, 5.0]
    assert log.timestamps[0][0] == t.timestamp()
    assert len(build_log([("ann", "a", 1.0, 1.0), ("ann", "a", 2.0, 1.0)], repeats=True).sequences[0]) == 2


def test_too_few_interactions_is_a_clear_error():
    with pytest.raises(ValueError, match="Too few interactions"):
        leave_one_out(build_log([("ann", "a", 1.0, 1.0), ("ann", "b", 2.0, 1.0)]))
    with pytest.raises(ValueError, match="at least 3"):
        leave_one_out(build_log(rows()), min_length=2)
