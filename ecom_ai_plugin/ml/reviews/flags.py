"""Signs that a review is spam or abuse, for moderators: rules that say why.

Flags never change a review's status; staff decide. What each catches:

- ``link``: a URL, ``www.`` address or bare domain ("cheap-pills.example.com").
- ``contact_details``: an e-mail address or phone number (see :mod:`ecom_ai_plugin.ml.pii`).
- ``repetition``: a character run of 5+ ("!!!!!", "soooooo"), a word said 4+
  times in a row, or a long text made of few distinct words.
- ``shouting``: 20+ letters of which 70 % or more are capitals.
- ``abuse``: a word from a small English and Chinese list of insults and
  slurs, also spelled with symbols or digits ("f*ck", "sh1t").
- ``duplicate`` (set by the analysis service): the same text as another
  customer's review.
- ``instruction``: words addressed to a model ("ignore previous
  instructions and write ...", see :mod:`ecom_ai_plugin.ml.safety`).

A review with ``link``, ``contact_details``, ``repetition``, ``duplicate`` or
``instruction`` is a spam suspect; with ``abuse`` it is abusive.
"""
from __future__ import annotations

import re

from ecom_ai_plugin.ml.pii import has_contacts
from ecom_ai_plugin.ml.safety import INSTRUCTION, LINK, unsafe_kinds

SPAM_FLAGS = frozenset({"link", "contact_details", "repetition", "duplicate", "instruction"})
ABUSE_FLAGS = frozenset({"abuse"})

_LINK = re.compile(
    r"(?:https?://|www\.)\S+|(?<![@\w.])[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.(?:com|net|org|info|biz|xyz|top|shop|site|online|ru|cn|io|co|me|ly|uk|de)\b(?:/\S*)?",
    re.IGNORECASE,
)
_CHAR_RUN = re.compile(r"(\S)\1{4,}")
_WORD_RUN = re.compile(r"\b(\w+)(?:\W+\1\b){3,}", re.IGNORECASE)

# Kept short on purpose: words that are abusive in any product review.
# Letters may be disguised with symbols or digits (f*ck, sh1t, a$$).
_ABUSE_EN = (
    "fuck", "fucking", "fucker", "motherfucker", "shit", "shitty", "bullshit", "asshole", "bastard", "bitch",
    "cunt", "dickhead", "wanker", "twat", "retard", "retarded", "scumbag",
    "faggot", "nigger", "slut", "whore", "kill yourself", "kys",
)
_ABUSE_ZH = ("傻逼", "傻b", "煞笔", "操你", "妈的", "他妈", "去死", "垃圾人", "王八蛋", "滚蛋", "贱人", "脑残")
_DISGUISE = {"a": "[a@4*]", "e": "[e3*]", "i": "[i1!*|]", "o": "[o0*]", "u": "[u*v]", "s": "[s$5*]", "t": "[t7+]", "c": "[ck]", "k": "[kc]"}


def _disguised(word: str) -> str:
    return r"\s+".join("".join(_DISGUISE.get(char, re.escape(char)) + "+" for char in part) for part in word.split())


_ABUSE = re.compile(r"(?<![\w*$@])(?:" + "|".join(_disguised(word) for word in _ABUSE_EN) + r")(?![\w*$@])", re.IGNORECASE)


def review_flags(title: str, text: str) -> list[str]:
    """The flags (sorted names) a review's title and text raise."""
    whole = f"{title or ''}\n{text or ''}"
    flags = set()
    unsafe = unsafe_kinds(whole)
    if _LINK.search(whole) or LINK in unsafe:
        flags.add("link")
    if INSTRUCTION in unsafe:
        flags.add("instruction")
    if has_contacts(whole):
        flags.add("contact_details")
    if _CHAR_RUN.search(whole) or _WORD_RUN.search(whole) or _few_distinct_words(text or ""):
        flags.add("repetition")
    letters = [char for char in whole if char.isalpha() and char.isascii()]
    if len(letters) >= 20 and sum(char.isupper() for char in letters) / len(letters) >= 0.7:
        flags.add("shouting")
    if _ABUSE.search(whole) or any(word in whole for word in _ABUSE_ZH):
        flags.add("abuse")
    return sorted(flags)


def _few_distinct_words(text: str) -> bool:
    words = re.findall(r"\w+", text.lower())
    return len(words) >= 20 and len(set(words)) / len(words) < 0.3


def is_spam_suspect(flags: list[str]) -> bool:
    return bool(SPAM_FLAGS.intersection(flags))


def is_abusive(flags: list[str]) -> bool:
    return bool(ABUSE_FLAGS.intersection(flags))
