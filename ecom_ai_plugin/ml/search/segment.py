"""One immutable piece of the search index: products, their vectors, their words.

A segment is built from products in memory, saved to a folder and opened
again memory-mapped (``numpy.load(mmap_mode="r")``): every process of a
machine shares one copy of the vectors and postings in the page cache, and
opening a segment of 100,000 products reads only its small tables.
"""
from __future__ import annotations

import json
import math
import os
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.search.text import terms
from ecom_ai_plugin.ml.text import name_without_brand

#: How much a word counts by where it appears in the product. The brand's words in the name count as
#: an attribute's do: "kettle" finds kettles before the products of a brand called "Kettle & Crane".
FIELD_WEIGHTS = {"name": 3.0, "category": 2.0, "attributes": 1.5, "description": 1.0}
#: BM25 parameters (the usual ones).
BM25_K1 = 1.2
BM25_B = 0.75
FORMAT_VERSION = 1
#: (attribute, values) document lists a segment remembers, at most
ATTRIBUTE_CACHE = 4096


@dataclass(frozen=True)
class IndexedProduct:
    """What the index keeps of a product: its facts for filters and display, its text, its vector."""

    key: str
    name: str
    description: str = ""
    category: str = ""
    attributes: dict[str, list[str]] = field(default_factory=dict)
    price: float | None = None
    currency: str | None = None
    available: bool = True
    url: str | None = None
    vector: np.ndarray | None = None

    def field_texts(self) -> dict[str, str]:
        attributes = " ".join(f"{name} {' '.join(values)}" for name, values in sorted(self.attributes.items()))
        return {"name": name_without_brand(self.name, self.attributes), "category": self.category, "attributes": attributes,
                "description": self.description}


