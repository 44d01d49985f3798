"""EditorJS documents, the rich-text format Saleor stores descriptions in.

Reading: models and prompts want plain text, so :func:`editorjs_to_text`
turns a document into paragraphs separated by blank lines, keeping list
structure and dropping inline HTML. Saleor hands the document over as a dict
(from the database) or as a JSON string (GraphQL, webhooks); both are
accepted, and anything broken yields ``""`` rather than an exception, because
one bad description must not stop a catalog-wide job.

Writing: :func:`text_to_editorjs` builds a document of paragraph blocks from
plain text, escaped so that Saleor's sanitiser keeps the text as written.
"""
from __future__ import annotations

import html
import json
import re
import secrets
import time
from collections.abc import Iterable
from html.parser import HTMLParser
from typing import Any

__all__ = ["EDITORJS_VERSION", "editorjs_to_text", "html_to_text", "text_to_editorjs"]

#: The EditorJS version Saleor's dashboard writes (and accepts back).
EDITORJS_VERSION = "2.24.3"

#: Inputs larger than this are not parsed: no real description is this big,
#: and parsing a hostile one would only waste a worker.
MAX_INPUT_CHARS = 2_000_000
#: Output is cut here; models read far less than this anyway.
DEFAULT_MAX_CHARS = 100_000
MAX_BLOCKS = 5_000
#: Saleor's own limit for nested lists (EDITOR_JS_LISTS_MAX_DEPTH) is 10.
MAX_LIST_DEPTH = 10

_BREAK_TAGS = {"br", "p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote"}
_SKIPPED_CONTENT_TAGS = {"script", "style", "template"}
_SPACES = re.compile(r"[^\S\n]+")
_NEWLINES = re.compile(r"\s*\n\s*")


