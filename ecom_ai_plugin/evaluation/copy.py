"""Product copy: publishable drafts per kind, coverage, model vs realiser, the gate's own precision and recall, speed.

Two parts. The gate is evaluated on a labelled sentence set shipped with
the plugin (``evaluation/data/copy_gate_sentences.json``: the demo shop's
own descriptions as publishable, sentences the default model wrote for the
same products and the examples that reached a storefront as unpublishable,
hand-written Chinese of both kinds). Then drafts are generated for the
shop's products, per kind and language, and every one is judged by the
gate: the share publishable, the attribute coverage of the text itself,
who wrote its sentences, why the model's sentences were refused, and the
speed at each batch size.
"""
from __future__ import annotations

import argparse
import json
import random
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

from ecom_ai_plugin.evaluation.report import Report

GATE_SET = Path(__file__).resolve().parent / "data" / "copy_gate_sentences.json"
DEFAULT_KINDS = ["long_description", "short_description", "seo_title", "seo_description"]


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=20, help="how many products to write for (default 20)")
    parser.add_argument("--kinds", nargs="+", default=DEFAULT_KINDS, help="copy kinds to evaluate")
    parser.add_argument("--length", default="medium", choices=["short", "medium", "long"])
    parser.add_argument("--languages", default="en,zh", help="languages to ask for, e.g. en,zh (default both)")
    parser.add_argument("--candidates", type=int, default=None, help="model tries per sentence (default: ECOM_AI['COPY']['CANDIDATES'])")
    parser.add_argument("--batch-sizes", default="1,8", help="sequences per model call to time, e.g. 1,8")
    parser.add_argument("--speed-limit", type=int, default=8, help="products the speed is timed on, per batch size (default 8)")
    parser.add_argument("--show", type=int, default=0, help="print this many English long descriptions in full, drawn at random")
    parser.add_argument("--seed", type=int, default=0, help="seed of the drafts shown")
    parser.add_argument("--gate-only", action="store_true", help="only evaluate the gate on the labelled sentences (no generation)")


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    from ecom_ai_plugin.services.copy.generation import COPY_KINDS, LANGUAGES

    unknown = [kind for kind in options["kinds"] if kind not in COPY_KINDS]
    if unknown:
        raise ValueError(f"Unknown copy kinds {', '.join(unknown)}: choose from {', '.join(COPY_KINDS)}.")
    languages = [language.strip() for language in str(options["languages"]).split(",") if language.strip()]
    if not languages or any(language not in LANGUAGES for language in languages):
        raise ValueError(f"--languages takes some of {', '.join(LANGUAGES)}, e.g. en,zh.")
    batch_sizes = [int(size) for size in str(options["batch_sizes"]).split(",") if size.strip()]
    if not batch_sizes or min(batch_sizes) < 1:
        raise ValueError("--batch-sizes takes positive whole numbers, e.g. 1,8.")
    figures: dict[str, Any] = {"gate": evaluate_gate(report)}
    if options["gate_only"]:
        return figures
    figures.update(_generation(options, languages, batch_sizes, report))
    return figures


# -- the gate on labelled sentences ---------------------------------------------------


def gate_set() -> dict[str, Any]:
    return json.loads(GATE_SET.read_text(encoding="utf-8"))


