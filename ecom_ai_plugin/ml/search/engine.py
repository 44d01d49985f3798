"""The search engine: hybrid ranking over segments, with query understanding and typo correction.

Keyword relevance is BM25 over the products' words (name, category,
attributes and description, weighted in that order); meaning is the cosine
of the query's vector to each product's. Both are scaled to 0..1 over the
matching products and blended (``semantic_weight``). Filters narrow the
candidates before ranking; products out of stock come last or not at all.
A product the index was told changed since its segment was built is
masked there and served from a newer segment: no rebuild per change.
"""
from __future__ import annotations

import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from ecom_ai_plugin.ml.search import MODES, OUT_OF_STOCK
from ecom_ai_plugin.ml.search.lexicon import Lexicon, Reading
from ecom_ai_plugin.ml.search.segment import Segment, idf_table
from ecom_ai_plugin.ml.search.text import CJK, STOPWORDS, has_cjk, stem, terms, words
from ecom_ai_plugin.ml.search.typos import Vocabulary
from ecom_ai_plugin.ml.search.understanding import (
    Filter,
    PhraseIndex,
    Understanding,
    attribute_phrases,
    category_phrases,
    contains,
    extract_cheaper,
    extract_price,
    extract_stock,
    phrase_matches,
)

#: "cheap": matches scoring at least this share of the best are ordered by price, before the rest
CHEAPER_CLOSE_SHARE = 0.5
CHEAPER_SPAN = 0.4
#: products a filter's fit is checked against
GUARD_HITS = 5
#: the share of those a category or attribute must cover (more than) to become a filter
GUARD_SHARE = 0.5
#: products the catalog's similarity percentile is taken over, at most
FLOOR_SAMPLE = 20000
#: what being in stock adds to a score in [0, 1]: "last" puts every product in stock first; "lower" lets an
#: out-of-stock product that matches much better still come before weak matches (chosen on the query set)
IN_STOCK_BONUS = {"last": 2.0, "lower": 0.5}
Encoder = Callable[[str], np.ndarray]


@dataclass(frozen=True)
class Hit:
    key: str
    name: str
    url: str | None
    price: float | None
    currency: str | None
    category: str
    available: bool
    score: float
    keyword: float
    semantic: float

    def as_dict(self) -> dict[str, Any]:
        return {
            "product": self.key,
            "name": self.name,
            "url": self.url,
            "price": None if self.price is None else f"{self.price:.2f}",
            "currency": self.currency,
            "category": self.category,
            "available": self.available,
            "score": round(self.score, 4),
        }


@dataclass
class SearchResult:
    query: str
    text: str
    corrected: str | None
    filters: list[Filter]
    total: int
    hits: list[Hit]
    #: filters the query named that the caller asked to leave out
    skipped: list[Filter] = field(default_factory=list)


@dataclass
class EngineOptions:
    semantic_weight: float = 0.75
    #: a product matches by meaning alone at this cosine, and only when it stands out from the
    #: catalog (above the 90th percentile of the query's similarities by ``similarity_margin``)
    min_similarity: float = 0.8
    similarity_margin: float = 0.025
    #: a filter from Chinese words needs this similarity to a catalog value, and this lead over the next
    value_similarity: float = 0.86
    value_margin: float = 0.03
    filter_attributes: tuple[str, ...] = ("Colour", "Color", "Material")
    #: in hybrid ranking, a product whose words match below this share of the best keyword match must also
    #: be among the catalog's closest in meaning (within ``similarity_margin`` of the floor)
    weak_keyword_share: float = 0.5
    max_results: int = 500


