"""What staff do from the dashboard pages, each through the same service as the Django admin.

An action is a name, the Saleor permissions it needs and a function of the
verified user and the posted form; it answers with a message, or raises
:class:`ActionError` (400/404/409) having changed nothing. Objects are looked
up within the asking Saleor's keys only: another Saleor's draft is a 404.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import ngettext

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import Answer, CategorySuggestion, ContentDraft, ExperimentKind, Job, JobStatus, ModelVersion, Question, Review, ReviewAlert, ReviewStatus
from ecom_ai_plugin.models.keys import is_valid_pk
from ecom_ai_plugin.saleor.app.dashboard import panels
from ecom_ai_plugin.saleor.app.dashboard.auth import MANAGE_PRODUCTS, DashboardUser, acting_user
from ecom_ai_plugin.services import model_versions
from ecom_ai_plugin.services.answers import inbox
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.staff import CopyRequestForm
from ecom_ai_plugin.services.insights import categories, experiments
from ecom_ai_plugin.services.reviews import posting as reviews
from ecom_ai_plugin.services.reviews import summaries

#: The most products one bulk request names (the REST API's limit).
MAX_BULK_PRODUCTS = 500


class ActionError(ValueError):
    """An action refused; ``status`` is the HTTP status to answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


#: Set in an outcome's data when the action wrote to Saleor: the page asks the dashboard to read the
#: product again (``refreshEntity``), or its form keeps the old text and saving it would write that back.
SALEOR_WRITTEN = "saleor_written"


@dataclass
class Outcome:
    message: str
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Action:
    permissions: tuple[str, ...]
    run: Callable[[DashboardUser, Mapping[str, Any]], Outcome]


# -- looking things up within the asking Saleor ----------------------------------------------


def _one(queryset: Any, pk: Any, what: str) -> Any:
    if not is_valid_pk(queryset.model, pk):
        raise ActionError(f"No such {what}.", status=404)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise ActionError(f"No such {what}.", status=404)
    return found


def _draft(user: DashboardUser, data: Mapping[str, Any]) -> ContentDraft:
    return _one(panels.own_drafts(user), data.get("draft"), "draft")


def _ids(data: Any, name: str) -> list[str]:
    values = data.getlist(name) if hasattr(data, "getlist") else data.get(name) or []
    values = [values] if isinstance(values, str) else list(values)
    return [str(value) for value in values if str(value).strip()][:MAX_BULK_PRODUCTS]


def _copy_request(data: Mapping[str, Any]) -> Any:
    form = CopyRequestForm(data)
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors) for name, errors in form.errors.items())
        raise ActionError(problems or "The options are not valid.")
    return form.cleaned_data["request"]


def _service(call: Callable[[], Any]) -> Any:
    """Run a service call; a refused state change (or a product Saleor no longer has) is a 409."""
    try:
        return call()
    except ActionError:
        raise
    except drafts.DraftError as exc:
        raise ActionError(str(exc), status=409) from None
    except (LookupError, ValueError) as exc:
        raise ActionError(str(exc), status=409) from None


# -- copy ------------------------------------------------------------------------------------


