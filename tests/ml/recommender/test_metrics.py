import numpy as np
import pytest

from ecom_ai_plugin.ml.recommender.metrics import MISSED, evaluate, hit_rate, ndcg, target_ranks


def test_ranks_exclude_seen_items_and_break_ties_by_index():
    scores = np.array([
        [0.9, 0.8, 0.7, 0.6, 0.5],  # item 0 seen: target 2 moves from rank 2 to 1
        [0.1, 0.5, 0.5, 0.5, 0.0],  # ties: the lower index ranks first
    ])
    ranks = target_ranks(scores, np.array([2, 3]), [np.array([0]), np.array([], dtype=np.int64)])
    assert ranks.tolist() == [1, 2]


def test_a_seen_target_is_a_miss():
    ranks = target_ranks(np.array([[1.0, 0.0, 0.0]]), np.array([0]), [np.array([0])])
    assert ranks[0] == MISSED
    assert hit_rate(ranks, 10) == 0.0 and ndcg(ranks, 10) == 0.0


def test_hit_rate_and_ndcg_by_hand():
    ranks = np.array([0, 1, 9, 10])
    assert hit_rate(ranks, 10) == pytest.approx(3 / 4)
    expected = (1.0 + 1 / np.log2(3) + 1 / np.log2(11) + 0.0) / 4
    assert ndcg(ranks, 10) == pytest.approx(expected)
    assert hit_rate(ranks, 1) == pytest.approx(1 / 4)
    assert ndcg(np.array([], dtype=np.int64), 10) == 0.0


def test_evaluate_in_batches_equals_one_batch():
    rng = np.random.default_rng(0)
    scores = rng.random((50, 30))
    histories = [rng.choice(30, size=rng.integers(0, 5), replace=False) for _ in range(50)]
    targets = np.array([rng.choice(np.setdiff1d(np.arange(30), h)) for h in histories])
    lookup = {id(h): row for row, h in enumerate(histories)}

    def score(batch):
        return scores[[lookup[id(h)] for h in batch]]

    assert evaluate(score, histories, targets, batch_size=7) == evaluate(score, histories, targets, batch_size=500)


def test_a_perfect_model_scores_one():
    histories = [np.array([0]), np.array([1, 2])]
    targets = np.array([3, 4])

    def oracle(batch):
        out = np.zeros((len(batch), 5))
        for row, h in enumerate(batch):
            out[row, 3 if len(h) == 1 else 4] = 1.0
        return out

    assert evaluate(oracle, histories, targets) == {"hr_at_10": 1.0, "ndcg_at_10": 1.0}
