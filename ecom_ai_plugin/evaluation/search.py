"""Search: nDCG@10, Recall@10 and MRR@10 of keyword-only, semantic-only and hybrid ranking; filters; latency.

The labelled query set (``evaluation/data/search_queries.json``) is written
for the sandbox's demo catalog (``manage.py shop_demo_data``): natural
language, keywords, typos, price and attribute constraints, category
browsing, Chinese and mixed queries, and queries nothing in the shop
answers, with graded relevance (2: what was asked for, 1: related). The
three rankings run in the same process on the same understanding of each
query (filters, typos); the substring match the sandbox shop had before
(every word somewhere in the product's text, by name) is the fourth. Latency is the search service's (query encoding included) over
generated catalogs of ``--sizes`` products: the demo products' words
recombined, their vectors with noise.
"""
from __future__ import annotations

import argparse
import json
import math
import random
import statistics
import time
from pathlib import Path
from typing import Any

from ecom_ai_plugin.evaluation.report import Report

QUERY_SET = Path(__file__).resolve().parent / "data" / "search_queries.json"
MODES = ("keyword", "semantic", "hybrid")
K = 10


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--queries", default=str(QUERY_SET), help="the labelled query set (default: the demo catalog's)")
    parser.add_argument("--sizes", default="10000,100000", help="generated catalog sizes to time, e.g. 10000,100000 (0: none)")
    parser.add_argument("--semantic-weight", type=float, default=None, help="blend weight of meaning (default: SEARCH['SEMANTIC_WEIGHT'])")
    parser.add_argument("--vector-index", choices=["exact", "faiss-hnsw"], default="exact", help="vector index of the generated catalogs")
    parser.add_argument("--keyword-index", choices=["auto", "postgres", "memory"], default=None,
                        help="keyword relevance: PostgreSQL's full-text search or the in-memory BM25 (default: SEARCH['KEYWORD_INDEX'])")
    parser.add_argument("--rounds", type=int, default=2, help="times each query is timed per size (the first with its encoding not cached)")


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    sizes = [int(size) for size in str(options["sizes"]).split(",") if size.strip() and int(size) > 0]
    if options["rounds"] < 1:
        raise ValueError("--rounds must be at least 1.")
    queries = load_queries(Path(options["queries"]))
    engine, products = catalog_engine(report, options["semantic_weight"], options.get("keyword_index"))
    report.line(f"{len(products)} products indexed, {len(queries)} labelled queries; encoder {engine_model()}")
    judgments = {item["id"]: judge(item, products) for item in queries}
    figures: dict[str, Any] = {"queries": len(queries), "products": len(products), "encoder": engine_model(),
                               "semantic_weight": engine.options.semantic_weight,
                               "keyword_index": "postgres" if engine.keyword_scorer else "memory"}
    report.line(f"keyword relevance: {figures['keyword_index']}")
    per_query: dict[str, dict[str, Any]] = {}
    for mode in ("substring", *MODES):
        rows = []
        for item in report.progress(queries, desc=mode):
            ranked = substring_keys(products, item["query"]) if mode == "substring" else ranked_keys(engine, item["query"], mode)
            metrics = score(ranked, judgments[item["id"]])
            per_query.setdefault(item["id"], {"query": item["query"], "kind": item["kind"]})[mode] = metrics
            rows.append((item, ranked, metrics))
        figures[mode] = summarise(rows)
    report.table(
        [{"ranking": mode, **{k: figures[mode][k] for k in ("ndcg_at_10", "recall_at_10", "mrr_at_10", "no_answer_empty_rate")}} for mode in ("substring", *MODES)],
        ["ranking", "ndcg_at_10", "recall_at_10", "mrr_at_10", "no_answer_empty_rate"],
    )
    keyword = figures["keyword"]["ndcg_at_10"]
    figures["hybrid_over_keyword"] = round(figures["hybrid"]["ndcg_at_10"] / keyword, 3) if keyword else None
    substring = figures["substring"]["ndcg_at_10"]
    figures["hybrid_over_substring"] = round(figures["hybrid"]["ndcg_at_10"] / substring, 3) if substring else None
    report.line(f"hybrid nDCG@10 / keyword-only: {figures['hybrid_over_keyword']}; / the substring match shops start with: {figures['hybrid_over_substring']}")
    kinds = sorted({item["kind"] for item in queries})
    figures["by_kind"] = {
        kind: {mode: round(statistics.mean(q[mode]["ndcg"] for q in per_query.values() if q["kind"] == kind and q[mode]["ndcg"] is not None), 4)
               for mode in MODES}
        for kind in kinds if kind != "none"
    }
    report.table([{"kind": kind, **values} for kind, values in figures["by_kind"].items()], ["kind", *MODES])
    figures.update(filter_figures(engine, queries, report))
    worst = sorted((q for q in per_query.values() if q["hybrid"]["ndcg"] is not None), key=lambda q: q["hybrid"]["ndcg"])[:8]
    report.line("weakest hybrid queries: " + "; ".join(f"{q['query']} ({q['hybrid']['ndcg']:.2f})" for q in worst))
    figures["latency_ms"] = {}
    for size in sizes:
        figures["latency_ms"][str(size)] = latency(engine, products, queries, size, options, report)
    return figures


def engine_model() -> str:
    from ecom_ai_plugin.conf import ecom_ai_settings

    return ecom_ai_settings.model_config("search")["MODEL"]


def load_queries(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"Cannot read the query set {path}: {exc}") from exc
    queries = data.get("queries") if isinstance(data, dict) else None
    if not queries:
        raise ValueError(f"The query set {path} has no queries.")
    return queries


def catalog_engine(report: Report, semantic_weight: float | None, keyword_index: str | None = None) -> tuple[Any, dict[str, dict[str, Any]]]:
    """An engine over the shop's current documents (indexing the catalog first where needed), and the products."""
    import dataclasses

    from ecom_ai_plugin.hosts import get_host
    from ecom_ai_plugin.models import SearchDocument
    from ecom_ai_plugin.services.search.documents import index_products
    from ecom_ai_plugin.services.search.index import (
        FIELDS,
        build_segment,
        engine_options,
        make_engine,
    )

    published = sum(1 for product in get_host().iter_products() if product.published)
    if not published:
        raise LookupError("The shop has no published products: run 'manage.py shop_demo_data' in the sandbox first.")
    if SearchDocument.objects.filter(removed=False).count() < published:
        report.line(f"indexing {published} products for search (once; 'manage.py ecom_ai_backfill search' does it too)")
        index_products(progress=None)
    rows = list(SearchDocument.objects.filter(removed=False).values(*FIELDS))
    options = engine_options()
    if semantic_weight is not None:
        if not 0 <= semantic_weight <= 1:
            raise ValueError("--semantic-weight is a share from 0 to 1.")
        options = dataclasses.replace(options, semantic_weight=semantic_weight)
    from django.db import connection

    if keyword_index == "postgres" and connection.vendor != "postgresql":
        raise ValueError("--keyword-index postgres needs a PostgreSQL database (SANDBOX_DATABASE_URL).")
    engine = make_engine([(build_segment(rows), None)], options=options, learned=False,
                         keyword_index=None if keyword_index in (None, "auto") else keyword_index)
    products = {
        row["product_key"]: {"name": row["name"], "category": row["category"], "attributes": row["attributes"] or {}, "description": row["description"],
                             "price": None if row["price"] is None else float(row["price"]), "available": row["available"]}
        for row in rows
    }
    return engine, products


def matches(rule: dict[str, Any], product: dict[str, Any]) -> bool:
    if "name" in rule and rule["name"].lower() not in product["name"].lower():
        return False
    if "category" in rule and rule["category"] != product["category"]:
        return False
    if "attribute" in rule:
        name, value = rule["attribute"]
        if value.lower() not in [v.lower() for v in product["attributes"].get(name, [])]:
            return False
    price = product["price"]
    if "max_price" in rule and (price is None or price > rule["max_price"]):
        return False
    if "min_price" in rule and (price is None or price < rule["min_price"]):
        return False
    if rule.get("available") and not product["available"]:
        return False
    return True


def judge(item: dict[str, Any], products: dict[str, dict[str, Any]]) -> dict[str, int]:
    """Product key -> grade, for every product some rule of the query matches."""
    grades: dict[str, int] = {}
    for key, product in products.items():
        for rule in item.get("relevant", []):
            if matches(rule, product):
                grades[key] = max(grades.get(key, 0), int(rule["grade"]))
    return grades


def ranked_keys(engine: Any, query: str, mode: str, limit: int = K) -> list[str]:
    from ecom_ai_plugin.conf import ecom_ai_settings
    from ecom_ai_plugin.services.search.serving import query_vector

    result = engine.search(query, encode=query_vector, mode=mode, limit=limit, out_of_stock=ecom_ai_settings.SEARCH["OUT_OF_STOCK"])
    return [hit.key for hit in result.hits]


def substring_keys(products: dict[str, dict[str, Any]], query: str, limit: int = K) -> list[str]:
    """The baseline a shop starts with: every word a substring of the name, description or an attribute value, by name."""
    words = query.lower().split()[:8]
    if not words:
        return []
    found = []
    for key, product in products.items():
        text = " ".join([product["name"], product["description"], *(v for values in product["attributes"].values() for v in values)]).lower()
        if all(word in text for word in words):
            found.append((product["name"], key))
    return [key for _, key in sorted(found)[:limit]]


def score(ranked: list[str], grades: dict[str, int]) -> dict[str, Any]:
    """nDCG@10 (gain 2^grade - 1), Recall@10 of grade 1 and up, MRR@10 of the first grade-2 product."""
    if not grades:
        return {"ndcg": None, "recall": None, "mrr": None, "results": len(ranked)}
    dcg = sum((2 ** grades.get(key, 0) - 1) / math.log2(i + 2) for i, key in enumerate(ranked[:K]))
    ideal = sorted(grades.values(), reverse=True)[:K]
    idcg = sum((2**g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    relevant = [key for key, g in grades.items() if g >= 1]
    recall = len(set(ranked[:K]) & set(relevant)) / min(len(relevant), K)
    best = max(grades.values())
    rank = next((i + 1 for i, key in enumerate(ranked[:K]) if grades.get(key, 0) == best), None)
    return {"ndcg": dcg / idcg, "recall": recall, "mrr": 1 / rank if rank else 0.0, "results": len(ranked)}


def summarise(rows: list) -> dict[str, Any]:
    judged = [metrics for _, _, metrics in rows if metrics["ndcg"] is not None]
    none = [metrics for _, _, metrics in rows if metrics["ndcg"] is None]
    return {
        "ndcg_at_10": round(statistics.mean(m["ndcg"] for m in judged), 4),
        "recall_at_10": round(statistics.mean(m["recall"] for m in judged), 4),
        "mrr_at_10": round(statistics.mean(m["mrr"] for m in judged), 4),
        "judged_queries": len(judged),
        "no_answer_queries": len(none),
        "no_answer_empty_rate": round(sum(m["results"] == 0 for m in none) / len(none), 4) if none else None,
    }


def filter_figures(engine: Any, queries: list[dict[str, Any]], report: Report) -> dict[str, Any]:
    """The share of constraint queries whose filters were understood exactly as labelled."""
    from ecom_ai_plugin.services.search.serving import query_vector

    labelled = [item for item in queries if "filters" in item]
    wrong = []
    for item in labelled:
        understood = engine.understand(item["query"], query_vector)
        got = {f.code: _normal(f.value) for f in understood.filters}
        want = {code: _normal(value) for code, value in item["filters"].items()}
        if got != want:
            wrong.append({"query": item["query"], "expected": want, "understood": got})
    rate = round(1 - len(wrong) / len(labelled), 4) if labelled else None
    report.line(f"filters understood as labelled: {len(labelled) - len(wrong)} of {len(labelled)} constraint queries ({rate})")
    for miss in wrong:
        report.line(f"  {miss['query']!r}: expected {miss['expected']}, understood {miss['understood']}")
    return {"filters_correct_rate": rate, "filter_queries": len(labelled), "filters_wrong": wrong}


def _normal(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)):
        return float(value)
    return str(value).lower()


def generated_segment(products: dict[str, dict[str, Any]], engine: Any, size: int, seed: int = 0) -> Any:
    """``size`` products made of the demo products' words (names recombined) and vectors (with noise)."""
    import numpy as np

    from ecom_ai_plugin.ml.search.segment import IndexedProduct, Segment

    rng = random.Random(seed)
    noise = np.random.default_rng(seed)
    base = engine.segments[0][0]
    keys = list(base.keys)
    brands = sorted({name.split()[0] for name in base.names})
    made = []
    for n in range(size):
        source = products[keys[n % len(keys)]]
        doc = base.doc_of[keys[n % len(keys)]]
        words = source["name"].split()
        name = " ".join([rng.choice(brands), *words[1:]])
        vector = base.vectors[doc] + noise.normal(0, 0.02, base.dimensions).astype(np.float32)
        vector /= np.linalg.norm(vector)
        made.append(IndexedProduct(key=f"g{n}", name=name, category=source["category"], attributes=source["attributes"],
                                   price=(source["price"] or 10) * rng.uniform(0.8, 1.2), currency="EUR",
                                   available=rng.random() > 0.1, vector=vector))
    return Segment.build(made, dimensions=base.dimensions)


def latency(engine: Any, products: dict[str, dict[str, Any]], queries: list[dict[str, Any]], size: int, options: dict[str, Any], report: Report) -> dict[str, Any]:
    """Milliseconds per search at ``size`` products: encoding the query included (not cached) and excluded (cached)."""
    import numpy as np

    from ecom_ai_plugin.services.search import serving
    from ecom_ai_plugin.services.search.index import make_engine

    started = time.perf_counter()
    segment = generated_segment(products, engine, size)
    build_seconds = time.perf_counter() - started
    # the generated products exist only here, so their words must be indexed here too (not in PostgreSQL's table)
    exact_engine = make_engine([(segment, None)], options=engine.options, learned=False, keyword_index="memory")
    measured = exact_engine
    recall = None
    if options["vector_index"] == "faiss-hnsw":
        approximate = generated_segment(products, engine, size)
        approximate.build_ann()
        measured = make_engine([(approximate, None)], options=engine.options, learned=False, keyword_index="memory")
        overlaps = []
        for item in queries:
            vector = serving.query_vector(item["query"])
            exact = set(np.argsort(-segment.similarities(vector))[:K])
            found = set(np.argsort(-approximate.similarities(vector))[:K])
            overlaps.append(len(exact & found) / K)
        recall = round(statistics.mean(overlaps), 4)
    cold, warm = [], []
    for round_ in range(options["rounds"]):
        if round_ == 0:
            serving._cached_query_vector.cache_clear()
        for item in report.progress(queries, desc=f"{size} products"):
            began = time.perf_counter()
            serving.search(item["query"], limit=24, engine=measured)
            (cold if round_ == 0 else warm).append((time.perf_counter() - began) * 1000)
    result = {
        "p50": round(float(np.percentile(cold, 50)), 2),
        "p99": round(float(np.percentile(cold, 99)), 2),
        "warm_p50": round(float(np.percentile(warm, 50)), 2) if warm else None,
        "warm_p99": round(float(np.percentile(warm, 99)), 2) if warm else None,
        "searches": len(cold) + len(warm),
        "vector_index": options["vector_index"],
        "index_build_seconds": round(build_seconds, 1),
    }
    if recall is not None:
        result["ann_recall_at_10"] = recall
    report.line(f"{size} products ({options['vector_index']}): p50 {result['p50']} ms, p99 {result['p99']} ms with the query encoded; "
                f"cached encoding p50 {result['warm_p50']} ms, p99 {result['warm_p99']} ms" + (f"; ANN recall@10 {recall}" if recall is not None else ""))
    return result