def generate(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    key = panels.product_key(user, str(data.get("product") or ""))
    if key is None:
        raise ActionError("Name a product of this Saleor.", status=404)
    request = _copy_request(data)
    job = _service(lambda: drafts.request_generation([key], request, requested_by=acting_user(user)))
    return Outcome("Generating: the draft appears here when the worker is done.", {"job": str(job.pk)})


def bulk_generate(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    ids = [part for part in re.split(r"[\s,]+", str(data.get("products") or "")) if part]
    keys = [panels.product_key(user, part) for part in ids[:MAX_BULK_PRODUCTS]]
    if any(key is None for key in keys):
        raise ActionError("Name products by their Saleor IDs (as in the product page's address), one a line or comma-separated.")
    category = str(data.get("category") or "").strip()
    if category:
        keys += panels.category_product_keys(user, category)
    keys = list(dict.fromkeys(keys))[:MAX_BULK_PRODUCTS]
    if not keys:
        raise ActionError("No products: name some, or a category that has products.")
    request = _copy_request(data)
    job = _service(lambda: drafts.request_generation(keys, request, requested_by=acting_user(user)))
    return Outcome(ngettext("Generating copy for %d product as one job.", "Generating copy for %d products as one job.", len(keys)) % len(keys), {"job": str(job.pk), "products": len(keys)})


def edit(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    draft = _draft(user, data)
    try:
        text = drafts.validate_text(draft.kind, str(data.get("text") or ""))
    except drafts.DraftError as exc:
        raise ActionError(str(exc)) from None
    _service(lambda: drafts.edit(draft, text, user=acting_user(user)))
    draft.refresh_from_db()
    marks = len(draft.unsupported_claims or [])
    fix = ngettext("Saved; the check marks %d thing to fix before it can be published.", "Saved; the check marks %d things to fix before it can be published.", marks)
    return Outcome("Saved; the check passes." if not marks else fix % marks, {"marks": marks})


def _override(data: Mapping[str, Any]) -> dict[str, Any]:
    override = str(data.get("override") or "") in ("1", "true", "on")
    reason = str(data.get("reason") or "").strip()[:2000]
    if override and not reason:
        raise ActionError("An override needs a reason.")
    return {"override": override, "reason": reason}


def approve(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    draft, override = _draft(user, data), _override(data)
    _service(lambda: drafts.approve(draft, user=acting_user(user), **override))
    return Outcome("Approved.")


def publish(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    draft, override = _draft(user, data), _override(data)
    _service(lambda: drafts.publish(draft, user=acting_user(user), **override))
    return Outcome("Published: Saleor's product shows this text now (written with productUpdate).", {SALEOR_WRITTEN: True})


def reject(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    draft = _draft(user, data)
    _service(lambda: drafts.reject(draft, user=acting_user(user)))
    return Outcome("Rejected.")


def revert(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    draft = _draft(user, data)
    _service(lambda: drafts.revert(draft, user=acting_user(user)))
    return Outcome("Reverted: the product shows its previous text again.", {SALEOR_WRITTEN: True})


def regenerate(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """A new version with the draft's own request (new options: generate again from the form)."""
    draft = _draft(user, data)
    job = _service(lambda: drafts.regenerate(draft, user=acting_user(user)))
    return Outcome("Writing a new version with the same options.", {"job": str(job.pk)})


def bulk_drafts(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """Approve or publish the selected drafts, each on its own; a draft with marks is refused, never overridden in bulk."""
    operation = {"approve": (drafts.approve, "approved"), "publish": (drafts.publish, "published")}.get(str(data.get("operation") or ""))
    if operation is None:
        raise ActionError("Choose approve or publish.")
    run, word = operation
    selected = list(panels.own_drafts(user).filter(pk__in=[i for i in _ids(data, "drafts") if is_valid_pk(ContentDraft, i)]))
    if not selected:
        raise ActionError("Select some drafts.")
    staff, done, refused = acting_user(user), 0, []
    for draft in selected:
        try:
            run(draft, user=staff)
        except (drafts.DraftError, LookupError, ValueError) as exc:
            refused.append(f"{draft}: {exc}")
        else:
            done += 1
    message = ngettext("%(n)d draft %(word)s.", "%(n)d drafts %(word)s.", done) % {"n": done, "word": word} + (f" {len(refused)} refused: " + "; ".join(refused[:5]) if refused else "")
    return Outcome(message, {"done": done, "refused": len(refused), SALEOR_WRITTEN: word == "published" and done > 0})


# -- jobs ------------------------------------------------------------------------------------


def _job(user: DashboardUser, data: Mapping[str, Any]) -> Job:
    job = _one(panels.own_jobs(user), data.get("job"), "job")
    user.require(panels.kind_permissions(job.kind))
    return job


def retry_job(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    job = _job(user, data)
    if job.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
        raise ActionError("Only a failed or cancelled job can be run again.", status=409)
    again = jobs.retry(job, requested_by=acting_user(user))
    return Outcome("Queued again.", {"job": str(again.pk)})


def cancel_job(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    job = _job(user, data)
    if not jobs.cancel(job):
        raise ActionError("Only a job that has not started can be cancelled.", status=409)
    return Outcome("Cancelled.")


# -- reviews ---------------------------------------------------------------------------------

MODERATION = {"approve": ReviewStatus.APPROVED, "reject": ReviewStatus.REJECTED, "spam": ReviewStatus.SPAM}


def moderate(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    status = MODERATION.get(str(data.get("operation") or ""))
    if status is None:
        raise ActionError("Choose approve, reject or spam.")
    selected = panels.own_reviews(user).filter(pk__in=[i for i in _ids(data, "reviews") if is_valid_pk(Review, i)])
    if not selected.exists():
        raise ActionError("Select some reviews.")
    changed = reviews.moderate(selected, status, acting_user(user))
    done = "marked as spam" if status == ReviewStatus.SPAM else status
    return Outcome(ngettext("%(n)d review %(done)s.", "%(n)d reviews %(done)s.", changed) % {"n": changed, "done": done}, {"changed": changed})


def acknowledge(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    alert = _one(ReviewAlert.objects.filter(product_key__startswith=user.key_prefix), data.get("alert"), "alert")
    summaries.acknowledge(alert, acting_user(user))
    return Outcome("Alert acknowledged.")


# -- questions -------------------------------------------------------------------------------


def _question(user: DashboardUser, data: Mapping[str, Any]) -> Question:
    return _one(panels.own_questions(user), data.get("question"), "question")


def _answer(user: DashboardUser, data: Mapping[str, Any]) -> Answer:
    return _one(Answer.objects.filter(question__product_key__startswith=user.key_prefix).select_related("question"), data.get("answer"), "answer")


def _flag(data: Mapping[str, Any], name: str, default: bool = True) -> bool:
    value = str(data.get(name) if data.get(name) is not None else ("1" if default else "0")).strip().lower()
    if value not in ("1", "0", "true", "false", "on", "off", ""):
        raise ActionError(f"{name} is 1 or 0.")
    return value in ("1", "true", "on")


def answer_question(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """Staff write an answer: published on the product page unless ``publish`` is 0; the asker is mailed."""
    question = _question(user, data)
    publish = _flag(data, "publish")
    try:
        answer = inbox.staff_answer(question, str(data.get("text") or ""), acting_user(user), publish=publish)
    except inbox.AnswerError as exc:
        raise ActionError(str(exc)) from None
    if _flag(data, "faq", default=False):
        inbox.promote(answer)
    return Outcome("Answered and published on the product page." if publish else "Answer saved, not published.", {"answer": answer.pk})


def publish_answer(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    answer, value = _answer(user, data), _flag(data, "value")
    inbox.publish(answer, value)
    return Outcome("Published on the product page." if value else "Taken off the product page.")


def promote_answer(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    answer, value = _answer(user, data), _flag(data, "value")
    inbox.promote(answer, value)
    return Outcome("Promoted to the product's FAQ." if value else "Taken out of the FAQ.")


def reject_question(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    question = _question(user, data)
    inbox.reject(question, str(data.get("reason") or ""))
    return Outcome("Refused: it is not answered on the product page.")


# -- categories ------------------------------------------------------------------------------


def decide_categories(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """Accept (move the product in Saleor) or reject the selected suggestions, each on its own."""
    from ecom_ai_plugin.saleor.app.graphql import GraphQLError

    operation = str(data.get("operation") or "")
    if operation not in {"accept", "reject"}:
        raise ActionError("Choose accept or reject.")
    selected = list(panels.own_suggestions(user).filter(pk__in=[i for i in _ids(data, "suggestions") if is_valid_pk(CategorySuggestion, i)]))
    if not selected:
        raise ActionError("Select some suggestions.")
    staff, done, problems = acting_user(user), 0, []
    for suggestion in selected:
        try:
            (categories.accept if operation == "accept" else categories.reject)(suggestion, staff)
            done += 1
        except (categories.SuggestionError, GraphQLError) as exc:
            problems.append(f"{suggestion.product_name or suggestion.product_key}: {exc}")
    if not done:
        raise ActionError("; ".join(problems), status=409)
    if operation == "accept":
        message = ngettext("%d product moved to the suggested category.", "%d products moved to the suggested category.", done) % done
    else:
        message = ngettext("%d product left where it is.", "%d products left where they are.", done) % done
    return Outcome(message + (f" Not done: {'; '.join(problems)}" if problems else ""), {"changed": done, "problems": problems, SALEOR_WRITTEN: operation == "accept"})


def find_misfiled(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """Look at the whole catalog now (one run for the app server, each shop's products compared with its own)."""
    job = categories.request_suggestions(requested_by=acting_user(user))
    return Outcome(f"Looking for misfiled products (job {job.pk}); follow it in Jobs.", {"job": str(job.pk)})


# -- experiments -----------------------------------------------------------------------------


def start_experiment(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """Start an A/B test with the Django admin's form: a slot and its challenger, or one of this Saleor's drafts against the current text."""
    from ecom_ai_plugin.services.insights.staff import ExperimentForm

    form = ExperimentForm(data, drafts=panels.own_drafts(user))  # another Saleor's draft is as unknown as a missing one
    if not form.is_valid():
        problems = "; ".join(f"{name}: {' '.join(errors)}" if name != "__all__" else " ".join(errors) for name, errors in form.errors.items())
        raise ActionError(problems or "The experiment is not valid.")
    cleaned, staff = form.cleaned_data, acting_user(user)
    if cleaned["kind"] == ExperimentKind.COPY:
        started = _service(lambda: experiments.start_copy_experiment(cleaned["name"], cleaned["draft_object"], user=staff))
    else:
        started = _service(lambda: experiments.start_recommendation_experiment(cleaned["name"], cleaned["widget"], cleaned["challenger"], user=staff, scope=user.key_prefix))
    return Outcome(f"Started “{started.name}”: visitors are split between A and B from now on.", {"experiment": started.pk})


def stop_experiment(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    """Stop and keep the winner (a text whose B won is published in Saleor through the copy feature)."""
    from ecom_ai_plugin.saleor.app.graphql import GraphQLError

    experiment = _one(panels.own_experiments(user), data.get("experiment"), "experiment")
    try:
        stopped = _service(lambda: experiments.stop(experiment, user=acting_user(user)))  # already stopped: 409, nothing changed
    except GraphQLError as exc:  # Saleor refused the winner's text: the experiment goes on
        raise ActionError(f"Saleor did not take arm B's text, so the experiment goes on: {exc}", status=409) from None
    kept = "B: its draft is published in Saleor" if stopped.kind == ExperimentKind.COPY and stopped.winner == "b" else stopped.winner.upper()
    return Outcome(f"Stopped; kept {kept}.", {"winner": stopped.winner})


# -- models ----------------------------------------------------------------------------------


def train(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    kind = str(data.get("kind") or "")
    if kind not in panels.TRAINABLE:
        raise ActionError(f"Train one of {', '.join(panels.TRAINABLE)}.")
    user.require(panels.TRAINABLE[kind])
    staff = acting_user(user)
    if kind == "recommender":
        from ecom_ai_plugin.services.recommendations.lists import request_training

        job = request_training(requested_by=staff)
    else:
        from ecom_ai_plugin.services.reviews import training

        job = jobs.enqueue(training.JOB_KIND, target_type="model", target_id="sentiment", params=training.params_from_options({"activate": True}), requested_by=staff)
    return Outcome(f"Training queued (job {job.pk}); follow it in Jobs.", {"job": str(job.pk)})


def activate(user: DashboardUser, data: Mapping[str, Any]) -> Outcome:
    version = _one(ModelVersion.objects.all(), data.get("version"), "model version")
    user.require(panels.TRAINABLE.get(version.kind, (MANAGE_PRODUCTS,)))
    staff = acting_user(user)
    try:
        with transaction.atomic():
            model_versions.activate(version, staff)
    except model_versions.ModelVersionError as exc:
        raise ActionError(str(exc), status=409) from None
    if version.kind == "recommender":  # its lists replace the ones serving now
        from ecom_ai_plugin.services.recommendations.lists import request_rebuild

        request_rebuild(version, requested_by=staff)
    elif version.kind == "sentiment":  # reviews read by the previous version are read again
        from ecom_ai_plugin.services.reviews.analysis import request_reanalysis

        request_reanalysis(requested_by=staff)
    return Outcome(f"{version} is now active.")


#: Every action the pages may post, and the Saleor permissions it needs before anything is read.
ACTIONS: dict[str, Action] = {
    "generate": Action((MANAGE_PRODUCTS,), generate),
    "bulk-generate": Action((MANAGE_PRODUCTS,), bulk_generate),
    "edit": Action((MANAGE_PRODUCTS,), edit),
    "approve": Action((MANAGE_PRODUCTS,), approve),
    "publish": Action((MANAGE_PRODUCTS,), publish),
    "reject": Action((MANAGE_PRODUCTS,), reject),
    "revert": Action((MANAGE_PRODUCTS,), revert),
    "regenerate": Action((MANAGE_PRODUCTS,), regenerate),
    "bulk-drafts": Action((MANAGE_PRODUCTS,), bulk_drafts),
    "retry-job": Action((), retry_job),  # the job's kind says what it needs
    "cancel-job": Action((), cancel_job),
    "moderate": Action((MANAGE_PRODUCTS,), moderate),
    "acknowledge-alert": Action((MANAGE_PRODUCTS,), acknowledge),
    # answers are product content shown on the storefront, as reviews are: MANAGE_PRODUCTS
    "answer-question": Action((MANAGE_PRODUCTS,), answer_question),
    "publish-answer": Action((MANAGE_PRODUCTS,), publish_answer),
    "promote-answer": Action((MANAGE_PRODUCTS,), promote_answer),
    "reject-question": Action((MANAGE_PRODUCTS,), reject_question),
    "decide-categories": Action((MANAGE_PRODUCTS,), decide_categories),
    "find-misfiled": Action((MANAGE_PRODUCTS,), find_misfiled),
    "start-experiment": Action((MANAGE_PRODUCTS,), start_experiment),
    "stop-experiment": Action((MANAGE_PRODUCTS,), stop_experiment),
    "train": Action((MANAGE_PRODUCTS,), train),
    "activate": Action((MANAGE_PRODUCTS,), activate),
}