class SearchEngine:
    """Searches a list of segments; the later a segment, the newer its products."""

    def __init__(
        self,
        segments: Sequence[tuple[Segment, np.ndarray | None]],
        *,
        options: EngineOptions | None = None,
        synonyms: dict[str, list[str]] | None = None,
        popular_queries: Sequence[tuple[str, int]] = (),
        general_words: Iterable[str] = (),
        value_vectors: Callable[[], tuple[np.ndarray, list[Filter]] | None] | None = None,
        keyword_scorer: Callable[[list[str]], dict[str, float] | None] | None = None,
        lexicon: Lexicon | Callable[[], Lexicon | None] | None = None,
    ) -> None:
        self.options = options or EngineOptions()
        self.segments = [(segment, np.ones(len(segment), dtype=bool) if alive is None else alive) for segment, alive in segments]
        self.synonyms = synonyms or {}
        self.popular_queries = list(popular_queries)
        self.general_words = frozenset(general_words)
        self._value_vectors = value_vectors
        #: keyword relevance from outside (PostgreSQL's full-text search): words -> {product key: score}
        self.keyword_scorer = keyword_scorer
        #: reads Chinese queries as English where the catalog is written in English (loaded on first use)
        self._lexicon = lexicon
        self._values_loaded: tuple[np.ndarray, list[Filter]] | None = None
        df: Counter[str] = Counter()
        total_length, documents = 0.0, 0
        for segment, alive in self.segments:
            df.update(segment.document_frequency())
            documents += int(alive.sum())
            total_length += float(segment.doc_lengths[alive].sum()) if len(segment) else 0.0
        self.documents = documents
        self.vocabulary = Vocabulary(df)
        self.idf = idf_table(dict(df), max(documents, 1))
        self.average_length = total_length / documents if documents else 1.0
        self.category_names = sorted({name for segment, _ in self.segments for name in segment.category_names})
        values: dict[str, set[str]] = {}
        for segment, _ in self.segments:
            for attribute in self.options.filter_attributes:
                values.setdefault(attribute, set()).update(segment.attributes.get(attribute, {}))
        self.attribute_values = {name: sorted(vals) for name, vals in values.items() if vals}
        self.phrases = PhraseIndex(category_phrases(self.category_names) + attribute_phrases(self.attribute_values))
        self.cjk_catalog = any(has_cjk(name) for segment, _ in self.segments for name in segment.names[:200])
        currencies = Counter(c for segment, alive in self.segments for c, a in zip(segment.currencies, alive) if c and a)
        self.currency = currencies.most_common(1)[0][0] if currencies else None

    @property
    def value_vectors(self) -> tuple[np.ndarray, list[Filter]] | None:
        """Vectors of the category names and filterable values, for Chinese queries (loaded on first use)."""
        if self._values_loaded is None and self._value_vectors is not None:
            self._values_loaded = self._value_vectors()
            self._value_vectors = None
        return self._values_loaded

    def value_labels(self) -> list[Filter]:
        """The filters a value vector stands for: each category, each filterable attribute value."""
        labels = [Filter("category", name) for name in self.category_names]
        labels += [Filter("attribute", value, attribute=name, values=(value,)) for name, values in self.attribute_values.items() for value in values]
        return labels

    @property
    def dimensions(self) -> int:
        return next((segment.dimensions for segment, _ in self.segments if segment.dimensions), 0)

    def __len__(self) -> int:
        return self.documents

    # -- understanding -----------------------------------------------------------------

    def correct(self, text: str) -> tuple[str, dict[str, str]]:
        """The text with typos replaced by catalog words, and the replacements made."""
        replaced: dict[str, str] = {}
        out = []
        for word in words(text):
            fixed = word
            base = stem(word)
            if (
                not CJK.match(word)
                and word not in STOPWORDS
                and base not in self.vocabulary
                and word not in self.general_words
                and base not in self.synonyms
            ):
                candidate = self.vocabulary.correct(base)
                if candidate:
                    fixed = candidate
                    replaced[word] = candidate
            out.append(fixed)
        return " ".join(out), replaced

    @property
    def lexicon(self) -> Lexicon | None:
        if callable(self._lexicon):
            self._lexicon = self._lexicon()
        return self._lexicon

    def read_chinese(self, query: str) -> Reading | None:
        """The query's Chinese words read as the English of this catalog (None: nothing to read)."""
        if self._lexicon is None or self.cjk_catalog or not has_cjk(query) or self.lexicon is None:
            return None
        return self.lexicon.read(query, lambda word: word in self.vocabulary)

    def understand(self, query: str, encode: Encoder | None = None) -> Understanding:
        text, filters = extract_price(query)
        text, stock = extract_stock(text)
        filters += stock
        text, cheaper = extract_cheaper(text, lambda term: term in self.vocabulary)
        filters += cheaper
        corrected, _ = self.correct(text)
        query_terms = terms(corrected, keep_stopwords=True)
        for start, end, phrases in phrase_matches([t for t in query_terms], self.phrases):
            rest = [t for i, t in enumerate(query_terms) if not start <= i < end and t not in STOPWORDS]
            chosen = self._fitting(phrases, rest, " ".join(query_terms[start:end]), filters)
            if chosen is not None:
                filters.append(chosen)
        if encode is not None and self.value_vectors is not None and has_cjk(text):
            filters += self._cjk_filters(text, encode, filters)
        return Understanding(original=query, text=text.strip() or query, filters=filters)

    def _fitting(self, phrases: list, rest: list[str], source: str, chosen: list[Filter]) -> Filter | None:
        """The category or attribute filter a phrase names, when it fits the rest of the query."""
        taken = {f.code for f in chosen}
        hits = self._keyword_hits(rest) if rest else None
        candidates: list[tuple[int, Filter]] = []
        span = tuple(source.split())
        by_attribute: dict[str, list[str]] = {}
        for phrase in phrases:
            if phrase.kind == "attribute" and phrase.name not in by_attribute:
                # every value containing the words admits the filter ("bamboo" admits "bamboo handle, nylon bristles")
                by_attribute[phrase.name] = [p.value for p in self.phrases.containing(span) if p.kind == "attribute" and p.name == phrase.name and contains(p.terms, span)]
        for phrase in phrases:
            if phrase.kind == "category" and "category" not in taken:
                fit = self._count(hits, lambda seg, docs, name=phrase.name: seg.categories[docs] == seg.category_id(name))
                candidates.append((fit, Filter("category", phrase.name, source=source)))
        order = {name: i for i, name in enumerate(self.options.filter_attributes)}
        for attribute, values in sorted(by_attribute.items(), key=lambda item: order.get(item[0], 99)):
            if f"attribute:{attribute}" in taken:
                continue
            fit = self._count(hits, lambda seg, docs, a=attribute: np.isin(docs, seg.attribute_docs(a, seg.attributes.get(a, {}))))
            candidates.append((fit, Filter("attribute", source, attribute=attribute, values=tuple(sorted(set(values))), source=source)))
        if not candidates:
            return None
        if hits is None:  # the phrase is the whole query: browsing
            return candidates[0][1]
        best = max(candidates, key=lambda item: item[0])
        found = sum(len(docs) for _, docs in hits)
        return best[1] if found and best[0] > GUARD_SHARE * found else None

    def _keyword_hits(self, query_terms: list[str]) -> list[tuple[Segment, np.ndarray]]:
        found = []
        expanded = self.expand(query_terms)
        for segment, alive in self.segments:
            scores = segment.bm25(expanded, self.idf, self.average_length)
            scores[~alive] = 0
            docs = np.flatnonzero(scores > 0)
            if len(docs) > GUARD_HITS:
                docs = docs[np.argpartition(-scores[docs], GUARD_HITS)[:GUARD_HITS]]
            found.append((segment, docs))
        return found

    @staticmethod
    def _count(hits: list[tuple[Segment, np.ndarray]] | None, test: Callable[[Segment, np.ndarray], np.ndarray]) -> int:
        if hits is None:
            return 1
        return int(sum(int(np.count_nonzero(test(segment, docs))) for segment, docs in hits if len(docs)))

    def _cjk_filters(self, text: str, encode: Encoder, chosen: list[Filter]) -> list[Filter]:
        """Filters from Chinese words: a segment close to one catalog value (and clearly closer than to the rest)."""
        vectors, labels = self.value_vectors
        every = text.split()
        if len(every) < 2:  # a single phrase is what the shopper wants, not a constraint on it
            return []
        pieces = [piece for piece in every if has_cjk(piece)]
        taken = {f.code for f in chosen}
        found = []
        for piece in pieces:
            scores = vectors @ encode(piece)
            order = np.argsort(-scores)
            best = int(order[0])
            runner_up = next((int(i) for i in order[1:] if labels[int(i)].code != labels[best].code or labels[int(i)].value != labels[best].value), None)
            lead = float(scores[best] - (scores[runner_up] if runner_up is not None else 0.0))
            label = labels[best]
            if scores[best] >= self.options.value_similarity and lead >= self.options.value_margin and label.code not in taken:
                rest = " ".join(p for p in every if p != piece)
                hits = self._semantic_hits(encode(rest)) if rest else None
                if label.kind == "category":
                    fit = self._count(hits, lambda seg, docs, label=label: seg.categories[docs] == seg.category_id(label.value))
                else:
                    fit = self._count(hits, lambda seg, docs, label=label: np.isin(docs, seg.attribute_docs(label.attribute, seg.attributes.get(label.attribute, {}))))
                if fit:
                    found.append(Filter(label.kind, label.value, attribute=label.attribute, values=label.values, source=piece))
                    taken.add(label.code)
        return found

    def _semantic_hits(self, vector: np.ndarray) -> list[tuple[Segment, np.ndarray]]:
        found = []
        for segment, alive in self.segments:
            if not segment.dimensions or not len(segment):
                continue
            scores = np.where(alive, segment.similarities(vector), -2.0)
            k = min(GUARD_HITS // 5, len(segment) - 1)
            docs = np.argpartition(-scores, k)[: k + 1] if k > 0 else np.arange(len(segment))
            found.append((segment, docs))
        return found

    def expand(self, query_terms: Iterable[str]) -> list[str]:
        """The terms with their synonyms (learned from the catalog and from clicks)."""
        out = []
        for term in query_terms:
            out.append(term)
            out.extend(self.synonyms.get(term, ()))
        return list(dict.fromkeys(out))

    # -- searching -------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        query_vector: np.ndarray | None = None,
        encode: Encoder | None = None,
        mode: str = "hybrid",
        limit: int = 24,
        offset: int = 0,
        skip: Iterable[str] = (),
        extra_filters: Iterable[Filter] = (),
        understand: bool = True,
        out_of_stock: str = "lower",
    ) -> SearchResult:
        if mode not in MODES:
            raise ValueError(f"Unknown search mode {mode!r}: use one of {', '.join(MODES)}.")
        if out_of_stock not in OUT_OF_STOCK:
            raise ValueError(f"Unknown out-of-stock rule {out_of_stock!r}: use one of {', '.join(OUT_OF_STOCK)}.")
        reading = self.read_chinese(query) if understand else None
        if reading is not None and reading.complete:  # searched as the English query it reads as
            understood = self.understand(reading.text, encode)
            understanding = Understanding(original=query, text=understood.text, filters=understood.filters)
        else:
            understanding = self.understand(query, encode) if understand else Understanding(query, query)
        skip = set(skip)
        skipped = [f for f in understanding.filters if f.code in skip]
        filters = [f for f in understanding.filters if f.code not in skip]
        codes = {f.code for f in filters}
        filters += [f for f in extra_filters if f.code not in codes]
        corrected_text, replaced = self.correct(understanding.text)
        keyword_text = corrected_text
        if reading is not None and not reading.complete:  # the words that were read still find their products
            keyword_text = " ".join([corrected_text, *(english for _, english in reading.words)])
        keyword_terms = [t for t in terms(keyword_text) if t]
        if mode != "keyword" and query_vector is None and encode is not None:
            query_vector = encode(corrected_text if replaced else understanding.text)
        use_keyword = mode in ("hybrid", "keyword")
        use_semantic = mode in ("hybrid", "semantic") and query_vector is not None
        rows = []  # (segment index, docs, keyword scores, semantic scores)
        similarities = [
            segment.similarities(query_vector) if use_semantic and len(segment) and segment.dimensions == len(query_vector) else None
            for segment, _ in self.segments
        ]
        cross_script = has_cjk(understanding.text) and not self.cjk_catalog
        floor = self.semantic_floor(similarities, cross_script) if use_semantic else 2.0
        expanded = self.expand(keyword_terms)
        outside = self._outside_keyword_scores(keyword_text, keyword_terms) if use_keyword and keyword_terms else None
        scored = []  # (segment index, candidates, keyword scores, semantic scores)
        for index, (segment, alive) in enumerate(self.segments):
            if not len(segment):
                continue
            mask = alive & self._filter_mask(segment, filters)
            if out_of_stock == "hide":
                mask &= segment.available
            if not use_keyword:
                keyword = np.zeros(len(segment), np.float32)
            elif outside is not None:
                keyword = np.zeros(len(segment), np.float32)
                for key, value in outside.items():
                    doc = segment.doc_of.get(key)
                    if doc is not None:
                        keyword[doc] = value
            else:
                keyword = segment.bm25(expanded, self.idf, self.average_length)
            semantic = similarities[index] if similarities[index] is not None else np.full(len(segment), -1.0, np.float32)
            scored.append((index, mask, keyword, semantic))
        # a product sharing a word or two with the query, far below the best keyword match, must also be near it
        # in meaning (among the catalog's closest tenth): "warm sleeping bag" does not list turntables for their
        # "warm sound", nor "toy my dog can chew" a watering can
        best = max((float(keyword[mask].max()) for _, mask, keyword, _ in scored if mask.any()), default=0.0)
        weak = self.options.weak_keyword_share * best if use_semantic else 0.0
        near = floor - self.similarity_margin(cross_script)
        for index, mask, keyword, semantic in scored:
            by_words = (keyword > 0) & ((keyword >= weak) | (semantic >= near))
            matched = mask & (by_words | (semantic >= floor))
            if not keyword_terms and not use_semantic:
                matched = mask if filters else np.zeros(len(mask), bool)  # browsing by filters alone
            docs = np.flatnonzero(matched)
            if len(docs):
                rows.append((index, docs, keyword[docs], semantic[docs]))
        shown = corrected_text if replaced or (reading is not None and reading.complete) else None
        return self._rank(understanding, shown, filters, skipped, rows, mode, limit, offset, out_of_stock, floor)

    def _outside_keyword_scores(self, text: str, keyword_terms: list[str]) -> dict[str, float] | None:
        if self.keyword_scorer is None:
            return None
        synonyms = [term for term in self.expand(keyword_terms) if term not in keyword_terms]
        return self.keyword_scorer([*words(text), *synonyms])

    def similarity_margin(self, cross_script: bool = False) -> float:
        """How far above the catalog's 90th percentile a match by meaning must stand.

        A Chinese query against a catalog written in Latin script stands out
        less (the encoder's cross-language similarities are closer together):
        half the margin.
        """
        return self.options.similarity_margin / (2 if cross_script else 1)

    def semantic_floor(self, similarities: list[np.ndarray | None], cross_script: bool = False) -> float:
        """The similarity a product needs to match by meaning: absolute, and standing out from the catalog."""
        margin = self.similarity_margin(cross_script)
        samples = []
        for (segment, alive), scores in zip(self.segments, similarities):
            if scores is not None:
                kept = scores[alive]
                samples.append(kept[kept > -1] if segment.ann is not None else kept)
        values = np.concatenate(samples) if samples else np.empty(0)
        if len(values) < 2:
            return self.options.min_similarity
        if len(values) > FLOOR_SAMPLE:  # the percentile of an even sample is as good and costs far less
            values = values[:: len(values) // FLOOR_SAMPLE]
        return max(self.options.min_similarity, float(np.percentile(values, 90)) + margin)

    def _filter_mask(self, segment: Segment, filters: list[Filter]) -> np.ndarray:
        mask = np.ones(len(segment), dtype=bool)
        for f in filters:
            if f.kind == "category":
                mask &= segment.categories == segment.category_id(str(f.value))
            elif f.kind == "price_max":
                mask &= segment.prices <= float(f.value) + 1e-9
            elif f.kind == "price_min":
                mask &= segment.prices >= float(f.value) - 1e-9
            elif f.kind == "in_stock":
                mask &= segment.available
            elif f.kind == "attribute":
                allowed = np.zeros(len(segment), dtype=bool)
                allowed[segment.attribute_docs(str(f.attribute), f.values)] = True
                mask &= allowed
        return mask

    def _rank(self, understanding: Understanding, corrected: str | None, filters: list[Filter], skipped: list[Filter],
              rows: list, mode: str, limit: int, offset: int, out_of_stock: str, floor: float) -> SearchResult:
        if not rows:
            return SearchResult(understanding.original, understanding.text, corrected, filters, 0, [], skipped)
        keyword_max = max(float(kw.max()) for _, _, kw, _ in rows)
        semantic_max = max(float(sem.max()) for _, _, _, sem in rows)
        weight = {"hybrid": self.options.semantic_weight, "keyword": 0.0, "semantic": 1.0}[mode]
        all_scores, all_bonus, all_prices, all_keys = [], [], [], []
        for index, docs, kw, sem in rows:
            kw_n = kw / keyword_max if keyword_max > 0 else np.zeros_like(kw)
            sem_n = np.clip((sem - floor) / (semantic_max - floor), 0, 1) if semantic_max > floor else np.zeros_like(sem)
            if weight == 0.0:
                score = kw_n + 1e-3 * sem_n  # ties broken by meaning
            elif weight == 1.0:
                score = sem_n + 1e-3 * kw_n
            else:
                score = weight * sem_n + (1 - weight) * kw_n
            segment = self.segments[index][0]
            all_scores.append(score.astype(np.float64))
            all_bonus.append(IN_STOCK_BONUS.get(out_of_stock, 0.0) * segment.available[docs])
            all_prices.append(segment.prices[docs])
            all_keys.append(np.stack([np.full(len(docs), index), docs], axis=1))
        scores = np.concatenate(all_scores)
        if any(f.kind == "cheaper" for f in filters):
            scores = cheaper_first(scores, np.concatenate(all_prices))
        scores = scores + np.concatenate(all_bonus)
        where = np.concatenate(all_keys)
        total = min(len(scores), self.options.max_results)
        wanted = min(offset + limit, total)
        if wanted <= 0:
            return SearchResult(understanding.original, understanding.text, corrected, filters, total, [], skipped)
        top = np.argpartition(-scores, wanted - 1)[:wanted] if wanted < len(scores) else np.arange(len(scores))
        top = top[np.lexsort((top, -scores[top]))][offset:wanted]
        kw_all = np.concatenate([kw for _, _, kw, _ in rows])
        sem_all = np.concatenate([sem for _, _, _, sem in rows])
        hits = []
        for i in top:
            index, doc = int(where[i][0]), int(where[i][1])
            segment = self.segments[index][0]
            price = float(segment.prices[doc])
            category = int(segment.categories[doc])
            base = float(scores[i]) - (IN_STOCK_BONUS.get(out_of_stock, 0.0) if segment.available[doc] else 0.0)
            hits.append(Hit(
                key=segment.keys[doc],
                name=segment.names[doc],
                url=segment.urls[doc],
                price=None if math.isnan(price) else price,
                currency=segment.currencies[doc],
                category=segment.category_names[category] if category >= 0 else "",
                available=bool(segment.available[doc]),
                score=base,
                keyword=float(kw_all[i]),
                semantic=float(sem_all[i]),
            ))
        return SearchResult(understanding.original, understanding.text, corrected, filters, total, hits, skipped)

    # -- suggestions -------------------------------------------------------------------------

    def suggest(self, prefix: str, *, limit: int = 5) -> dict[str, list]:
        """What to offer while the shopper types: products, categories and queries (corrected, popular)."""
        typed = words(prefix)
        if not typed:
            return {"products": [], "categories": [], "queries": []}
        head, last = typed[:-1], typed[-1]
        completions = [last] if stem(last) in self.vocabulary or CJK.match(last) else []
        completions += self.vocabulary.completions(stem(last), limit=3)
        fixed = self.vocabulary.correct(stem(last)) if not completions and last not in self.general_words else None
        if fixed:
            completions.append(fixed)
        if not completions and head:
            completions = [""]  # the last word is too short to complete: what the words before it find
        head_terms = terms(" ".join(head))
        best: dict[str, tuple[float, Hit]] = {}
        for completion in completions[:4]:
            result = self.search(" ".join([*head, completion]).strip(), mode="keyword", limit=limit, understand=False)
            for hit in result.hits:
                if hit.key not in best or best[hit.key][0] < hit.score:
                    best[hit.key] = (hit.score + (1 if completion == last else 0), hit)
        products = [hit for _, hit in sorted(best.values(), key=lambda item: -item[0])][:limit]
        folded = " ".join(typed)
        categories = [name for name in self.category_names if any(t in terms(name) for t in [*head_terms, *(stem(c) for c in completions)])]
        for hit in products:
            if hit.category and hit.category not in categories:
                categories.append(hit.category)
        queries = []
        if fixed or (head and any(self.vocabulary.correct(stem(w)) for w in head if stem(w) not in self.vocabulary and w not in self.general_words)):
            corrected, _ = self.correct(" ".join([*head, fixed or last]))
            queries.append(corrected)
        queries += [query for query, _ in self.popular_queries if query.startswith(folded) and query != folded]
        return {"products": products, "categories": categories[:3], "queries": list(dict.fromkeys(queries))[:limit]}


def cheaper_first(scores: np.ndarray, prices: np.ndarray) -> np.ndarray:
    """Scores (0..1) reordered for "cheap": the close matches, at least half the best, come first, cheapest first.

    A close match with a price scores from 1 (the dearest) to 1.4 (the cheapest), so every one of them stays
    above the weaker matches, which keep their order; being in stock is added afterwards as before, and the
    span is narrower than the "lower" rule's bonus, so a close match in stock still comes before one that is not.
    """
    close = (scores >= CHEAPER_CLOSE_SHARE * float(scores.max())) & ~np.isnan(prices)
    if not close.any():
        return scores
    ranks = np.argsort(np.argsort(prices[close], kind="stable"), kind="stable")
    out = scores.copy()
    out[close] = 1.0 + CHEAPER_SPAN * (1.0 - ranks / max(len(ranks) - 1, 1))
    return out