def evaluate_gate(report: Report) -> dict[str, Any]:
    """Precision and recall of the gate on each class of the labelled set, per language; the examples that started it."""
    from ecom_ai_plugin.hosts.base import ProductInfo
    from ecom_ai_plugin.services.copy import gate

    data = gate_set()
    products = {
        key: ProductInfo(
            key=key, name=p["name"], category=p.get("category"), attributes={name: list(values) for name, values in p["attributes"].items()},
            price=Decimal(p["price"]) if p.get("price") else None,
        )
        for key, p in data["products"].items()
    }
    rows = []
    for item in report.progress(data["sentences"], total=len(data["sentences"]), desc="gate"):
        facts = gate.gate_facts(products[item["product"]], (), item["language"])
        verdict = gate.judge(item["text"], facts, kind="long_description", language=item["language"], whole_text=False)
        rows.append({**item, "rejected": not verdict.passed, "reasons": sorted({m.kind for m in verdict.marks})})
    figures = _gate_figures(rows)
    figures["by_language"] = {language: _gate_figures([r for r in rows if r["language"] == language]) for language in sorted({r["language"] for r in rows})}
    examples: dict[str, bool] = {}
    for row in rows:
        if row.get("example"):  # an example text is refused when any of its sentences is
            examples[row["example"]] = examples.get(row["example"], False) or row["rejected"]
    figures["examples_rejected"] = sum(examples.values())
    figures["examples"] = len(examples)
    figures["missed"] = [r["text"] for r in rows if r["label"] == "unpublishable" and not r["rejected"]]
    figures["wrongly_rejected"] = [f"{r['text']} ({', '.join(r['reasons'])})" for r in rows if r["label"] == "publishable" and r["rejected"]]
    report.line(
        f"Gate on {len(rows)} labelled sentences: unpublishable recall {figures['unpublishable_recall']:.3f} "
        f"(precision {figures['unpublishable_precision']:.3f}), human keep {figures['human_keep_rate']:.3f} "
        f"(precision {figures['publishable_precision']:.3f}); examples that reached a storefront rejected: {figures['examples_rejected']} of {figures['examples']}"
    )
    return figures


def _gate_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    bad = [r for r in rows if r["label"] == "unpublishable"]
    good = [r for r in rows if r["label"] == "publishable"]
    caught = sum(r["rejected"] for r in bad)
    wrongly = sum(r["rejected"] for r in good)
    kept = len(good) - wrongly
    let_through = len(bad) - caught
    reasons: dict[str, int] = {}
    for row in bad:
        for reason in row["reasons"]:
            reasons[reason] = reasons.get(reason, 0) + 1
    return {
        "sentences": len(rows),
        "unpublishable": len(bad),
        "publishable": len(good),
        "unpublishable_recall": round(caught / len(bad), 4) if bad else 1.0,
        "unpublishable_precision": round(caught / (caught + wrongly), 4) if caught + wrongly else 1.0,
        "human_keep_rate": round(kept / len(good), 4) if good else 1.0,
        "publishable_precision": round(kept / (kept + let_through), 4) if kept + let_through else 1.0,
        "rejections_by_reason": dict(sorted(reasons.items())),
    }


# -- drafts from the shop's products -------------------------------------------------------


