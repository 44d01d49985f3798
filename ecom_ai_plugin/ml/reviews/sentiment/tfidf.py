"""TF-IDF features and a multinomial logistic regression, in numpy and scipy.

Written here rather than taken from scikit-learn because trained versions use
it when serving (ensembled with the fine-tuned encoder, and alone for Chinese
reviews), so it must live in the ``ml`` extra, and because its state saves as
plain arrays and JSON: an artifact folder never holds a pickle to execute.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
from scipy import optimize, sparse

_WORD = re.compile(r"(?u)\b\w\w+\b")
_SPACE = re.compile(r"\s+")


def word_ngrams(text: str, n_max: int) -> list[str]:
    words = _WORD.findall(text.lower())
    grams = list(words)
    for n in range(2, n_max + 1):
        grams += [" ".join(words[i : i + n]) for i in range(len(words) - n + 1)]
    return grams


def char_ngrams(text: str, n_max: int) -> list[str]:
    """Character n-grams, for languages written without spaces (Chinese)."""
    chars = _SPACE.sub(" ", text.lower()).strip()
    return [chars[i : i + n] for n in range(1, n_max + 1) for i in range(len(chars) - n + 1)]


ANALYZERS = {"word": word_ngrams, "char": char_ngrams}


class TfidfVectorizer:
    """Sublinear term frequency times smoothed IDF, rows L2-normalised."""

    def __init__(self, analyzer: str = "word", ngram_max: int = 2, min_df: int = 2, max_features: int | None = 200_000) -> None:
        if analyzer not in ANALYZERS:
            raise ValueError(f"Unknown analyzer {analyzer!r}")
        self.analyzer = analyzer
        self.ngram_max = ngram_max
        self.min_df = min_df
        self.max_features = max_features
        self.vocabulary: dict[str, int] = {}
        self.idf = np.zeros(0)

    def _grams(self, text: str) -> list[str]:
        return ANALYZERS[self.analyzer](text or "", self.ngram_max)

    def fit(self, texts: Sequence[str]) -> TfidfVectorizer:
        df: Counter[str] = Counter()
        for text in texts:
            df.update(set(self._grams(text)))
        kept = [(g, c) for g, c in df.items() if c >= self.min_df]
        kept.sort(key=lambda gc: (-gc[1], gc[0]))
        if self.max_features:
            kept = kept[: self.max_features]
        kept.sort()
        self.vocabulary = {g: i for i, (g, _) in enumerate(kept)}
        n = len(texts)
        self.idf = np.array([math.log((1 + n) / (1 + c)) + 1 for _, c in kept], dtype=np.float64)
        return self

    def transform(self, texts: Sequence[str]) -> sparse.csr_matrix:
        indptr, indices, values = [0], [], []
        for text in texts:
            counts = Counter(i for g in self._grams(text) if (i := self.vocabulary.get(g)) is not None)
            if counts:
                cols = np.fromiter(counts.keys(), dtype=np.int64, count=len(counts))
                tf = 1 + np.log(np.fromiter(counts.values(), dtype=np.float64, count=len(counts)))
                row = tf * self.idf[cols]
                row /= np.linalg.norm(row)
                indices.extend(cols.tolist())
                values.extend(row.tolist())
            indptr.append(len(indices))
        return sparse.csr_matrix((values, indices, indptr), shape=(len(texts), len(self.vocabulary)), dtype=np.float64)

    def state(self) -> dict[str, Any]:
        return {"analyzer": self.analyzer, "ngram_max": self.ngram_max, "min_df": self.min_df, "max_features": self.max_features}


def _softmax(z: np.ndarray) -> np.ndarray:
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


class LogisticRegression:
    """Multinomial logistic regression with an L2 penalty (``C`` as in scikit-learn), fitted by L-BFGS."""

    def __init__(self, C: float = 4.0, max_iter: int = 300) -> None:
        self.C = C
        self.max_iter = max_iter
        self.coef = np.zeros((0, 0))
        self.intercept = np.zeros(0)

    def fit(self, X: sparse.csr_matrix, y: np.ndarray, n_classes: int, sample_weight: np.ndarray | None = None) -> LogisticRegression:
        n, d = X.shape
        k = n_classes
        Y = np.zeros((n, k))
        Y[np.arange(n), y] = 1.0
        w = np.ones(n) if sample_weight is None else np.asarray(sample_weight, dtype=np.float64)

        def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
            W = theta[: d * k].reshape(d, k)
            b = theta[d * k :]
            P = _softmax(X @ W + b)
            value = -float(np.sum(w * np.log(np.clip((P * Y).sum(axis=1), 1e-300, None)))) * self.C + 0.5 * float(np.sum(W * W))
            G = (P - Y) * w[:, None] * self.C
            grad = np.concatenate([(X.T @ G + W).ravel(), G.sum(axis=0)])
            return value, grad

        result = optimize.minimize(loss, np.zeros(d * k + k), jac=True, method="L-BFGS-B", options={"maxiter": self.max_iter})
        self.coef = result.x[: d * k].reshape(d, k)
        self.intercept = result.x[d * k :]
        return self

    def predict_proba(self, X: sparse.csr_matrix) -> np.ndarray:
        return _softmax(X @ self.coef + self.intercept)


class TfidfClassifier:
    """TF-IDF features and logistic regression together, saved as arrays and JSON."""

    def __init__(self, analyzer: str = "word", ngram_max: int = 2, C: float = 4.0, min_df: int = 2) -> None:
        self.vectorizer = TfidfVectorizer(analyzer=analyzer, ngram_max=ngram_max, min_df=min_df)
        self.model = LogisticRegression(C=C)
        self.n_classes = 0

    def fit(self, texts: Sequence[str], y: Sequence[int], n_classes: int | None = None) -> TfidfClassifier:
        y = np.asarray(y, dtype=np.int64)
        self.n_classes = int(n_classes or y.max() + 1)
        X = self.vectorizer.fit(texts).transform(texts)
        self.model.fit(X, y, self.n_classes)
        return self

    def predict_proba(self, texts: Sequence[str]) -> np.ndarray:
        return self.model.predict_proba(self.vectorizer.transform(texts))

    def save(self, folder: Path, name: str) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        terms = sorted(self.vectorizer.vocabulary, key=self.vectorizer.vocabulary.__getitem__)
        meta = {**self.vectorizer.state(), "C": self.model.C, "n_classes": self.n_classes, "terms": terms}
        (folder / f"{name}.json").write_text(json.dumps(meta, ensure_ascii=False), encoding="utf-8")
        np.savez_compressed(folder / f"{name}.npz", idf=self.vectorizer.idf, coef=self.model.coef.astype(np.float32), intercept=self.model.intercept)

    @classmethod
    def load(cls, folder: Path, name: str) -> TfidfClassifier:
        meta = json.loads((folder / f"{name}.json").read_text(encoding="utf-8"))
        arrays = np.load(folder / f"{name}.npz", allow_pickle=False)
        classifier = cls(analyzer=meta["analyzer"], ngram_max=meta["ngram_max"], C=meta["C"], min_df=meta["min_df"])
        classifier.vectorizer.vocabulary = {term: i for i, term in enumerate(meta["terms"])}
        classifier.vectorizer.idf = arrays["idf"]
        classifier.model.coef = arrays["coef"].astype(np.float64)
        classifier.model.intercept = arrays["intercept"]
        classifier.n_classes = int(meta["n_classes"])
        return classifier


def choose_C(texts: Sequence[str], y: Sequence[int], *, analyzer: str = "word", ngram_max: int = 2, grid: Sequence[float] = (1.0, 4.0, 16.0), folds: int = 4, seed: int = 0) -> float:
    """The penalty with the best cross-validated macro-F1 on the training texts."""
    from ecom_ai_plugin.ml.reviews.sentiment.metrics import macro_f1

    y = np.asarray(y)
    order = np.random.default_rng(seed).permutation(len(y))
    scores = {}
    for C in grid:
        preds = np.zeros(len(y), dtype=np.int64)
        for fold in range(folds):
            test = order[fold::folds]
            train = np.setdiff1d(order, test)
            model = TfidfClassifier(analyzer=analyzer, ngram_max=ngram_max, C=C).fit([texts[i] for i in train], y[train], int(y.max()) + 1)
            preds[test] = model.predict_proba([texts[i] for i in test]).argmax(axis=1)
        scores[C] = macro_f1(y, preds)
    return max(scores, key=lambda C: (scores[C], -C))
