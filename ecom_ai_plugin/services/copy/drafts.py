"""Generated copy as drafts: requested, reviewed by staff, published to the shop, reverted.

Nothing reaches a product without a staff action. Every draft's text is
judged by the sentence gate (:mod:`ecom_ai_plugin.services.copy.gate`), and
its marks (claims the facts do not support, sentences that fail the gate
and why) are kept with it in ``unsupported_claims``. A draft with marks
cannot be approved, published or bulk-published: only an edit that passes
the gate, or an override with a reason (recorded), lets it through. Every
publish keeps the text it replaced (``PublishedText``) so it can be undone.

Publishing writes through the host adapter inside
:func:`~ecom_ai_plugin.writeback.suppressed_product_events`, so the shop's own
"product changed" events do not start new jobs for text we wrote. The one job
a new description does deserve, re-embedding the product for search and
recommendations, is recorded here explicitly instead.
"""
from __future__ import annotations

import dataclasses
import hashlib
import json
import re
from collections.abc import Callable, Iterable
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.conf import ecom_ai_settings
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.editorjs import html_to_text
from ecom_ai_plugin.ml.copy.grounding import Claim
from ecom_ai_plugin.ml.text import HARD_LIMITS
from ecom_ai_plugin.models import (
    OPEN_DRAFT_STATUSES,
    BrandVoice,
    ContentDraft,
    DraftStatus,
    Job,
    PublishedText,
)
from ecom_ai_plugin.services.copy import gate
from ecom_ai_plugin.services.copy.generation import (
    CopyRequest,
    CopyResult,
    generate_copy,
    generate_copy_batch,
    product_facts,
)
from ecom_ai_plugin.writeback import suppressed_product_events

#: The product field each kind of copy is published to; other kinds (ad copy,
#: e-mail blurbs) are approved and used elsewhere, never written to a product.
KIND_FIELDS = {
    "long_description": "description",
    "short_description": "short_description",
    "seo_title": "seo_title",
    "seo_description": "seo_description",
}
MAX_TEXT_CHARS = 20_000

GENERATE = "generate_copy"
GENERATE_BATCH = "generate_copy_batch"


class DraftError(Exception):
    """An action the draft's state does not allow; the message is for staff."""


# -- text -----------------------------------------------------------------------


def clean_text(value: str) -> str:
    """Plain text: HTML tags and script dropped, entities decoded, paragraphs kept."""
    paragraphs = re.split(r"\n[^\S\n]*\n", str(value).replace("\r\n", "\n").replace("\r", "\n"))
    return "\n\n".join(p for p in (html_to_text(chunk) for chunk in paragraphs) if p)


def _same_text(a: str, b: str) -> bool:
    return " ".join(a.split()) == " ".join(b.split())


def claims_as_dicts(claims: Iterable[Claim]) -> list[dict[str, Any]]:
    return [
        {"kind": c.kind, "text": c.text, "start": int(c.start), "end": int(c.end), "reason": c.reason} for c in claims
    ]


# -- requests -------------------------------------------------------------------


def resolve_brand_voice(name: str | None) -> str:
    """The text of a saved brand voice by name; the default voice when no name is given."""
    if name:
        voice = BrandVoice.objects.filter(name=name).first()
        if voice is None:
            known = ", ".join(BrandVoice.objects.values_list("name", flat=True)) or "none saved"
            raise ValueError(f"Unknown brand voice {name!r} (known: {known}).")
        return voice.text
    voice = BrandVoice.objects.filter(is_default=True).first()
    return voice.text if voice else ""


def build_request(data: dict[str, Any]) -> CopyRequest:
    """A validated :class:`CopyRequest` from form or API data; ``ValueError`` says what is wrong.

    ``brand_voice`` names a saved :class:`BrandVoice`; its text goes to the generator.
    """
    data = dict(data)
    data["brand_voice"] = resolve_brand_voice(data.pop("brand_voice", None))
    for name in ("keywords", "avoid"):
        value = data.get(name)
        if isinstance(value, str):
            value = re.split(r"[,\n]", value)
        if value is not None:
            data[name] = tuple(part.strip() for part in value if part and part.strip())
    data = {key: value for key, value in data.items() if value is not None}
    request = CopyRequest.from_dict(data)
    request.validate()
    return request


def _digest(value: Any) -> str:
    return hashlib.sha256(json.dumps(value, sort_keys=True, default=str).encode()).hexdigest()[:20]


