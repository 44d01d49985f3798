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


def dense_item_knn(sequences, n_items, neighbours, shrink):
    """The textbook computation on a dense items × items matrix, for comparison."""
    matrix = np.zeros((len(sequences), n_items))
    for row, items in enumerate(sequences):
        matrix[row, items] = 1.0
    counts = matrix.T @ matrix
    norms = np.sqrt(matrix.sum(axis=0))
    similarity = counts / (norms[:, None] * norms[None, :] + shrink + 1e-12)
    np.fill_diagonal(similarity, 0.0)
    pruned = np.zeros_like(similarity)
    for item in range(n_items):
        order = np.lexsort((np.arange(n_items), -similarity[item]))[:neighbours]
        pruned[item, order] = similarity[item, order]
    return pruned


@pytest.mark.parametrize(("neighbours", "shrink"), [(3, 0.0), (5, 2.0), (100, 10.0)])
def test_sparse_similarities_equal_the_dense_computation(neighbours, shrink):
    rng = np.random.default_rng(1)
    n_items = 40
    sequences = [rng.choice(n_items, size=rng.integers(1, 12), replace=False) for _ in range(80)]
    model = ItemKNN(n_items, neighbours=neighbours, shrink=shrink).fit(sequences)
    np.testing.assert_allclose(model.similarity.toarray(), dense_item_knn(sequences, n_items, neighbours, shrink), rtol=1e-6, atol=1e-7)
    histories = sequences[:5]
    np.testing.assert_allclose(model.score(histories), np.stack([dense_item_knn(sequences, n_items, neighbours, shrink)[h].sum(axis=0) for h in histories]), rtol=1e-5)


def test_a_ten_thousand_item_catalog_stays_sparse():
    rng = np.random.default_rng(0)
    n_items = 10_000
    sequences = [rng.choice(n_items, size=150, replace=False) for _ in range(500)]
    model = ItemKNN(n_items, neighbours=50, shrink=10.0).fit(sequences)
    assert model.similarity.shape == (n_items, n_items)
    assert model.similarity.nnz <= n_items * 50
    assert model.similarity.getnnz(axis=1).max() <= 50
