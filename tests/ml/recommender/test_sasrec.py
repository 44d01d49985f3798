import numpy as np
import pytest

from tests.conftest import requires_models

pytestmark = requires_models

N_ITEMS = 20


@pytest.fixture
def successor_split():
    """Item i is always followed by i + 1 (mod N): a pattern only a sequence model can see."""
    from ecom_ai_plugin.ml.recommender.data import build_log
    from ecom_ai_plugin.ml.recommender.splits import leave_one_out

    rng = np.random.default_rng(0)
    rows = []
    for customer in range(120):
        start, length = rng.integers(N_ITEMS), rng.integers(5, 10)
        rows += [(str(customer), str((start + t) % N_ITEMS), float(t), 1.0) for t in range(length)]
    # every item key appears first in order 0..N-1, so keys and indices line up
    rows = [("seed", str(i), -1.0, 1.0) for i in range(N_ITEMS)] + rows
    return leave_one_out(build_log(rows))


def tiny_config(**overrides):
    from ecom_ai_plugin.ml.recommender.sasrec import SASRecConfig

    return SASRecConfig(**{"n_items": N_ITEMS, "max_len": 12, "hidden": 32, "blocks": 1, "heads": 2, "dropout": 0.1, **overrides})


def test_learns_the_successor_pattern_a_random_model_cannot(successor_split):
    from ecom_ai_plugin.ml.recommender.metrics import evaluate
    from ecom_ai_plugin.ml.recommender.sasrec import SASRec, SASRecRecommender
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    split = successor_split
    test = split.histories("test")[1:], split.targets("test")[1:]  # skip the "seed" customer
    import torch

    torch.manual_seed(0)  # the untrained weights, whatever earlier tests drew
    untrained = evaluate(SASRecRecommender(SASRec(tiny_config())).score, *test, k=1)
    seen = []
    result = train_sasrec(
        split, tiny_config(), TrainingSettings(epochs=40, batch_size=32, learning_rate=1e-2, device="cpu", threads=1, max_seconds=30),
        progress=seen.append,
    )
    trained = evaluate(result.recommender.score, *test, k=1)
    assert trained["hr_at_1"] > 0.9, result.history[-1]
    assert untrained["hr_at_1"] < 0.3
    assert seen and seen[-1].epoch == result.epochs_run
    assert result.train_seconds > 0 and result.peak_memory_mb > 0
    history = np.array([3, 4, 5])
    assert result.recommender.recommend(history, k=1)[0][0] == 6
    assert all(item not in history for item, _ in result.recommender.recommend(history, k=N_ITEMS))


def test_save_and_load_round_trip(successor_split, tmp_path):
    from ecom_ai_plugin.ml.recommender.sasrec import SASRecRecommender
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    keys = [str(i) for i in range(N_ITEMS)]
    result = train_sasrec(successor_split, tiny_config(), TrainingSettings(epochs=2, device="cpu", max_seconds=None), item_keys=keys)
    histories = successor_split.histories("test")[:5]
    result.recommender.save(tmp_path / "model", metadata={"valid_ndcg_at_10": result.valid["ndcg_at_10"]})
    loaded = SASRecRecommender.load(tmp_path / "model")
    assert loaded.item_keys == keys
    assert loaded.metadata["valid_ndcg_at_10"] == result.valid["ndcg_at_10"]
    np.testing.assert_allclose(loaded.score(histories), result.recommender.score(histories), rtol=1e-5, atol=1e-5)
    with pytest.raises(FileNotFoundError, match="model.json"):
        SASRecRecommender.load(tmp_path / "nowhere")


def test_training_is_deterministic_for_a_seed(successor_split):
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    settings = TrainingSettings(epochs=2, device="cpu", max_seconds=None, seed=7)
    first = train_sasrec(successor_split, tiny_config(), settings)
    second = train_sasrec(successor_split, tiny_config(), settings)
    histories = successor_split.histories("test")[:5]
    np.testing.assert_allclose(first.recommender.score(histories), second.recommender.score(histories), rtol=1e-5, atol=1e-6)


def test_the_time_budget_stops_training_after_an_evaluated_epoch(successor_split):
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    result = train_sasrec(successor_split, tiny_config(), TrainingSettings(epochs=50, device="cpu", max_seconds=1e-3))
    assert (result.epochs_run, result.best_epoch, result.stopped_by) == (1, 1, "time")
    assert result.history[0].valid is not None


def test_text_seeded_item_vectors():
    import torch

    from ecom_ai_plugin.ml.recommender.sasrec import SASRec, SASRecRecommender

    text = np.random.default_rng(0).normal(size=(N_ITEMS, 384)).astype(np.float32)
    text[5] = text[4]  # two products with the same text
    model = SASRec(tiny_config(text_dim=384), text)
    assert model.text_vectors.shape == (N_ITEMS + 1, 384)
    assert model.text_projection.weight.shape == (32, 384)
    with torch.no_grad():
        vectors = model.item_vectors()
        text_part = vectors - model.item_embedding.weight
    assert vectors.shape == (N_ITEMS + 1, 32)
    # the text part of the vectors: equal for equal text (rows are 1-based), different otherwise
    assert torch.allclose(text_part[5], text_part[6])
    assert not torch.allclose(text_part[1], text_part[2])
    assert torch.count_nonzero(text_part[0]) == 0  # padding
    assert SASRecRecommender(model).score([np.array([1, 2])]).shape == (1, N_ITEMS)
    with pytest.raises(ValueError, match="shape"):
        SASRec(tiny_config(text_dim=384), text[:, :10])
    with pytest.raises(ValueError, match="text_dim"):
        SASRec(tiny_config(), text)


