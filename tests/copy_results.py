"""Hand-made generation results, so draft, API, admin and browser tests do not wait for the model.

The dataclasses are the real ones; only ``generate_copy`` is replaced (see
:func:`fake_generation`). One end-to-end test runs the real model.
"""
from __future__ import annotations

from collections.abc import Iterable

import pytest

from ecom_ai_plugin.ml.copy.gate import GateReport, Mark, SentenceVerdict
from ecom_ai_plugin.services.copy.generation import REALISER, CopyRequest, CopyResult, WrittenSentence

INVENTED_ORIGIN = "Grown in the United States."


def claim_at(text: str, phrase: str, kind: str = "origin", reason: str = "no origin in the product's facts") -> Mark:
    start = text.index(phrase)
    return Mark(kind=kind, text=phrase, start=start, end=start + len(phrase), reason=reason)


def copy_result(product_key: str, text: str, *, request: CopyRequest | None = None, claims: Iterable[str] = (), problem: str = "") -> CopyResult:
    request = request or CopyRequest()
    marks = [claim_at(text, phrase) for phrase in claims]
    report = GateReport(sentences=[SentenceVerdict(text, 0, len(text), marks)] if text else [], text_marks=[], coverage=1.0 if text else 0.0)
    publishable = bool(text) and not marks
    if marks and not problem:
        problem = f"1 sentence(s) failed the check, the first because it says {marks[0].text!r}."
    return CopyResult(
        product_key=str(product_key),
        request=request,
        text=text,
        publishable=publishable,
        gate=report if text else None,
        sentences=[WrittenSentence(text, REALISER)] if text else [],
        problem=problem,
        model_name="test-double",
        model_revision="",
        prompt_version="test",
        tokens=len(text.split()),
        seconds=0.1,
        language=request.language or "en",
    )


def fake_text(product_key: str, request: CopyRequest) -> str:
    """A description that states the product's weight and invents an origin."""
    from ecom_ai_plugin.hosts import get_host

    product = get_host().get_product(product_key)
    if product is None:
        raise LookupError(f"Product {product_key!r} does not exist.")
    if request.kind == "seo_title":
        return product.name[:70]
    weight = ", ".join(product.attributes.get("Weight", []))
    return f"The {product.name} weighs {weight}. {INVENTED_ORIGIN}"


@pytest.fixture
def fake_generation(monkeypatch):
    """Replace the model with :func:`fake_text`; returns the list of calls made."""
    from ecom_ai_plugin.services.copy import drafts

    calls: list[tuple[str, CopyRequest]] = []

    def generate(product_key: str, request: CopyRequest, *, extra_facts=(), progress=None) -> CopyResult:
        calls.append((product_key, request))
        text = fake_text(product_key, request)
        if progress:
            progress(1, 1)
        return copy_result(product_key, text, request=request, claims=[INVENTED_ORIGIN] if INVENTED_ORIGIN in text else [])

    def generate_batch(product_keys, request: CopyRequest, *, progress=None, on_result=None) -> dict[str, CopyResult]:
        from ecom_ai_plugin.hosts import get_host

        existing = {product.key for product in get_host().iter_products(product_keys)}
        results = {}
        for key in (key for key in product_keys if key in existing):  # missing ones left out, as the real one does
            results[key] = generate(key, request)
            if progress:
                progress(len(results), len(existing))
            if on_result:
                on_result(key, results[key])
        return results

    monkeypatch.setattr(drafts, "generate_copy", generate)
    monkeypatch.setattr(drafts, "generate_copy_batch", generate_batch)
    return calls