def _generation(options: dict[str, Any], languages: list[str], batch_sizes: list[int], report: Report) -> dict[str, Any]:
    from ecom_ai_plugin.conf import ecom_ai_settings
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.services.copy.generation import CopyRequest, model_writes
    from ecom_ai_plugin.services.copy.voice import copy_generator

    keys = spread_over_categories([p for p in get_host().iter_products() if p.published], max(1, options["limit"]))
    if not keys:
        raise LookupError("The shop has no published products to write for.")
    started = time.perf_counter()
    generator = copy_generator() if any(model_writes(language) for language in languages) else None
    load_seconds = time.perf_counter() - started
    if generator is not None:
        report.line(f"Model {generator.name} ({generator.revision}) on {generator.device}, int8: {generator.quantized}, loaded in {load_seconds:.1f} s")
    report.line(f"{len(keys)} products, kinds: {', '.join(options['kinds'])}, languages: {', '.join(languages)}")
    rows: list[dict[str, Any]] = []
    shown: list[Any] = []
    for language in languages:
        for kind in options["kinds"]:
            request = CopyRequest(kind=kind, length=options["length"], language=language, candidates=options["candidates"])
            results = _generate_with_progress(keys, request, report, f"{kind} {language}")
            rows += [_row(kind, language, result) for result in results.values()]
            if kind == "long_description" and language == "en":
                shown = list(results.values())
    figures: dict[str, Any] = _summary(rows, options["kinds"], languages)
    speed = _speed(keys[: max(1, options["speed_limit"])], options, batch_sizes, generator, report) if generator is not None else {}
    best = max(speed, key=lambda size: speed[size]["tokens_per_second"]) if speed else None
    figures.update(
        model=generator.name if generator else "realiser",
        model_revision=generator.revision if generator else "",
        model_languages=list(ecom_ai_settings.COPY.get("MODEL_LANGUAGES") or []),
        products=len(keys),
        load_seconds=round(load_seconds, 2),
        tokens_per_second=speed[best]["tokens_per_second"] if best else 0.0,
        drafts_per_minute=speed[best]["drafts_per_minute"] if best else 0.0,
        speed_by_batch_size={str(size): values for size, values in speed.items()},
    )
    report.line()
    report.table(
        [{"kind": f"{kind} ({language})", **values} for (kind, language), values in _by_kind_language(rows).items()],
        ["kind", "drafts", "publishable_rate", "text_attribute_coverage", "sentences", "model_share", "unsafe_facts"],
    )
    if options["show"] and shown:
        report.line()
        drawn = random.Random(options["seed"]).sample(shown, min(options["show"], len(shown)))
        figures["shown"] = [
            {"product": r.product_key, "publishable": r.publishable, "problem": r.problem, "text": r.text,
             "sentences": [{"source": s.source, "text": s.text} for s in r.sentences]}
            for r in drawn
        ]
        for result in drawn:
            report.line(f"--- product {result.product_key} ({'publishable' if result.publishable else 'held back: ' + result.problem})")
            report.line(result.text)
    report.line()
    english = figures["by_language"].get("en", {})
    report.line(
        "publishable: " + ", ".join(f"{kind} {values['publishable_rate']:.0%}" for kind, values in figures["kinds"].items())
        + f"; text attribute coverage {figures['text_attribute_coverage']:.2f}; English sentences by the model "
        f"{english.get('model_share', 0):.0%}; {figures['publishable_unsupported']} publishable with unsupported claims; "
        + "; ".join(f"batch {size}: {values['tokens_per_second']} tokens/s, {values['seconds_per_draft']} s a draft" for size, values in speed.items())
    )
    return figures


def spread_over_categories(products: list[Any], limit: int) -> list[str]:
    """Up to ``limit`` product keys, taken in turn from each category, so every kind of product is written for."""
    by_category: dict[str, list[str]] = {}
    for product in products:
        by_category.setdefault(product.category or "", []).append(product.key)
    keys: list[str] = []
    queues = list(by_category.values())
    while len(keys) < limit and any(queues):
        for queue in queues:
            if queue and len(keys) < limit:
                keys.append(queue.pop(0))
    return keys


def _generate_with_progress(keys: list[str], request: Any, report: Report, desc: str) -> dict[str, Any]:
    """Run a batch generation, moving a progress bar as its chunks finish."""
    from ecom_ai_plugin.services.copy.generation import generate_copy_batch

    bar = report.progress(iter(range(len(keys))), total=len(keys), desc=desc)
    seen = [0]

    def advance(done: int, total: int) -> None:
        while seen[0] < done:
            next(bar, None)
            seen[0] += 1

    results = generate_copy_batch(keys, request, progress=advance)
    advance(len(keys), len(keys))
    next(bar, None)  # let the bar close
    return results


def _row(kind: str, language: str, result: Any) -> dict[str, Any]:
    from ecom_ai_plugin.ml.copy.grounding import check_grounding
    from ecom_ai_plugin.services.copy.generation import MODEL
    from ecom_ai_plugin.services.copy.gate import gate_facts

    facts = gate_facts(_product(result.product_key), (), language)
    return {
        "kind": kind,
        "language": language,
        "publishable": result.publishable,
        "coverage": result.gate.coverage if result.gate else 0.0,
        "sentences": len(result.sentences),
        "by_model": sum(s.source == MODEL for s in result.sentences),
        "reasons": result.gate.reasons() if result.gate else {},
        "model_rejections": dict(result.rejections),
        "unsafe_facts": len(result.unsafe_facts),
        # the grounding check alone, on a text the gate let through: must stay 0
        "publishable_unsupported": result.publishable and bool(check_grounding(result.text, facts).unsupported),
        "tokens": result.tokens,
        "seconds": result.seconds,
    }


