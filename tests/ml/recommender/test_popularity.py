import numpy as np
import pytest

from ecom_ai_plugin.ml.recommender.popularity import SECONDS_PER_DAY, Popularity


def test_plain_counts():
    model = Popularity(4).fit([np.array([0, 1]), np.array([1, 2]), np.array([1])])
    assert model.scores.tolist() == [1.0, 3.0, 1.0, 0.0]
    assert model.top(3).tolist() == [1, 0, 2]
    assert model.top(3, exclude=[1]).tolist() == [0, 2]  # item 3 has no interactions: never listed
    assert model.score([np.array([0]), np.array([])]).shape == (2, 4)


def test_decay_halves_an_interaction_every_half_life():
    day = SECONDS_PER_DAY
    sequences = [np.array([0]), np.array([1, 1])]
    stamps = [np.array([10 * day]), np.array([0.0, 0.0])]
    model = Popularity(2, half_life_days=10).fit(sequences, stamps)
    # item 0: one fresh interaction; item 1: two, ten days old
    assert model.scores.tolist() == pytest.approx([1.0, 1.0])
    assert model.top(1).tolist() == [0]  # equal scores: the lower index first
    weighted = Popularity(2, half_life_days=10, use_weights=True).fit(sequences, stamps, [np.array([5.0]), np.array([1.0, 1.0])])
    assert weighted.scores.tolist() == pytest.approx([5.0, 1.0])


def test_clear_errors():
    with pytest.raises(ValueError, match="positive"):
        Popularity(2, half_life_days=0)
    with pytest.raises(ValueError, match="timestamps"):
        Popularity(2, half_life_days=1).fit([np.array([0])])
    with pytest.raises(ValueError, match="No interactions"):
        Popularity(2).fit([np.array([], dtype=np.int64)])
