import numpy as np
import pytest

from ecom_ai_plugin.ml.recommender.content import ContentSimilarity


def vectors():
    return np.array([
        [1.0, 0.0, 0.0],
        [0.9, 0.1, 0.0],
        [0.0, 1.0, 0.0],
        [0.0, 0.0, 0.0],  # a product without text
        [0.0, 0.8, 0.2],
    ], dtype=np.float32)


def test_nearest_neighbours_by_cosine():
    indices, similarities = ContentSimilarity(vectors()).neighbours(k=2)
    assert indices[0].tolist() == [1, 2]
    assert similarities[0, 0] == pytest.approx(0.9 / np.sqrt(0.82))
    assert indices[2].tolist() == [4, 1]
    assert indices[3].tolist() == [-1, -1] and similarities[3].tolist() == [0.0, 0.0]
    assert 3 not in indices  # never recommended: nothing is known about it


def test_fewer_items_than_k_pads():
    indices, similarities = ContentSimilarity(vectors()[:2]).neighbours(k=3)
    assert indices.tolist() == [[1, -1, -1], [0, -1, -1]]
    assert similarities[0, 1:].tolist() == [0.0, 0.0]


def test_history_scores_and_errors():
    model = ContentSimilarity(vectors())
    scores = model.score([np.array([0]), np.array([], dtype=np.int64)])
    assert scores.shape == (2, 5)
    assert scores[0].argsort()[::-1][:2].tolist() == [0, 1]
    assert not scores[1].any()
    with pytest.raises(ValueError, match="matrix"):
        ContentSimilarity(np.zeros(3))
