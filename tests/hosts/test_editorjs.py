"""EditorJS ⇄ plain text, on documents shaped like Saleor's."""
from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from ecom_ai_plugin.hosts.editorjs import (
    EDITORJS_VERSION,
    MAX_INPUT_CHARS,
    editorjs_to_text,
    html_to_text,
    text_to_editorjs,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "saleor"


def webhook_body(name: str) -> dict:
    """The exact body Saleor delivered, decoded from its raw bytes."""
    captured = json.loads((DATA / name).read_text())
    return json.loads(base64.b64decode(captured["body_base64"]))


def doc(*blocks: dict) -> dict:
    return {"time": 1732360100000, "version": "2.24.3", "blocks": list(blocks)}


def paragraph(text: str) -> dict:
    return {"id": "p", "type": "paragraph", "data": {"text": text}}


# -- reading ------------------------------------------------------------------


UNREADABLE = [None, "", "   ", "{bad json", "[1, 2", b"\xff\xfe", {}, [], {"blocks": "x"}, {"blocks": None}, 3.5]


@pytest.mark.parametrize("value", UNREADABLE)
def test_unreadable_input_gives_empty_text(value):
    assert editorjs_to_text(value) == ""


def test_block_types_become_paragraphs():
    value = doc(
        {"type": "header", "data": {"text": "Fresh <i>Juice</i>", "level": 2}},
        paragraph("Cold-pressed <b>orange</b> juice. No sugar &amp; no preservatives."),
        {"type": "quote", "data": {"text": "Best juice ever", "caption": "A <b>fan</b>"}},
        {"type": "quote", "data": {"text": "Uncredited"}},
        {"type": "list", "data": {"style": "unordered", "items": ["1 litre", "Vegan"]}},
    )
    assert editorjs_to_text(value) == (
        "Fresh Juice\n\n"
        "Cold-pressed orange juice. No sugar & no preservatives.\n\n"
        "Best juice ever\n— A fan\n\n"
        "Uncredited\n\n"
        "- 1 litre\n- Vegan"
    )


def test_nested_and_ordered_lists():
    value = doc(
        {
            "type": "list",
            "data": {
                "style": "ordered",
                "items": [
                    {"content": "Fruit", "meta": {}, "items": [
                        {"content": "Apples", "meta": {}, "items": [{"content": "Red", "items": []}]},
                        {"content": "", "items": []},
                    ]},
                    {"content": "Veg <b>box</b>", "items": []},
                ],
            },
        },
        {"type": "list", "data": {"style": "checklist", "items": [{"content": "Washed", "meta": {"checked": True}}]}},
    )
    assert editorjs_to_text(value) == "1. Fruit\n  1. Apples\n    1. Red\n2. Veg box\n\n- Washed"


def test_list_nesting_is_bounded():
    node: dict = {"content": "deepest", "items": []}
    for depth in range(50):
        node = {"content": f"level {depth}", "items": [node]}
    text = editorjs_to_text(doc({"type": "list", "data": {"style": "unordered", "items": [node]}}))
    assert text.count("\n") == 9  # ten levels kept, the rest dropped without error
    assert "deepest" not in text


def test_unknown_and_media_blocks_are_ignored():
    value = doc(
        {"type": "image", "data": {"file": {"url": "https://x/img.png"}, "caption": "pic"}},
        {"type": "embed", "data": {"embed": "https://youtube.com/embed/x"}},
        {"type": "delimiter", "data": {}},
        {"type": "myCustomTool", "data": {"text": "secret"}},
        "not a block",
        {"type": "paragraph"},
        {"type": "paragraph", "data": "oops"},
        paragraph("kept"),
    )
    assert editorjs_to_text(value) == "kept"


def test_table_rows():
    value = doc({"type": "table", "data": {"withHeadings": True, "content": [["<b>Size</b>", "Price"], ["1 l", ""]]}})
    assert editorjs_to_text(value) == "Size | Price\n1 l"


def test_inline_html_is_stripped_safely():
    assert html_to_text('<a href="https://x">link</a> &nbsp;text') == "link text"
    assert html_to_text("<script>alert(1)</script>safe<style>p{}</style>") == "safe"
    assert html_to_text("first<br>second<br/>third") == "first\nsecond\nthird"
    assert html_to_text("1 < 2 and 3 > 2") == "1 < 2 and 3 > 2"
    assert html_to_text("fish &amp; chips &#x41; &bogus;") == "fish & chips A &bogus;"
    assert html_to_text("unclosed <b") == "unclosed <b"
    assert html_to_text(None) == ""


def test_json_string_and_bytes_are_accepted():
    value = doc(paragraph("Hello"))
    assert editorjs_to_text(json.dumps(value)) == "Hello"
    assert editorjs_to_text(json.dumps(value).encode()) == "Hello"
    assert editorjs_to_text([paragraph("bare list of blocks")]) == "bare list of blocks"


def test_plain_text_string_passes_through():
    assert editorjs_to_text("Just <b>text</b>, not JSON") == "Just text, not JSON"


def test_real_webhook_description():
    """Saleor delivers the description as a JSON string inside the webhook body."""
    description = webhook_body("webhook_product_updated.json")["product"]["description"]
    assert isinstance(description, str)
    assert editorjs_to_text(description) == (
        "Fresh Orange Juice\n\n"
        "Cold-pressed orange juice made from 100% Valencia oranges. No added sugar & no preservatives.\n\n"
        "Updated by staff: now in a recyclable glass bottle.\n\n"
        "- 1 litre bottle\n- Vegan\n- Keep refrigerated"
    )


def test_huge_input_is_bounded():
    many = doc(*[paragraph(f"paragraph number {i} " + "x" * 50) for i in range(20_000)])
    text = editorjs_to_text(many, max_chars=10_000)
    assert 0 < len(text) <= 10_000
    assert text.startswith("paragraph number 0 ")
    assert editorjs_to_text("[" * 200_000) == ""  # too deep for the JSON parser: no RecursionError
    assert editorjs_to_text('{"blocks": [' + " " * MAX_INPUT_CHARS + "]}") == ""


# -- writing ------------------------------------------------------------------


def test_text_to_editorjs_document_shape():
    value = text_to_editorjs("First paragraph.\n\nSecond one.", time_ms=1732360100000)
    assert value["time"] == 1732360100000
    assert value["version"] == EDITORJS_VERSION
    assert [b["type"] for b in value["blocks"]] == ["paragraph", "paragraph"]
    assert [b["data"]["text"] for b in value["blocks"]] == ["First paragraph.", "Second one."]
    ids = [b["id"] for b in value["blocks"]]
    assert len(set(ids)) == 2
    assert all(re.fullmatch(r"[A-Za-z0-9_-]{10}", i) for i in ids)
    json.dumps(value)  # storable as-is


def test_text_to_editorjs_escapes_and_keeps_line_breaks():
    value = text_to_editorjs(["Fish & chips <b>not bold</b>", "line one\nline two", "  ", ""], time_ms=0)
    assert [b["data"]["text"] for b in value["blocks"]] == [
        "Fish &amp; chips &lt;b&gt;not bold&lt;/b&gt;",
        "line one<br>line two",
    ]


def test_text_to_editorjs_empty():
    assert text_to_editorjs("", time_ms=0)["blocks"] == []


@pytest.mark.parametrize(
    "text",
    [
        "A naturally sweet juice.\n\nServe chilled & shake well.",
        "Tags like <script>alert(1)</script> stay text.",
        "Line one\nline two\n\nNew paragraph: 5 > 3",
    ],
)
def test_round_trip(text):
    assert editorjs_to_text(text_to_editorjs(text)) == text
