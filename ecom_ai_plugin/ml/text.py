"""Text helpers shared by every model that reads shop text."""
from __future__ import annotations

import hashlib
import html
import re
import unicodedata

#: Attribute names that stand for the brand (compared in lower case). The PostgreSQL full-text column of
#: search (migration 0017) reads these, capitalised or not.
BRAND_ATTRIBUTES = ("brand", "manufacturer", "maker")


def brand_of(attributes: dict | None) -> str:
    """The product's brand: the first value of its first brand attribute ("" where it has none)."""
    for name, values in (attributes or {}).items():
        if str(name).lower() in BRAND_ATTRIBUTES and isinstance(values, (list, tuple)) and values and isinstance(values[0], str):
            return values[0].strip()
    return ""


def name_without_brand(name: str, attributes: dict | None) -> str:
    """The product's name less its brand, which its attributes hold: "Kettle & Crane Dripper" is a dripper."""
    brand = brand_of(attributes)
    return " ".join(name.replace(brand, " ").split()) or name if brand else name


def normalise_text(text: str) -> str:
    """NFC, unified line endings, trimmed lines: cosmetic edits do not change the hash."""
    text = unicodedata.normalize("NFC", text or "").replace("\r\n", "\n").replace("\r", "\n")
    return "\n".join(line.strip() for line in text.split("\n")).strip()


def text_hash(text: str) -> str:
    return hashlib.sha256(normalise_text(text).encode("utf-8")).hexdigest()


_LINE_BREAK_TAGS = re.compile(r"<\s*(?:br|/p|/div|/li)\s*/?\s*>", re.IGNORECASE)
_TAG = re.compile(r"<[/!?A-Za-z][^>]*>")


def plain_review_text(text: str) -> str:
    """What a classifier should read of a review: markup imported from other
    shops (``<br />``, ``&quot;``) costs tokens and says nothing."""
    text = _LINE_BREAK_TAGS.sub("\n", text or "")
    text = html.unescape(_TAG.sub(" ", text))
    return "\n".join(" ".join(line.split()) for line in text.split("\n") if line.strip())


#: Hard limits by copy kind, in characters (Saleor's SEO fields are this long).
HARD_LIMITS: dict[str, int] = {"seo_title": 70, "seo_description": 300}

_TEMPLATE_MARKERS = re.compile(r"<\|[^|>]*\|>|</?s>|\[/?INST\]")
_ROLE_LINES = re.compile(r"^\s*(?:assistant|system|user)\s*:?[ \t]*$", re.IGNORECASE | re.MULTILINE)
_PREAMBLE = re.compile(r"^\s*(?:sure|certainly|of course|here(?: is|'s)[^:\n]*)[,!.:]?\s*(?:here(?: is|'s)[^:\n]*:)?\s*", re.IGNORECASE)


def clean_generated_text(text: str, kind: str = "") -> str:
    """Model output as plain text that is safe to store and show.

    HTML (and any script) is removed with nh3, chat-template markers and
    role labels the model echoed are dropped, Markdown emphasis and
    headings are unwrapped, the text is NFKC-normalised, whitespace
    collapsed within paragraphs (paragraph breaks kept), and texts with a
    hard limit are cut at a word boundary.
    """
    import nh3

    text = text or ""
    for _ in range(3):  # escaped markup ("&lt;script&gt;") becomes markup once unescaped: clean again
        cleaned = html.unescape(nh3.clean(text, tags=set(), clean_content_tags={"script", "style"}))
        if cleaned == text:
            break
        text = cleaned
    text = re.sub(r"<[/!?A-Za-z][^>]*>?", " ", text)  # what three rounds of escaping still hid
    text = _TEMPLATE_MARKERS.sub("\n", text)
    text = _ROLE_LINES.sub("", text)
    text = _PREAMBLE.sub("", text, count=1)
    text = re.sub(r"^\s*#+\s*", "", text, flags=re.MULTILINE)
    text = re.sub(r"(\*\*|__|\*)(.+?)\1", r"\2", text)
    text = unicodedata.normalize("NFKC", text)
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", text)]
    text = "\n\n".join(p for p in paragraphs if p)
    if kind in ("seo_title", "seo_description"):
        text = " ".join(text.split()).strip("\"'“”")
    limit = HARD_LIMITS.get(kind)
    if limit and len(text) > limit:
        text = cut_at_word(text, limit)
    return text.strip()


def cut_at_word(text: str, limit: int) -> str:
    """At most ``limit`` characters, ending at a word boundary, without trailing punctuation."""
    if len(text) <= limit:
        return text
    cut = text[:limit + 1]
    space = cut.rfind(" ")
    cut = cut[:space] if space > limit // 2 else text[:limit]
    return cut.rstrip(" ,;:-–—")