def test_clear_errors(successor_split):
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    with pytest.raises(ValueError, match="multiple of heads"):
        tiny_config(hidden=30, heads=4)
    with pytest.raises(ValueError, match="items"):
        train_sasrec(successor_split, tiny_config(n_items=5))
    with pytest.raises(ValueError, match="epochs"):
        train_sasrec(successor_split, tiny_config(), TrainingSettings(epochs=0))


def test_a_sampled_softmax_learns_the_successor_pattern(successor_split):
    """Five negatives per batch instead of all twenty items: the same pattern is learnt."""
    from ecom_ai_plugin.ml.recommender.metrics import evaluate
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    split = successor_split
    result = train_sasrec(
        split, tiny_config(negatives=5), TrainingSettings(epochs=60, batch_size=32, learning_rate=1e-2, device="cpu", threads=1, max_seconds=60)
    )
    trained = evaluate(result.recommender.score, split.histories("test")[1:], split.targets("test")[1:], k=1)
    assert trained["hr_at_1"] > 0.9, result.history[-1]


def test_large_catalogs_get_a_sampled_softmax_and_its_loss_ignores_the_rest():
    import torch

    from ecom_ai_plugin.ml.recommender.sasrec import SASRec, SASRecConfig, default_negatives

    assert default_negatives(1682) is None and default_negatives(10_000) == 512
    model = SASRec(SASRecConfig(n_items=10_000, max_len=8, hidden=16, blocks=1, negatives=64))
    sequences = torch.tensor([[0, 0, 5, 6, 7, 8, 9, 10]])
    targets = torch.tensor([[0, 0, 6, 7, 8, 9, 10, 11]])
    torch.manual_seed(0)
    model(sequences, targets).backward()
    touched = torch.count_nonzero(model.item_embedding.weight.grad.abs().sum(dim=1))
    assert 6 <= touched <= 64 + 12  # the inputs, the targets and the drawn negatives, not 10,000 rows


def test_repeat_flags_and_gap_buckets():
    from ecom_ai_plugin.ml.recommender.sasrec import GAP_BUCKETS, pad_with_features, sequence_features

    gaps, repeats = sequence_features(np.array([3, 4, 3, 3]), np.array([0.0, 60.0, 60.0 + 7 * 86400, 1e12]))
    assert repeats.tolist() == [0, 0, 1, 1]
    assert gaps[0] == 1 and gaps[1] == 3 and gaps[2] == 2 + 13 and gaps[3] == GAP_BUCKETS - 1  # log2(1 + minutes), capped
    assert sequence_features(np.array([1, 2]), None)[0].tolist() == [1, 1]  # no timestamps: one "unknown" bucket
    items, gaps, repeats = pad_with_features([np.array([7, 8, 7]), np.array([2])], None, max_len=2)
    assert items.tolist() == [[9, 8], [0, 3]]
    assert repeats.tolist() == [[0, 1], [0, 0]]  # the repeat of 7 counts though its first purchase is outside the window


@pytest.fixture
def gap_split():
    """After a short pause the next item is i + 1, after a long one i + 2: only the time gaps tell which."""
    from ecom_ai_plugin.ml.recommender.data import build_log
    from ecom_ai_plugin.ml.recommender.splits import leave_one_out

    rng = np.random.default_rng(0)
    rows = [("seed", str(i), -1.0, 1.0) for i in range(N_ITEMS)]
    for customer in range(200):
        item, moment, long_gap = int(rng.integers(N_ITEMS)), 0.0, bool(rng.integers(2))
        seen = {item}
        rows.append((str(customer), str(item), moment, 1.0))
        for _ in range(int(rng.integers(5, 9))):
            item = (item + (2 if long_gap else 1)) % N_ITEMS
            if item in seen:
                break
            seen.add(item)
            long_gap = bool(rng.integers(2))
            moment += 7 * 86400.0 if long_gap else 60.0
            rows.append((str(customer), str(item), moment, 1.0))
    return leave_one_out(build_log(rows))


def test_time_gaps_teach_what_the_items_alone_cannot(gap_split):
    from ecom_ai_plugin.ml.recommender.metrics import evaluate
    from ecom_ai_plugin.ml.recommender.training import TrainingSettings, train_sasrec

    split = gap_split
    settings = TrainingSettings(epochs=60, batch_size=32, learning_rate=1e-2, device="cpu", threads=1, max_seconds=60, patience=20)
    test = split.histories("test")[1:], split.targets("test")[1:]
    timed = train_sasrec(split, tiny_config(time_gaps=True), settings)
    untimed = train_sasrec(split, tiny_config(time_gaps=False), settings)
    with_gaps = evaluate(timed.recommender.score, *test, k=1, times=split.history_times("test")[1:])
    without = evaluate(untimed.recommender.score, *test, k=1)
    assert with_gaps["hr_at_1"] > 0.85, timed.history[-1]
    assert without["hr_at_1"] < 0.7
