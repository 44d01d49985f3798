"""Category suggestions: the k nearest categorised products, by text and by attributes.

A product's neighbours are found on two similarities of its text without
its category (name, attributes, description): the embedding model's
(meaning, in the languages the model reads) and character n-gram TF-IDF
(spelling; it also matches Chinese text with Chinese text, which the
packaged English embedding model cannot). Each neighbour votes for its
category with its similarity raised to ``SHARPNESS``; the attribute names a
product has add how typical they are of each category. The confidence is
the winning category's share of the votes.
"""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

#: weight of the embedding similarity against the character n-gram one
EMBEDDING_WEIGHT = 0.7
#: votes are similarity ** SHARPNESS: close neighbours count far more than far ones
SHARPNESS = 4
#: weight of attribute names against the neighbours' votes
ATTRIBUTE_WEIGHT = 0.15
#: an attribute most of a category's products have (this share) and the product lacks is "missing"
MISSING_SHARE = 0.6
CHUNK = 512


@dataclass(frozen=True)
class CatalogItem:
    key: str
    name: str
    text: str
    category: str | None
    attributes: dict[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Suggestion:
    key: str
    category: str
    confidence: float
    alternatives: list[tuple[str, float]]
    neighbours: list[tuple[str, float]]
    missing_attributes: list[tuple[str, float]]


def category_text(name: str, attributes: dict[str, list[str]], description: str) -> str:
    """What a product says about itself, its category left out (else the answer would be in the question)."""
    parts = [name.strip()]
    for attribute in sorted(attributes):
        values = ", ".join(v for v in attributes[attribute] if v)
        if values:
            parts.append(f"{attribute}: {values}")
    if description.strip():
        parts.append(description.strip()[:1000])
    return "\n".join(p for p in parts if p)


class CategoryIndex:
    """The catalog's products as vectors, to find each one's categorised neighbours."""

    def __init__(
        self,
        items: Sequence[CatalogItem],
        embed: Callable[[list[str]], np.ndarray],
        neighbours: int = 10,
        embedding_weight: float = EMBEDDING_WEIGHT,
        attribute_weight: float = ATTRIBUTE_WEIGHT,
    ) -> None:
        from ecom_ai_plugin.ml.reviews.sentiment.tfidf import TfidfVectorizer

        self.items = list(items)
        self.k = neighbours
        self.embedding_weight = embedding_weight
        self.attribute_weight = attribute_weight
        texts = [item.text for item in self.items]
        self.embeddings = np.asarray(embed(texts), dtype=np.float32) if texts else np.zeros((0, 1), dtype=np.float32)
        self.tfidf = TfidfVectorizer(analyzer="char", ngram_max=3, min_df=1).fit(texts)
        self.chars = self.tfidf.transform(texts).tocsr()
        self.labelled = np.array([bool(item.category) for item in self.items])
        self.categories = sorted({item.category for item in self.items if item.category})
        counts = Counter(item.category for item in self.items if item.category)
        having: dict[str, Counter] = defaultdict(Counter)
        for item in self.items:
            if item.category:
                having[item.category].update(set(item.attributes))
        self.attribute_share = {c: {name: n / counts[c] for name, n in having[c].items()} for c in self.categories}

    def similarities(self, rows: np.ndarray) -> np.ndarray:
        """Combined similarity of the given products to every product."""
        meaning = self.embeddings[rows] @ self.embeddings.T
        spelling = (self.chars[rows] @ self.chars.T).toarray()
        return self.embedding_weight * meaning + (1 - self.embedding_weight) * spelling

    def suggest_all(self, rows: Sequence[int] | None = None) -> list[Suggestion | None]:
        """A suggestion for each product (all by default), never counting the product itself; ``None`` without neighbours."""
        rows = list(range(len(self.items))) if rows is None else list(rows)
        out: list[Suggestion | None] = []
        for start in range(0, len(rows), CHUNK):
            chunk = np.array(rows[start : start + CHUNK], dtype=int)
            sims = self.similarities(chunk)
            for offset, row in enumerate(chunk):
                out.append(self._suggest(int(row), sims[offset]))
        return out

    def _suggest(self, row: int, sims: np.ndarray) -> Suggestion | None:
        candidates = np.flatnonzero(self.labelled)
        candidates = candidates[candidates != row]
        if not len(candidates):
            return None
        k = min(self.k, len(candidates))
        nearest = candidates[np.argpartition(-sims[candidates], k - 1)[:k]]
        nearest = nearest[np.argsort(-sims[nearest])]
        votes: dict[str, float] = defaultdict(float)
        for j in nearest:
            votes[self.items[j].category] += max(float(sims[j]), 0.0) ** SHARPNESS
        total = sum(votes.values()) or 1.0
        share = self.attribute_weight
        scores = {c: (1 - share) * votes.get(c, 0.0) / total for c in self.categories}
        names = set(self.items[row].attributes)
        if names:
            typical = {c: sum(self.attribute_share[c].get(n, 0.0) for n in names) / len(names) for c in self.categories}
            norm = sum(typical.values()) or 1.0
            for c in self.categories:
                scores[c] += share * typical[c] / norm
        else:
            scores = {c: s / (1 - share) for c, s in scores.items()}
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1], kv[0]))
        best = ranked[0][0]
        missing = sorted(
            ((n, round(share, 3)) for n, share in self.attribute_share[best].items() if share >= MISSING_SHARE and n not in names),
            key=lambda kv: (-kv[1], kv[0]),
        )
        return Suggestion(
            key=self.items[row].key,
            category=best,
            confidence=round(ranked[0][1], 4),
            alternatives=[(c, round(s, 4)) for c, s in ranked[1:4] if s > 0],
            neighbours=[(self.items[j].key, round(float(sims[j]), 4)) for j in nearest[:5]],
            missing_attributes=missing,
        )


def leave_one_out(index: CategoryIndex) -> dict[str, float]:
    """Top-1 and top-3 accuracy of each categorised product's suggestion without itself, and the majority baseline."""
    rows = [i for i, item in enumerate(index.items) if item.category]
    if not rows:
        raise ValueError("No categorised product to evaluate on.")
    top1 = top3 = 0
    for row, suggestion in zip(rows, index.suggest_all(rows)):
        truth = index.items[row].category
        if suggestion is None:
            continue
        ranked = [suggestion.category, *(c for c, _ in suggestion.alternatives)]
        top1 += ranked[0] == truth
        top3 += truth in ranked[:3]
    counts = Counter(index.items[row].category for row in rows)
    return {
        "products": len(rows),
        "categories": len(counts),
        "top1_accuracy": round(top1 / len(rows), 4),
        "top3_accuracy": round(top3 / len(rows), 4),
        "majority_baseline": round(counts.most_common(1)[0][1] / len(rows), 4),
    }
