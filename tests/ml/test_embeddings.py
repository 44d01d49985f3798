"""Embedding review sentences: each distinct sentence once per process, the same vectors as a plain call."""
import numpy as np

from ecom_ai_plugin.ml import embeddings, registry
from tests.conftest import requires_models

pytestmark = requires_models


class Counting:
    """The real sentence model, counting the texts it is given."""

    def __init__(self, model):
        self.model = model
        self.texts = []

    def __getattr__(self, name):
        return getattr(self.model, name)

    def encode(self, texts, **kwargs):
        self.texts += list(texts)
        return self.model.encode(texts, **kwargs)


def test_sentences_repeated_across_calls_are_embedded_once(monkeypatch):
    real = registry.get_model("embeddings")
    embedder = embeddings.Embedder(Counting(real.model), real.name)
    first = embedder.embed_sentences(["Great value for money.", "Arrived late.", "Great value for money."])
    second = embedder.embed_sentences(["Arrived late.", "Terrible."])
    assert embedder.model.texts == ["Great value for money.", "Arrived late.", "Terrible."]
    np.testing.assert_allclose(first, real.embed(["Great value for money.", "Arrived late.", "Great value for money."]), atol=1e-5)
    np.testing.assert_allclose(second[0], first[1])
    monkeypatch.setattr(embeddings, "SENTENCE_CACHE_SIZE", 2)
    embedder.embed_sentences(["One more."])
    assert len(embedder._sentences) == 2 and embedder.embed_sentences([]).shape == (0, embedder.dimensions)


def test_threads_follow_the_setting():
    import torch

    from ecom_ai_plugin.ml.device import cpu_threads, set_cpu_threads

    before = torch.get_num_threads()
    try:
        set_cpu_threads(1)
        assert torch.get_num_threads() == 1
        set_cpu_threads("auto")
        assert torch.get_num_threads() == cpu_threads("auto")
    finally:
        torch.set_num_threads(before)
