"""Product copy: grounding, attribute coverage, length and language, speed at batch 1 and batch N."""
from __future__ import annotations

import argparse
import time
from typing import Any

from ecom_ai_plugin.evaluation.report import Report


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--limit", type=int, default=20, help="how many products to write for (default 20)")
    parser.add_argument("--kinds", nargs="+", default=["long_description", "seo_title", "seo_description"], help="copy kinds to evaluate")
    parser.add_argument("--length", default="medium", choices=["short", "medium", "long"])
    parser.add_argument("--language", default="", help="language to ask for (default: ECOM_AI['COPY']['LANGUAGE'])")
    parser.add_argument("--candidates", type=int, default=None, help="candidates per draft (default: ECOM_AI['COPY']['CANDIDATES'])")
    parser.add_argument("--batch-sizes", default="1,8", help="sequences per model call to compare, e.g. 1,8")


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.ml.registry import get_model
    from ecom_ai_plugin.services.copy.generation import (
        COPY_KINDS,
        CopyRequest,
        generate_copy_batch,
    )

    unknown = [kind for kind in options["kinds"] if kind not in COPY_KINDS]
    if unknown:
        raise ValueError(f"Unknown copy kinds {', '.join(unknown)}: choose from {', '.join(COPY_KINDS)}.")
    batch_sizes = [int(size) for size in str(options["batch_sizes"]).split(",") if size.strip()]
    if not batch_sizes or min(batch_sizes) < 1:
        raise ValueError("--batch-sizes takes positive whole numbers, e.g. 1,8.")
    host = get_host()
    keys = [product.key for product in host.iter_products() if product.published][: max(1, options["limit"])]
    if not keys:
        raise LookupError("The shop has no published products to write for.")
    started = time.perf_counter()
    generator = get_model("generation")
    load_seconds = time.perf_counter() - started
    report.line(f"Model {generator.name} ({generator.revision}) on {generator.device}, int8: {generator.quantized}, loaded in {load_seconds:.1f} s")
    report.line(f"{len(keys)} products, kinds: {', '.join(options['kinds'])}, batch sizes: {', '.join(map(str, batch_sizes))}")

    rows: list[dict[str, Any]] = []
    speed: dict[int, dict[str, float]] = {}
    configured_batch_size = generator.batch_size
    try:
        for size in batch_sizes:
            generator.batch_size = size
            tokens = seconds = drafts = 0.0
            for kind in options["kinds"]:
                request = CopyRequest(kind=kind, length=options["length"], language=options["language"], candidates=options["candidates"])
                call_started = time.perf_counter()
                results = _generate_with_progress(generate_copy_batch, keys, request, report, f"{kind} batch {size}")
                seconds += time.perf_counter() - call_started
                tokens += sum(c.tokens for r in results.values() for c in r.candidates)
                drafts += len(results)
                if size == batch_sizes[-1]:  # quality figures once, from the last batch size
                    rows += [_row(kind, result) for result in results.values()]
            speed[size] = {
                "tokens_per_second": round(tokens / seconds, 2) if seconds else 0.0,
                "drafts_per_minute": round(60 * drafts / seconds, 2) if seconds else 0.0,
            }
            report.line(f"batch {size}: {speed[size]['tokens_per_second']} tokens/s, {speed[size]['drafts_per_minute']} drafts/minute")
    finally:
        generator.batch_size = configured_batch_size

    figures = _summary(rows, options["kinds"])
    best = max(speed, key=lambda size: speed[size]["tokens_per_second"])
    figures.update(
        model=generator.name,
        model_revision=generator.revision,
        products=len(keys),
        load_seconds=round(load_seconds, 2),
        tokens_per_second=speed[best]["tokens_per_second"],
        drafts_per_minute=speed[best]["drafts_per_minute"],
        speed_by_batch_size={str(size): values for size, values in speed.items()},
    )
    report.line()
    report.table(
        [{"kind": kind, **values} for kind, values in figures["by_kind"].items()],
        [
            "kind", "drafts", "publishable", "model_attribute_coverage", "attribute_coverage", "fact_lines",
            "unsupported_claim_rate_before", "unsupported_claim_rate", "length_ok", "language_ok",
        ],
    )
    report.line()
    report.line(
        f"attribute coverage {figures['model_attribute_coverage']:.2f} in the model's words, {figures['attribute_coverage']:.2f} "
        f"with fact lines ({figures['fact_lines']} drafts), unsupported-claim rate {figures['unsupported_claim_rate_before']:.2f} "
        f"of candidates before selection, {figures['unsupported_claim_rate']:.2f} of chosen drafts after, "
        f"{figures['publishable']} of {figures['drafts']} publishable, {figures['publishable_unsupported']} publishable with unsupported claims; "
        f"SEO limits met {figures['seo_limit_compliance']:.0%}; {figures['tokens_per_second']} tokens/s at batch {best}"
    )
    return figures


