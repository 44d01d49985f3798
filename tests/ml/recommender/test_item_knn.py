import numpy as np
import pytest

pytest.importorskip("scipy")

from ecom_ai_plugin.ml.recommender.data import build_log  # noqa: E402
from ecom_ai_plugin.ml.recommender.item_knn import ItemKNN, tune_item_knn  # noqa: E402
from ecom_ai_plugin.ml.recommender.splits import leave_one_out  # noqa: E402


def test_cosine_similarity_by_hand():
    # customers: {0,1}, {0,1}, {0,2}: items 0 and 1 share 2 customers, 0 and 2 share 1
    model = ItemKNN(3, neighbours=5, shrink=0.0).fit([np.array([0, 1]), np.array([0, 1]), np.array([0, 2])])
    sim = model.similarity.toarray()
    assert sim[0, 1] == pytest.approx(2 / np.sqrt(3 * 2))
    assert sim[0, 2] == pytest.approx(1 / np.sqrt(3 * 1))
    assert sim[1, 2] == 0.0 and sim[0, 0] == 0.0
    shrunk = ItemKNN(3, neighbours=5, shrink=10.0).fit([np.array([0, 1]), np.array([0, 1]), np.array([0, 2])])
    assert shrunk.similarity.toarray()[0, 1] == pytest.approx(2 / (np.sqrt(6) + 10))
    scores = model.score([np.array([1])])
    assert scores.shape == (1, 3) and scores[0].argmax() == 0


def test_neighbourhood_is_pruned():
    model = ItemKNN(3, neighbours=1, shrink=0.0).fit([np.array([0, 1]), np.array([0, 1]), np.array([0, 2])])
    assert model.similarity.getrow(0).nnz == 1  # only its nearest, item 1


def test_tuning_picks_the_best_validation_point():
    rng = np.random.default_rng(0)
    rows = []
    for customer in range(60):  # two groups of customers with disjoint tastes
        items = rng.permutation(10)[:6] + (10 if customer % 2 else 0)
        rows += [(str(customer), str(item), float(t), 1.0) for t, item in enumerate(items)]
    split = leave_one_out(build_log(rows))
    model, figures = tune_item_knn(split, neighbours_grid=(1, 20), shrink_grid=(0.0, 5.0))
    assert figures["neighbours"] in (1, 20) and figures["shrink"] in (0.0, 5.0)
    assert figures["hr_at_10"] > 0.5  # a group's items are always ranked above the other's