def request_generation(product_keys: Iterable[str], request: CopyRequest, *, requested_by: Any = None) -> Job:
    """Record a generation job: one product on its own, several as one batched job.

    The same request for the same products while one is queued or running
    returns that job. A single missing product is a ``LookupError`` now;
    missing products in a batch are reported by the job.
    """
    keys = list(dict.fromkeys(str(k).strip() for k in product_keys if str(k).strip()))
    if not keys:
        raise ValueError("Name at least one product.")
    request.validate()
    params = request.to_dict()
    if len(keys) == 1:
        if get_host().get_product(keys[0]) is None:
            raise LookupError(f"Product {keys[0]!r} does not exist.")
        return jobs.enqueue(
            GENERATE,
            target_type="product",
            target_id=keys[0],
            params={"request": params},
            idempotency_key=f"{GENERATE}:{keys[0]}:{_digest(params)}",
            requested_by=requested_by,
        )
    return jobs.enqueue(
        GENERATE_BATCH,
        target_type="products",
        target_id=str(len(keys)),
        params={"keys": keys, "request": params},
        idempotency_key=f"{GENERATE_BATCH}:{_digest([keys, params])}",
        requested_by=requested_by,
    )


def request_auto_draft(product_key: str, *, requested_by: Any = None) -> Job:
    """A description draft for a new product, made only if its description is still empty when the job runs."""
    return jobs.enqueue(
        GENERATE,
        target_type="product",
        target_id=product_key,
        params={"request": build_request({}).to_dict(), "only_if_empty": True},
        idempotency_key=f"{GENERATE}:{product_key}:auto",
        requested_by=requested_by,
    )


# -- running (called by the job handlers) ----------------------------------------


