"""Answers to customers' questions: correct, wrong, escalated, hostile refused, facts absent from sources, latency.

The labelled question set (``evaluation/data/answer_questions.json``) is
written for the sandbox's demo catalog (``manage.py shop_setup``: products,
reviews analysed): questions the attributes, price and stock answer,
questions a sentence of the description answers, questions reviewers
answer, questions nothing answers (staff must) and hostile ones
(instructions, other people's data or orders, off-topic). Each question
goes the way a shopper's does (asked, scrubbed, refused at once or
answered by the job's service) inside a transaction rolled back at the end:
the shop is left as it was. An answer "asserts a fact absent from its
sources" when the grounding check finds a claim (number, colour,
material, origin, brand...) that the sources it cites do not support.
"""
from __future__ import annotations

import argparse
import json
import statistics
import time
from pathlib import Path
from typing import Any

from ecom_ai_plugin.evaluation.report import Report

QUESTION_SET = Path(__file__).resolve().parent / "data" / "answer_questions.json"
ANSWERABLE = ("attribute", "description", "review")


class _Rollback(Exception):
    pass


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--questions", default=str(QUESTION_SET), help="the labelled question set (default: the demo catalog's)")
    parser.add_argument("--show", type=int, default=12, help="answers printed in full (text mode)")


def load_questions(path: Path) -> list[dict[str, Any]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ValueError(f"Cannot read the question set {path}: {exc}") from exc
    questions = data.get("questions") if isinstance(data, dict) else None
    if not questions:
        raise ValueError(f"The question set {path} has no questions.")
    return questions


def run(options: dict[str, Any], report: Report) -> dict[str, Any]:
    from django.db import transaction

    from ecom_ai_plugin.hosts import get_host

    questions = load_questions(Path(options["questions"]))
    products = {product.name: product for product in get_host().iter_products()}
    missing = sorted({item["product"] for item in questions} - set(products))
    if missing:
        raise LookupError(f"The shop has no product named {missing[0]!r} ({len(missing)} missing): run manage.py shop_setup on the demo catalog.")
    rows: list[dict[str, Any]] = []
    try:
        with transaction.atomic():
            # the models load on the first question: timed apart, as a worker's first job is
            first = time.perf_counter()
            warm_up(products[questions[0]["product"]])
            first_ms = round((time.perf_counter() - first) * 1000, 1)
            for item in report.progress(questions, desc="questions"):
                rows.append(ask_one(item, products[item["product"]]))
            raise _Rollback
    except _Rollback:
        pass
    figures = summarise(rows)
    figures["first_question_ms"] = first_ms
    report.line(f"{len(rows)} questions on {len({r['product'] for r in rows})} products")
    report.table(
        [{"kind": kind, **values} for kind, values in figures["by_kind"].items()],
        ["kind", "questions", "answered_correct", "answered_wrong", "escalated", "refused"],
    )
    report.line(
        f"answerable answered without staff: {figures['answered_correct'] + figures['answered_wrong']} of {figures['answerable']} "
        f"({figures['answered_without_staff_rate']:.0%}), correct {figures['answered_correct']}, wrong {figures['answered_wrong']}; "
        f"hostile refused {figures['hostile_refused']} of {figures['hostile']}; answers asserting a fact absent from their sources: "
        f"{figures['unsupported_claims']}; latency p50 {figures['latency_ms']['p50']} ms, p99 {figures['latency_ms']['p99']} ms"
    )
    wrong = [r for r in rows if r["verdict"] in ("wrong", "not_refused", "answered_unanswerable")]
    for row in wrong:
        report.line(f"  {row['verdict']}: [{row['kind']}] {row['question']} -> {row['status']}: {row['text'] or row['reason']}")
    for row in [r for r in rows if r["status"] == "answered"][: max(0, int(options.get("show") or 0))]:
        report.line(f"  Q ({row['product']}): {row['question']}\n  A: {row['text']}\n     sources: {json.dumps(row['sources'], ensure_ascii=False)}")
    figures["questions_file"] = str(options["questions"])
    figures["rows"] = [{k: r[k] for k in ("id", "kind", "status", "verdict", "text", "reason", "ms")} for r in rows]
    return figures


def warm_up(product: Any) -> None:
    from ecom_ai_plugin.services.answers import answering

    answering.decide("Is it durable?", product)


def ask_one(item: dict[str, Any], product: Any) -> dict[str, Any]:
    """Ask as a shopper would and run the answering service; the verdict against the label."""
    from ecom_ai_plugin.models import Answer, QuestionStatus
    from ecom_ai_plugin.services.answers import answering, asking

    started = time.perf_counter()
    question = asking.ask(product.key, item["question"], email=f"evaluation+{item['id']}@example.com")
    if question.status == QuestionStatus.PENDING:
        answering.answer_question(question)
        question.refresh_from_db()
    elapsed = (time.perf_counter() - started) * 1000
    answer = Answer.objects.filter(question=question).first()
    row = {
        "id": item["id"], "kind": item["kind"], "product": product.name, "question": item["question"], "status": question.status,
        "reason": question.reason, "text": answer.text if answer else "", "sources": answer.sources if answer else [], "ms": round(elapsed, 1),
    }
    row["unsupported"] = unsupported_claims(row["text"], row["sources"], product) if answer else []
    row["verdict"] = verdict(item, row)
    return row


def unsupported_claims(text: str, sources: list[dict[str, Any]], product: Any) -> list[str]:
    """Claims of the answer that the sources it cites (and the product's name, which it may say) do not support."""
    from ecom_ai_plugin.hosts import ProductInfo
    from ecom_ai_plugin.ml.copy.grounding import check_grounding, facts_from_product

    attributes = {item["id"]: item["quote"].split(": ", 1)[-1].split(", ") for item in sources if item["kind"] == "attribute"}
    facts = facts_from_product(ProductInfo(key=product.key, name=product.name, attributes=attributes), [item["quote"] for item in sources])
    return [claim.text for claim in check_grounding(text, facts).unsupported]


def verdict(item: dict[str, Any], row: dict[str, Any]) -> str:
    kind, status = item["kind"], row["status"]
    if kind == "hostile":
        return "refused" if status == "refused" else "not_refused"
    if kind == "unanswerable":
        return {"answered": "answered_unanswerable", "refused": "refused"}.get(status, "escalated")
    if status != "answered":
        return status
    expect = item.get("expect") or {}
    text = row["text"].lower()
    if any(word.lower() not in text for word in expect.get("contains", [])):
        return "wrong"
    if expect.get("answer") and not text.startswith(expect["answer"]):
        return "wrong"
    if expect.get("aspect") and not _cites_aspect(row["sources"], expect["aspect"]):
        return "wrong"
    return "correct" if not row["unsupported"] else "wrong"


def _cites_aspect(sources: list[dict[str, Any]], aspect: str) -> bool:
    from ecom_ai_plugin.models import ReviewSentence

    ids = [int(s["id"]) for s in sources if s["kind"] == "review" and str(s["id"]).isdigit()]
    cited = ReviewSentence.objects.filter(pk__in=ids).values_list("review_id", "index")
    return any(ReviewSentence.objects.filter(review_id=review, index=index, aspect=aspect).exists() for review, index in cited)


def _percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(share * len(ordered)))], 1) if ordered else 0.0


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    answerable = [r for r in rows if r["kind"] in ANSWERABLE]
    hostile = [r for r in rows if r["kind"] == "hostile"]
    unanswerable = [r for r in rows if r["kind"] == "unanswerable"]
    by_kind = {}
    for kind in (*ANSWERABLE, "unanswerable", "hostile"):
        mine = [r for r in rows if r["kind"] == kind]
        by_kind[kind] = {
            "questions": len(mine),
            "answered_correct": sum(r["verdict"] == "correct" for r in mine),
            "answered_wrong": sum(r["verdict"] in ("wrong", "answered_unanswerable") for r in mine),
            "escalated": sum(r["status"] == "escalated" for r in mine),
            "refused": sum(r["status"] == "refused" for r in mine),
        }
    latencies = [r["ms"] for r in rows]
    answered = [r for r in answerable if r["status"] == "answered"]
    return {
        "questions": len(rows),
        "answerable": len(answerable),
        "answered_correct": sum(r["verdict"] == "correct" for r in answerable),
        "answered_wrong": sum(r["verdict"] == "wrong" for r in answerable),
        "escalated": sum(r["status"] == "escalated" for r in answerable),
        "answerable_refused": sum(r["status"] == "refused" for r in answerable),
        "answered_without_staff_rate": round(len(answered) / len(answerable), 4) if answerable else 0.0,
        "unanswerable": len(unanswerable),
        "unanswerable_escalated": sum(r["status"] == "escalated" for r in unanswerable),
        "unanswerable_answered": sum(r["status"] == "answered" for r in unanswerable),
        "hostile": len(hostile),
        "hostile_refused": sum(r["status"] == "refused" for r in hostile),
        "unsupported_claims": sum(bool(r["unsupported"]) for r in rows),
        "latency_ms": {"p50": _percentile(latencies, 0.5), "p99": _percentile(latencies, 0.99),
                       "mean": round(statistics.mean(latencies), 1) if latencies else 0.0},
        "by_kind": by_kind,
    }
