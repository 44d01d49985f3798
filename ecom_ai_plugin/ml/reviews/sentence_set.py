"""Review sentences labelled by hand: the yardstick for sentence-level sentiment and aspects.

``labelled_sentences.jsonl`` beside this module holds English and Chinese
review sentences, each with the sentiment its own words carry, the sentiment
of each aspect it speaks about, and tags naming what makes it hard
(``negation``, ``not_bad``: a negated complaint such as "not bad",
``contrast``, ``neutral``) or where it comes from (``plain``; ``demo``: the
sandbox shop's review phrases). No training run learns from it: the
evaluation reports on it, and a new sentiment version must not do worse on
it than the word lists before it is activated on its own. Each sentence
falls by a hash of its text into a ``dev`` half (the one looked at while
building the sentence judge) or a ``test`` half.
"""
from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

PATH = Path(__file__).with_name("labelled_sentences.jsonl")
SPLITS = ("dev", "test")


@dataclass(frozen=True)
class LabelledSentence:
    text: str
    language: str
    sentiment: str
    aspects: dict[str, str] = field(default_factory=dict)
    tags: tuple[str, ...] = ()

    @property
    def split(self) -> str:
        return SPLITS[int(hashlib.sha1(self.text.encode("utf-8")).hexdigest(), 16) % 2]


@lru_cache(maxsize=1)
def labelled_sentences() -> tuple[LabelledSentence, ...]:
    """Every labelled sentence, in file order."""
    rows = []
    for line in PATH.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            rows.append(LabelledSentence(row["text"], row["language"], row["sentiment"], dict(row.get("aspects") or {}), tuple(row.get("tags") or ())))
    return tuple(rows)
