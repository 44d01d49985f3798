"""Words of product text and queries, the same way on both sides.

Latin text is folded (accents, case), cut at non-word characters and its
plurals reduced (``kettles`` -> ``kettle``); Chinese, Japanese and Korean
runs, which have no spaces, become overlapping character pairs plus the
single characters, so ``不锈钢水壶`` matches ``不锈钢 水壶``.
"""
from __future__ import annotations

import re
import unicodedata

WORD = re.compile(r"[^\W_]+(?:['’][^\W_]+)?", re.UNICODE)
CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
CJK_RUN = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")
#: Words too common to say anything about a product.
STOPWORDS = frozenset(
    "a an and are as at be by for from has have i in is it its my me of on or our so some something that the "
    "this to was we with you your which who what want need looking look find buy best good new".split()  # noqa: SIM905
)
#: Endings whose plural is not just the word plus s.
_ES_ENDINGS = ("ches", "shes", "sses", "xes", "zes")


def fold(text: str) -> str:
    """Lower case without accents (NFKD, combining marks dropped); CJK characters are kept."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def has_cjk(text: str) -> bool:
    return bool(CJK.search(text))


def stem(word: str) -> str:
    """A light English plural stem: enough for shop words (bottles, brushes, batteries)."""
    if len(word) <= 3 or not word.isascii() or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(_ES_ENDINGS):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return word[:-1]
    return word


def words(text: str) -> list[str]:
    """The folded words of a text in order, CJK runs kept whole."""
    folded = fold(text)
    out: list[str] = []
    for match in WORD.finditer(folded):
        token = match.group().replace("’", "'")
        for part in CJK_RUN.split(token):
            if part:
                out.extend(piece for piece in part.split("'") if piece)
        out.extend(CJK_RUN.findall(token))
    return out


def cjk_terms(run: str) -> list[str]:
    """Single characters and overlapping pairs of a CJK run."""
    terms = list(run)
    terms += [run[i : i + 2] for i in range(len(run) - 1)]
    return terms


def terms(text: str, *, keep_stopwords: bool = False) -> list[str]:
    """Index terms of a text: stemmed Latin words and CJK characters and pairs, in order."""
    out: list[str] = []
    for word in words(text):
        if CJK.match(word):
            out.extend(cjk_terms(word))
        elif keep_stopwords or word not in STOPWORDS:
            out.append(stem(word))
    return out


def normalise_query(raw: object, max_length: int = 200) -> str:
    """Whitespace collapsed, control characters dropped, cut to ``max_length``."""
    if not isinstance(raw, str):
        return ""
    cleaned = "".join(ch if ch.isprintable() else " " for ch in raw)
    return " ".join(cleaned.split())[:max_length].strip()