def _generate_with_progress(generate: Any, keys: list[str], request: Any, report: Report, desc: str) -> dict[str, Any]:
    """Run a batch generation, moving a progress bar as its chunks finish."""
    bar = report.progress(iter(range(len(keys))), total=len(keys), desc=desc)
    shown = [0]

    def advance(done: int, total: int) -> None:
        while shown[0] < done:
            next(bar, None)
            shown[0] += 1

    results = generate(keys, request, progress=advance)
    advance(len(keys), len(keys))
    next(bar, None)  # let the bar close
    return results


def _row(kind: str, result: Any) -> dict[str, Any]:
    from ecom_ai_plugin.ml.text import HARD_LIMITS

    chosen = result.chosen
    return {
        "kind": kind,
        "publishable": result.publishable,
        "coverage": chosen.report.attribute_coverage if chosen else 0.0,
        "model_coverage": chosen.model_coverage if chosen else 0.0,
        "fact_line": bool(chosen and chosen.fact_line),
        "unsupported": bool(chosen and chosen.report.unsupported),
        "candidates": len(result.candidates),
        # before selection, and before sentences with unsupported claims were dropped
        "candidates_unsupported": sum(1 for c in result.candidates if c.raw_unsupported),
        "length_ok": bool(chosen and chosen.length_ok),
        "language_ok": bool(chosen and chosen.language_ok),
        "seo_ok": kind not in HARD_LIMITS or (bool(chosen) and 0 < len(chosen.text) <= HARD_LIMITS[kind]),
        "publishable_unsupported": result.publishable and bool(chosen and chosen.report.unsupported),
    }


def _rates(rows: list[dict[str, Any]]) -> dict[str, Any]:
    count = len(rows) or 1
    candidates = sum(r["candidates"] for r in rows) or 1
    return {
        "drafts": len(rows),
        "publishable": sum(r["publishable"] for r in rows),
        "attribute_coverage": round(sum(r["coverage"] for r in rows) / count, 4),
        # the model's own words, before a line of the facts it left out was added
        "model_attribute_coverage": round(sum(r["model_coverage"] for r in rows) / count, 4),
        "fact_lines": sum(r["fact_line"] for r in rows),
        "unsupported_claim_rate_before": round(sum(r["candidates_unsupported"] for r in rows) / candidates, 4),
        "unsupported_claim_rate": round(sum(r["unsupported"] for r in rows) / count, 4),
        "length_ok": round(sum(r["length_ok"] for r in rows) / count, 4),
        "language_ok": round(sum(r["language_ok"] for r in rows) / count, 4),
    }


def _summary(rows: list[dict[str, Any]], kinds: list[str]) -> dict[str, Any]:
    from ecom_ai_plugin.ml.text import HARD_LIMITS

    seo = [r for r in rows if r["kind"] in HARD_LIMITS]
    return {
        **_rates(rows),
        "publishable_unsupported": sum(r["publishable_unsupported"] for r in rows),
        "seo_limit_compliance": round(sum(r["seo_ok"] for r in seo) / len(seo), 4) if seo else 1.0,
        "by_kind": {kind: _rates([r for r in rows if r["kind"] == kind]) for kind in kinds},
    }