class _TextExtractor(HTMLParser):
    """Collects the text of an HTML fragment; entities are decoded by the parser."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIPPED_CONTENT_TAGS:
            self._skip_depth += 1
        elif tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BREAK_TAGS:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIPPED_CONTENT_TAGS:
            self._skip_depth = max(0, self._skip_depth - 1)
        elif tag in _BREAK_TAGS and tag != "br":
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip_depth:
            self.parts.append(data)


def html_to_text(fragment: Any) -> str:
    """Plain text of an inline HTML fragment (tags dropped, entities decoded).

    Line breaks (``<br>``, block tags) become newlines; other whitespace,
    including non-breaking spaces, collapses to single spaces.
    """
    if fragment is None:
        return ""
    if not isinstance(fragment, str):
        fragment = str(fragment)
    if "<" not in fragment and "&" not in fragment:
        text = fragment
    else:
        parser = _TextExtractor()
        try:
            parser.feed(fragment)
            parser.close()
        except Exception:  # the stdlib parser is lenient; this is a last resort
            return _normalise_spaces(html.unescape(re.sub(r"<[^>]*>", " ", fragment)))
        text = "".join(parser.parts)
    return _normalise_spaces(text)


def _normalise_spaces(text: str) -> str:
    text = text.replace("\xa0", " ")
    text = _SPACES.sub(" ", text)
    return _NEWLINES.sub("\n", text).strip()


def _load(value: Any) -> Any:
    """The document as Python data, or ``None`` when it cannot be read."""
    if value is None:
        return None
    if isinstance(value, bytes | bytearray):
        try:
            value = bytes(value).decode("utf-8")
        except UnicodeDecodeError:
            return None
    if isinstance(value, str):
        stripped = value.strip()
        if not stripped or len(stripped) > MAX_INPUT_CHARS:
            return None
        if stripped[0] not in "{[":
            # Not JSON at all: some callers pass the plain text straight through.
            return stripped
        try:
            return json.loads(stripped)
        except (ValueError, RecursionError):
            return None
    return value


def _list_lines(items: Any, depth: int, style: str | None, lines: list[str]) -> None:
    if depth >= MAX_LIST_DEPTH or not isinstance(items, list):
        return
    indent = "  " * depth
    for number, item in enumerate(items[:MAX_BLOCKS], start=1):
        children: Any = None
        if isinstance(item, dict):
            content = item.get("content")
            if content is None:
                content = item.get("text")  # checklist items
            children = item.get("items")
        else:
            content = item
        text = html_to_text(content).replace("\n", " ") if content is not None else ""
        if text:
            marker = f"{number}." if style == "ordered" else "-"
            lines.append(f"{indent}{marker} {text}")
        if children:
            _list_lines(children, depth + 1, style, lines)


def _block_text(block: Any) -> str:
    if not isinstance(block, dict):
        return ""
    data = block.get("data")
    if not isinstance(data, dict):
        return ""
    kind = block.get("type")
    if kind in ("paragraph", "header"):
        return html_to_text(data.get("text"))
    if kind == "quote":
        text = html_to_text(data.get("text"))
        caption = html_to_text(data.get("caption"))
        if text and caption:
            return f"{text}\n— {caption}"
        return text
    if kind in ("list", "checklist"):
        lines: list[str] = []
        style = data.get("style") if isinstance(data.get("style"), str) else None
        _list_lines(data.get("items"), 0, style, lines)
        return "\n".join(lines)
    if kind == "table":
        rows = data.get("content")
        if not isinstance(rows, list):
            return ""
        out = []
        for row in rows[:MAX_BLOCKS]:
            if isinstance(row, list):
                cells = [html_to_text(cell).replace("\n", " ") for cell in row]
                line = " | ".join(cell for cell in cells if cell)
                if line:
                    out.append(line)
        return "\n".join(out)
    # embed, image, delimiter and unknown tools carry no product text
    return ""


def editorjs_to_text(value: Any, max_chars: int = DEFAULT_MAX_CHARS) -> str:
    """Plain text of an EditorJS document (dict, JSON string or ``None``).

    Blocks become paragraphs separated by a blank line; list items become
    ``- item`` lines (``1. item`` for ordered lists), nested items indented.
    Unknown block types are skipped. A string that is not JSON is taken as
    text (HTML stripped); malformed JSON gives ``""``.
    """
    doc = _load(value)
    if doc is None:
        return ""
    if isinstance(doc, str):
        return html_to_text(doc)[:max_chars]
    if isinstance(doc, list):  # a bare list of blocks
        blocks = doc
    elif isinstance(doc, dict):
        blocks = doc.get("blocks")
    else:
        return ""
    if not isinstance(blocks, list):
        return ""
    parts: list[str] = []
    size = 0
    for block in blocks[:MAX_BLOCKS]:
        text = _block_text(block)
        if text:
            parts.append(text)
            size += len(text) + 2
            if size >= max_chars:
                break
    return "\n\n".join(parts)[:max_chars]


def _block_id() -> str:
    # EditorJS ids are 10 url-safe characters.
    return secrets.token_urlsafe(8)[:10]


def _paragraphs(text: str | Iterable[str]) -> list[str]:
    if isinstance(text, str):
        chunks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    else:
        chunks = [str(chunk) for chunk in text]
    return [chunk.strip() for chunk in chunks if chunk and chunk.strip()]


def text_to_editorjs(text: str | Iterable[str], *, time_ms: int | None = None) -> dict[str, Any]:
    """An EditorJS document with one paragraph block per paragraph of ``text``.

    ``text`` is a string (paragraphs split on blank lines) or a list of
    paragraphs. Text is HTML-escaped so it reads back exactly as written;
    single line breaks inside a paragraph become ``<br>``.
    """
    blocks = []
    for paragraph in _paragraphs(text):
        escaped = html.escape(paragraph, quote=False)
        escaped = "<br>".join(line.strip() for line in escaped.split("\n"))
        blocks.append({"id": _block_id(), "type": "paragraph", "data": {"text": escaped}})
    return {
        "time": int(time.time() * 1000) if time_ms is None else int(time_ms),
        "blocks": blocks,
        "version": EDITORJS_VERSION,
    }