def _product(key: str) -> Any:
    from ecom_ai_plugin.hosts import get_host

    return get_host().get_product(key)


def _rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    count = len(rows) or 1
    sentences = sum(r["sentences"] for r in rows)
    publishable = [r for r in rows if r["publishable"]]
    in_publishable = sum(r["sentences"] for r in publishable)
    reasons: dict[str, int] = {}
    refused: dict[str, int] = {}
    for row in rows:
        for reason, number in row["reasons"].items():
            reasons[reason] = reasons.get(reason, 0) + number
        for reason, number in row["model_rejections"].items():
            refused[reason] = refused.get(reason, 0) + number
    return {
        "drafts": len(rows),
        "publishable": len(publishable),
        "publishable_rate": round(len(publishable) / count, 4),
        "text_attribute_coverage": round(sum(r["coverage"] for r in rows) / count, 4),
        "sentences": sentences,
        "sentences_by_model": sum(r["by_model"] for r in rows),
        "sentences_by_realiser": sentences - sum(r["by_model"] for r in rows),
        # among the sentences of publishable drafts
        "model_share": round(sum(r["by_model"] for r in publishable) / in_publishable, 4) if in_publishable else 0.0,
        "gate_rejections_by_reason": dict(sorted(reasons.items())),
        "model_sentence_rejections_by_reason": dict(sorted(refused.items())),
        "unsafe_facts": sum(r["unsafe_facts"] for r in rows),
    }


def _by_kind_language(rows: list[dict[str, Any]]) -> dict[tuple[str, str], dict[str, Any]]:
    groups: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault((row["kind"], row["language"]), []).append(row)
    return {key: _rates(group) for key, group in groups.items()}


def _summary(rows: list[dict[str, Any]], kinds: list[str], languages: list[str]) -> dict[str, Any]:
    prose = [r for r in rows if r["kind"] not in ("seo_title", "seo_description")]
    figures = _rates(rows)
    return {
        **figures,
        # the coverage figure the targets speak of: descriptions, the text itself
        "text_attribute_coverage": _rates(prose)["text_attribute_coverage"] if prose else figures["text_attribute_coverage"],
        "publishable_unsupported": sum(r["publishable_unsupported"] for r in rows),
        "kinds": {kind: _rates([r for r in rows if r["kind"] == kind]) for kind in kinds},
        "by_language": {language: _rates([r for r in rows if r["language"] == language]) for language in languages},
        "by_kind_and_language": {f"{kind}.{language}": values for (kind, language), values in _by_kind_language(rows).items()},
    }


def _speed(keys: list[str], options: dict[str, Any], batch_sizes: list[int], generator: Any, report: Report) -> dict[int, dict[str, float]]:
    """Long descriptions for ``keys`` at each batch size: tokens/s of the model, drafts/min and seconds a draft end to end."""
    from ecom_ai_plugin.services.copy.generation import CopyRequest

    speed: dict[int, dict[str, float]] = {}
    configured = generator.batch_size
    try:
        for size in batch_sizes:
            generator.batch_size = size
            request = CopyRequest(kind="long_description", length=options["length"], language="en", candidates=options["candidates"])
            started = time.perf_counter()
            results = _generate_with_progress(keys, request, report, f"speed, batch {size}")
            seconds = time.perf_counter() - started
            tokens = sum(r.tokens for r in results.values())
            model_seconds = sum(r.seconds for r in results.values())
            speed[size] = {
                "tokens_per_second": round(tokens / model_seconds, 2) if model_seconds else 0.0,
                "drafts_per_minute": round(60 * len(results) / seconds, 2) if seconds else 0.0,
                "seconds_per_draft": round(seconds / len(results), 2) if results else 0.0,
            }
            report.line(f"batch {size}: {speed[size]['tokens_per_second']} tokens/s, {speed[size]['drafts_per_minute']} drafts/minute, {speed[size]['seconds_per_draft']} s a draft")
    finally:
        generator.batch_size = configured
    return speed