class Segment:
    """Column arrays of a set of products; built with :meth:`build`, persisted with :meth:`save`."""

    def __init__(self, *, keys: list[str], names: list[str], urls: list[str | None], currencies: list[str | None],
                 category_names: list[str], categories: np.ndarray, prices: np.ndarray, available: np.ndarray,
                 vectors: np.ndarray, doc_lengths: np.ndarray, term_ids: dict[str, int], offsets: np.ndarray,
                 posting_docs: np.ndarray, posting_weights: np.ndarray, attributes: dict[str, dict[str, list[int]]],
                 model: str = "") -> None:
        self.keys = keys
        self.names = names
        self.urls = urls
        self.currencies = currencies
        self.category_names = category_names
        self.categories = categories
        self.prices = prices
        self.available = available
        self.vectors = vectors
        self.doc_lengths = doc_lengths
        self.term_ids = term_ids
        self.offsets = offsets
        self.posting_docs = posting_docs
        self.posting_weights = posting_weights
        self.attributes = attributes
        self.model = model
        self.doc_of = {key: doc for doc, key in enumerate(keys)}
        self._df: dict[str, int] | None = None
        self._attribute_docs: dict[tuple[str, tuple[str, ...]], np.ndarray] = {}
        #: an approximate nearest-neighbour index over the vectors (faiss), or None: every product scored
        self.ann: Any = None
        self.ann_candidates = 1000

    def __len__(self) -> int:
        return len(self.keys)

    @property
    def dimensions(self) -> int:
        return int(self.vectors.shape[1]) if self.vectors.ndim == 2 else 0

    # -- building --------------------------------------------------------------------

    @classmethod
    def build(cls, products: Iterable[IndexedProduct], *, dimensions: int, model: str = "") -> Segment:
        products = list(products)
        keys = [p.key for p in products]
        category_names = sorted({p.category for p in products if p.category})
        category_id = {name: i for i, name in enumerate(category_names)}
        vectors = np.zeros((len(products), dimensions), dtype=np.float32)
        for i, product in enumerate(products):
            if product.vector is not None and len(product.vector) == dimensions:
                vectors[i] = product.vector
        postings: dict[str, list[tuple[int, float]]] = defaultdict(list)
        lengths = np.zeros(len(products), dtype=np.float32)
        attributes: dict[str, dict[str, list[int]]] = defaultdict(lambda: defaultdict(list))
        for doc, product in enumerate(products):
            weights: Counter[str] = Counter()
            for name, text in product.field_texts().items():
                for term in terms(text):
                    weights[term] += FIELD_WEIGHTS[name]
            lengths[doc] = sum(weights.values())
            for term, weight in weights.items():
                postings[term].append((doc, weight))
            for name, values in product.attributes.items():
                for value in values:
                    attributes[name][value].append(doc)
        vocabulary = sorted(postings)
        offsets = np.zeros(len(vocabulary) + 1, dtype=np.int64)
        for i, term in enumerate(vocabulary):
            offsets[i + 1] = offsets[i] + len(postings[term])
        docs = np.empty(int(offsets[-1]), dtype=np.int32)
        weights_array = np.empty(int(offsets[-1]), dtype=np.float32)
        for i, term in enumerate(vocabulary):
            rows = postings[term]
            docs[offsets[i] : offsets[i + 1]] = [doc for doc, _ in rows]
            weights_array[offsets[i] : offsets[i + 1]] = [weight for _, weight in rows]
        return cls(
            keys=keys,
            names=[p.name for p in products],
            urls=[p.url for p in products],
            currencies=[p.currency for p in products],
            category_names=category_names,
            categories=np.array([category_id.get(p.category, -1) for p in products], dtype=np.int32),
            prices=np.array([np.nan if p.price is None else float(p.price) for p in products], dtype=np.float64),
            available=np.array([bool(p.available) for p in products], dtype=bool),
            vectors=vectors,
            doc_lengths=lengths,
            term_ids={term: i for i, term in enumerate(vocabulary)},
            offsets=offsets,
            posting_docs=docs,
            posting_weights=weights_array,
            attributes={name: dict(values) for name, values in attributes.items()},
            model=model,
        )

    # -- persisting ----------------------------------------------------------------------

    ARRAYS = ("categories", "prices", "available", "vectors", "doc_lengths", "offsets", "posting_docs", "posting_weights")

    def save(self, folder: Path) -> None:
        """Write the segment into ``folder`` (created; files replaced one by one, the metadata last)."""
        folder.mkdir(parents=True, exist_ok=True)
        for name in self.ARRAYS:
            np.save(folder / f"{name}.npy", np.ascontiguousarray(getattr(self, name)))
        tables = {
            "format": FORMAT_VERSION,
            "model": self.model,
            "keys": self.keys,
            "names": self.names,
            "urls": self.urls,
            "currencies": self.currencies,
            "category_names": self.category_names,
            "terms": sorted(self.term_ids, key=self.term_ids.__getitem__),
            "attributes": self.attributes,
        }
        temporary = folder / "tables.json.tmp"
        temporary.write_text(json.dumps(tables, ensure_ascii=False), encoding="utf-8")
        os.replace(temporary, folder / "tables.json")

    @classmethod
    def load(cls, folder: Path) -> Segment:
        tables = json.loads((folder / "tables.json").read_text(encoding="utf-8"))
        if tables.get("format") != FORMAT_VERSION:
            raise ValueError(f"The search index in {folder} has format {tables.get('format')}, not {FORMAT_VERSION}: rebuild it.")
        arrays = {name: np.load(folder / f"{name}.npy", mmap_mode="r") for name in cls.ARRAYS}
        return cls(
            keys=tables["keys"],
            names=tables["names"],
            urls=tables["urls"],
            currencies=tables["currencies"],
            category_names=tables["category_names"],
            term_ids={term: i for i, term in enumerate(tables["terms"])},
            attributes=tables["attributes"],
            model=tables.get("model", ""),
            **arrays,
        )

    # -- reading -------------------------------------------------------------------------

    def document_frequency(self) -> dict[str, int]:
        if self._df is None:
            counts = np.diff(self.offsets)
            self._df = {term: int(counts[i]) for term, i in self.term_ids.items()}
        return self._df

    def similarities(self, vector: np.ndarray) -> np.ndarray:
        """Cosine of every product to the (normalised) vector; with an ANN index, -1 beyond its nearest."""
        if self.ann is None:
            return row_dots(self.vectors, vector)
        scores = np.full(len(self), -1.0, dtype=np.float32)
        distances, ids = self.ann.search(np.asarray(vector, dtype=np.float32)[None, :], min(self.ann_candidates, len(self)))
        found = ids[0] >= 0
        scores[ids[0][found]] = distances[0][found]
        return scores

    def build_ann(self, m: int = 32, ef_search: int = 128) -> None:
        """An HNSW index (faiss, inner product) over the vectors; raises ImportError without faiss."""
        import faiss

        index = faiss.IndexHNSWFlat(self.dimensions, m, faiss.METRIC_INNER_PRODUCT)
        index.hnsw.efConstruction = 80
        index.add(np.ascontiguousarray(self.vectors, dtype=np.float32))
        index.hnsw.efSearch = ef_search
        self.ann = index

    def postings(self, term: str) -> tuple[np.ndarray, np.ndarray]:
        i = self.term_ids.get(term)
        if i is None:
            return np.empty(0, dtype=np.int32), np.empty(0, dtype=np.float32)
        start, end = int(self.offsets[i]), int(self.offsets[i + 1])
        return self.posting_docs[start:end], self.posting_weights[start:end]

    def bm25(self, query_terms: Sequence[str], idf: dict[str, float], average_length: float) -> np.ndarray:
        """BM25 score of every document for the query's terms (0 where none appears)."""
        scores = np.zeros(len(self), dtype=np.float32)
        for term in dict.fromkeys(query_terms):
            docs, tf = self.postings(term)
            if not len(docs):
                continue
            norm = BM25_K1 * (1 - BM25_B + BM25_B * self.doc_lengths[docs] / max(average_length, 1e-6))
            scores[docs] += idf.get(term, 0.0) * tf * (BM25_K1 + 1) / (tf + norm)
        return scores

    def attribute_docs(self, attribute: str, values: Iterable[str]) -> np.ndarray:
        """Documents having any of these values of the attribute (sorted; remembered: a segment never changes)."""
        key = (attribute, tuple(values))
        docs = self._attribute_docs.get(key)
        if docs is None:
            found = [self.attributes.get(attribute, {}).get(value, []) for value in key[1]]
            docs = np.unique(np.concatenate([np.asarray(ids, dtype=np.int32) for ids in found])) if found else np.empty(0, dtype=np.int32)
            docs.setflags(write=False)
            if len(self._attribute_docs) < ATTRIBUTE_CACHE:
                self._attribute_docs[key] = docs
        return docs

    def category_id(self, name: str) -> int:
        try:
            return self.category_names.index(name)
        except ValueError:
            return -1


def row_dots(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """Every row's dot product with the vector, in float32.

    numpy's own SIMD loop (``einsum``) reads the matrix once at memory speed;
    OpenBLAS's sgemv took about twice as long over 100,000 x 384 vectors on
    this 2-core machine. Rounding differs from BLAS's in the last bits only.
    """
    return np.einsum("ij,j->i", matrix, np.asarray(vector, dtype=matrix.dtype))


def idf_table(document_frequency: dict[str, int], documents: int) -> dict[str, float]:
    """BM25's idf with the usual +1 inside the log (never negative)."""
    return {term: math.log(1 + (documents - df + 0.5) / (df + 0.5)) for term, df in document_frequency.items()}