def run_generation(job: Job, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Generate one product's copy and store it as a draft; ``progress`` counts its candidates as they are written."""
    request = CopyRequest.from_dict(job.params.get("request") or {})
    if job.params.get("only_if_empty"):
        skip = _auto_draft_skip_reason(job.target_id, request)
        if skip:
            return {"skipped": skip}
    result = generate_copy(job.target_id, request, progress=progress)
    draft = create_draft(result, job=job, created_by=job.requested_by)
    return {"drafts": [str(draft.pk)], "publishable": result.publishable, "problem": result.problem}


def _auto_draft_skip_reason(product_key: str, request: CopyRequest) -> str:
    product = get_host().get_product(product_key)
    if product is None:
        return "the product no longer exists"
    if product.description.strip():
        return "the product has a description"
    if ContentDraft.objects.filter(product_key=product_key, kind=request.kind).exists():
        return "the product already has a draft"
    return ""


def run_batch(job: Job, progress: Callable[[int, int], None] | None = None) -> dict[str, Any]:
    """Generate copy for many products, each draft stored as soon as its product is done.

    ``progress(done, total)`` counts candidate texts as they are written.
    """
    request = CopyRequest.from_dict(job.params.get("request") or {})
    keys = [str(k) for k in job.params.get("keys") or []]
    made: dict[str, str] = {}
    not_publishable = 0

    def store(key: str, result: CopyResult) -> None:
        nonlocal not_publishable
        made[key] = str(create_draft(result, job=job, created_by=job.requested_by).pk)
        not_publishable += not result.publishable

    generate_copy_batch(keys, request, progress=progress, on_result=store)  # leaves out products that no longer exist
    return {"drafts": [made[key] for key in keys if key in made], "missing": [key for key in keys if key not in made], "not_publishable": not_publishable}


def create_draft(result: CopyResult, *, job: Job | None = None, created_by: Any = None) -> ContentDraft:
    """Store a generation result as the next version of the product's copy of that kind.

    The text is kept whether or not it passed the gate, with its marks, so
    staff see which sentences failed and why. A text supersedes the open
    drafts before it; a result with no text at all is kept (its ``problem``
    says why) without hiding them.
    """
    request = result.request
    text = clean_text(result.text) if result.text else ""
    scores = result.scores()
    fields = {
        "product_key": str(result.product_key),
        "kind": request.kind,
        "language": result.language or request.language,
        "tone": request.tone,
        "params": request.to_dict(),
        "text": text,
        "generated_text": text,
        "model_name": result.model_name,
        "model_revision": result.model_revision or "",
        "prompt_version": result.prompt_version,
        "scores": scores,
        "unsupported_claims": [],
        "problem": result.problem,
        "job": job,
        "created_by": created_by if getattr(created_by, "pk", None) else None,
    }
    if text and text == result.text:
        fields["unsupported_claims"] = result.marks
    elif text:  # cleaning moved the marks' offsets: judge again
        fields["unsupported_claims"] = check_text(fields["product_key"], text, kind=request.kind, language=fields["language"], length=request.length)
    if not text and not fields["problem"]:
        fields["problem"] = "No text was written."
    tries_left = 3
    while True:
        tries_left -= 1
        try:
            with transaction.atomic():
                same = ContentDraft.objects.select_for_update().filter(product_key=fields["product_key"], kind=request.kind)
                last = same.order_by("-version").values_list("version", flat=True).first()
                if text:
                    same.filter(status__in=OPEN_DRAFT_STATUSES).update(status=DraftStatus.SUPERSEDED)
                return ContentDraft.objects.create(version=(last or 0) + 1, **fields)
        except IntegrityError:
            # Another worker numbered a draft of the same copy at the same moment.
            if not tries_left:
                raise


# -- staff actions ------------------------------------------------------------------


def _require(draft: ContentDraft, allowed: Iterable[str], action: str) -> None:
    if draft.status not in allowed:
        raise DraftError(f"A {draft.get_status_display().lower()} draft cannot be {action}.")


def _locked(draft: ContentDraft) -> ContentDraft:
    """The draft re-read under a row lock, so two staff actions cannot interleave."""
    return ContentDraft.objects.select_for_update().get(pk=draft.pk)


def validate_text(kind: str, text: str) -> str:
    """The cleaned text, or ``DraftError`` when it is empty or over a limit."""
    if len(text) > MAX_TEXT_CHARS:
        raise DraftError(f"The text is {len(text)} characters long; at most {MAX_TEXT_CHARS} are allowed.")
    cleaned = clean_text(text)
    if not cleaned:
        raise DraftError("The text is empty.")
    limit = HARD_LIMITS.get(kind)
    if limit and len(cleaned) > limit:
        raise DraftError(f"A {kind.replace('_', ' ')} may have at most {limit} characters; this one has {len(cleaned)}.")
    return cleaned


def check_text(product_key: str, text: str, *, kind: str = "long_description", language: str = "", length: str = "medium", avoid: Iterable[str] = ()) -> list[dict[str, Any]]:
    """The gate's marks on ``text`` as copy of ``kind`` for the product: unsupported claims and failed sentences."""
    product = get_host().get_product(product_key)
    if product is None:
        raise DraftError(f"Product {product_key} no longer exists.")
    language = language or ecom_ai_settings.COPY["LANGUAGE"]
    facts = product_facts(product, language=language)
    report = gate.judge(text, facts, kind=kind, language=language, length=length, avoid=list(avoid))
    return [mark.to_dict() for mark in report.marks]


def failed_sentences(draft: ContentDraft) -> list[dict[str, Any]]:
    """The draft's marks grouped by the sentence they fall in, each with its reasons; marks on the whole text last."""
    from ecom_ai_plugin.ml.copy.grounding import sentences

    text = draft.text or ""
    marks = list(draft.unsupported_claims or [])
    failed = []
    for start, end in ([(0, len(text))] if draft.kind == "seo_title" else sentences(text)):
        inside = [m for m in marks if isinstance(m.get("start"), int) and start <= m["start"] < end]
        if inside:
            failed.append({"text": text[start:end].strip(), "start": start, "end": end, "reasons": [f"{m.get('text')!r}: {m.get('reason')}" if m.get("text") and m["text"].strip() != text[start:end].strip() else str(m.get("reason")) for m in inside]})
    whole = [m for m in marks if not isinstance(m.get("start"), int)]
    if whole:
        failed.append({"text": "", "start": None, "end": None, "reasons": [str(m.get("reason")) for m in whole]})
    return failed


def _draft_marks(draft: ContentDraft, text: str) -> list[dict[str, Any]]:
    params = draft.params or {}
    return check_text(draft.product_key, text, kind=draft.kind, language=draft.language, length=params.get("length", "medium"), avoid=params.get("avoid") or ())


def edit(draft: ContentDraft, text: str, *, user: Any = None) -> ContentDraft:
    """Replace the draft's text; the gate judges it again, so its marks match the new words.

    Editing an approved draft sends it back for approval: the approval was of other words.
    """
    cleaned = validate_text(draft.kind, text)
    with transaction.atomic():
        fresh = _locked(draft)
        _require(fresh, OPEN_DRAFT_STATUSES, "edited")
        if cleaned != fresh.text:
            fresh.text = cleaned
            fresh.unsupported_claims = _draft_marks(fresh, cleaned)
            fresh.scores = {**fresh.scores, "unsupported_after_edit": len(fresh.unsupported_claims), "publishable": not fresh.unsupported_claims}
            fresh.problem = "" if not fresh.unsupported_claims else _edit_problem(fresh.unsupported_claims)
            fresh.edited_at, fresh.edited_by = timezone.now(), user
            if fresh.status in (DraftStatus.APPROVED, DraftStatus.REVERTED):
                fresh.status, fresh.approved_at, fresh.approved_by = DraftStatus.DRAFT, None, None
            fresh.save()
    draft.refresh_from_db()
    return draft


def _edit_problem(marks: list[dict[str, Any]]) -> str:
    first = marks[0]
    return f"{len(marks)} mark(s) remain, the first: {first.get('text') or 'the text'!r} {first.get('reason', '')}."


def _blocked(draft: ContentDraft, action: str) -> str:
    """Why the gate keeps ``draft`` from being approved or published ("" when it does not)."""
    marks = len(draft.unsupported_claims or [])
    if not marks:
        return ""
    return (
        f"The text still has {marks} mark(s) from the check (claims the product's facts do not support, or sentences "
        f"that may not be published as they stand), so it cannot be {action}. Edit it until it passes, "
        "or override with a reason."
    )


def _record_override(draft: ContentDraft, user: Any, reason: str, now: Any) -> None:
    draft.publish_override, draft.override_reason = True, reason
    draft.override_at, draft.override_by = now, user


def approve(draft: ContentDraft, *, user: Any = None, override: bool = False, reason: str = "") -> ContentDraft:
    """Approve the draft; one with marks only with ``override`` and a reason, both recorded."""
    reason = (reason or "").strip()
    if override and not reason:
        raise DraftError("Approving despite the check's marks needs a reason.")
    with transaction.atomic():
        fresh = _locked(draft)
        _require(fresh, [DraftStatus.DRAFT], "approved")
        if not fresh.text:
            raise DraftError("This draft has no text to approve" + (f": {fresh.problem}" if fresh.problem else "."))
        blocked = _blocked(fresh, "approved")
        if blocked and not override:
            raise DraftError(blocked)
        now = timezone.now()
        fresh.status, fresh.approved_at, fresh.approved_by = DraftStatus.APPROVED, now, user
        if blocked:
            _record_override(fresh, user, reason, now)
        fresh.save()
    draft.refresh_from_db()
    return draft


def reject(draft: ContentDraft, *, user: Any = None) -> ContentDraft:
    with transaction.atomic():
        fresh = _locked(draft)
        _require(fresh, OPEN_DRAFT_STATUSES, "rejected")
        fresh.status, fresh.rejected_at, fresh.rejected_by = DraftStatus.REJECTED, timezone.now(), user
        fresh.save()
    draft.refresh_from_db()
    return draft


def target_field(draft: ContentDraft) -> str:
    """The product field the draft publishes to, if the shop has it; ``DraftError`` otherwise."""
    field = KIND_FIELDS.get(draft.kind)
    if field is None:
        raise DraftError(f"{draft.get_kind_display()} is not written to the product: approve it and use the text where it belongs.")
    if field not in get_host().writable_text_fields():
        raise DraftError(f"This shop has no {field.replace('_', ' ')} field the plugin may write.")
    return field


def publish(draft: ContentDraft, *, user: Any = None, override: bool = False, reason: str = "") -> ContentDraft:
    """Write the draft's text to the product and keep the text it replaces.

    Blocked while the gate's marks remain, unless ``override`` with a reason
    (an approval that was itself an override with a reason counts as one).
    """
    field = target_field(draft)
    reason = (reason or "").strip()
    if override and not reason:
        raise DraftError("Publishing despite the check's marks needs a reason.")
    with suppressed_product_events():
        with transaction.atomic():
            fresh = _locked(draft)
            _require(fresh, OPEN_DRAFT_STATUSES, "published")
            if not fresh.text:
                raise DraftError("This draft has no text to publish.")
            blocked = _blocked(fresh, "published")
            approved_over = fresh.status == DraftStatus.APPROVED and fresh.publish_override and bool(fresh.override_reason)
            if blocked and not override and not approved_over:
                raise DraftError(blocked)
            now = timezone.now()
            previous = get_host().write_product_text(fresh.product_key, {field: fresh.text})
            PublishedText.objects.create(
                product_key=fresh.product_key,
                field=field,
                previous_value=previous.get(field, ""),
                new_value=fresh.text,
                draft=fresh,
                published_by=user,
                published_at=now,
            )
            ContentDraft.objects.filter(
                product_key=fresh.product_key, kind=fresh.kind, status=DraftStatus.PUBLISHED
            ).update(status=DraftStatus.SUPERSEDED)
            if fresh.status == DraftStatus.DRAFT:
                fresh.approved_at, fresh.approved_by = now, user
            fresh.status, fresh.published_at, fresh.published_by = DraftStatus.PUBLISHED, now, user
            if blocked and override:
                _record_override(fresh, user, reason, now)
            fresh.save()
            _text_changed(fresh.product_key, field)
    draft.refresh_from_db()
    return draft


def revert(draft: ContentDraft, *, user: Any = None) -> ContentDraft:
    """Put back the text this draft replaced, if the product still shows this draft's text.

    The draft becomes "reverted" (it can be published again, its approval
    stays on record as it was); the draft whose text is restored, if any, is
    "published" again.
    """
    with suppressed_product_events():
        with transaction.atomic():
            fresh = _locked(draft)
            _require(fresh, [DraftStatus.PUBLISHED], "reverted")
            publication = fresh.publications.filter(reverted_at__isnull=True).order_by("-published_at", "-pk").first()
            if publication is None:
                raise DraftError("There is no publication of this draft to revert.")
            latest = (
                PublishedText.objects.select_for_update()
                .filter(product_key=fresh.product_key, field=publication.field, reverted_at__isnull=True)
                .order_by("-published_at", "-pk")
                .first()
            )
            if latest != publication:
                raise DraftError("A later text was published to this field; revert that one first.")
            host = get_host()
            current = host.read_product_text(fresh.product_key, [publication.field])[publication.field]
            if not _same_text(current, publication.new_value):
                raise DraftError(
                    f"The product's {publication.field.replace('_', ' ')} was changed in the shop after it was published; "
                    "reverting would overwrite that change."
                )
            host.restore_product_text(fresh.product_key, {publication.field: publication.previous_value})
            now = timezone.now()
            publication.reverted_at, publication.reverted_by = now, user
            publication.save(update_fields=["reverted_at", "reverted_by"])
            earlier = (
                PublishedText.objects.filter(product_key=fresh.product_key, field=publication.field, reverted_at__isnull=True)
                .order_by("-published_at", "-pk")
                .first()
            )
            if earlier is not None and earlier.draft_id:
                ContentDraft.objects.filter(pk=earlier.draft_id, status=DraftStatus.SUPERSEDED).update(status=DraftStatus.PUBLISHED)
            fresh.status, fresh.reverted_at, fresh.reverted_by = DraftStatus.REVERTED, now, user
            fresh.save()
            _text_changed(fresh.product_key, publication.field)
    draft.refresh_from_db()
    return draft


def regenerate(draft: ContentDraft, *, user: Any = None, changes: dict[str, Any] | None = None) -> Job:
    """Ask for a new version of this copy with the same request, or with ``changes`` to it.

    ``changes`` takes the fields of :func:`build_request` (``brand_voice`` is a
    saved voice's name); without one, the draft's own voice text is kept.
    """
    changes = dict(changes or {})
    data = {key: value for key, value in draft.params.items() if key != "brand_voice"}
    request = build_request({**data, **changes})
    if "brand_voice" not in changes:
        request = dataclasses.replace(request, brand_voice=draft.params.get("brand_voice", ""))
    return request_generation([draft.product_key], request, requested_by=user)


def _text_changed(product_key: str, field: str) -> None:
    """Re-embed a product whose description we changed (the shop's own event was suppressed)."""
    if field == "description" and ecom_ai_settings.AUTO_EMBED_PRODUCTS:
        jobs.enqueue("embed_product", target_type="product", target_id=product_key)

