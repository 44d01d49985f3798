"""What each dashboard page shows, read for one installed Saleor only.

Every query here is limited to the asking Saleor's keys (``"<installation>:"``
prefixes) or to its scope of the aggregates (sales, review aspects,
click-through), so staff of one Saleor never see another's drafts, reviews,
questions, jobs or figures on a shared app server. The values are what the
Django admin shows, read through the same services.
"""
from __future__ import annotations

import datetime
import json
import logging
from collections.abc import Iterable
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.forms.renderers import DjangoTemplates
from django.utils import timezone
from django.utils.translation import ngettext

from ecom_ai_plugin import jobs
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.editorjs import text_to_editorjs
from ecom_ai_plugin.hosts.saleor_app import global_id, make_key, split_key
from ecom_ai_plugin.models import (
    COPY_KIND_LABELS,
    CategorySuggestion,
    ContentDraft,
    DraftStatus,
    Experiment,
    ExperimentKind,
    ExperimentStatus,
    ForecastLevel,
    Job,
    JobStatus,
    ModelVersion,
    Question,
    QuestionStatus,
    RecommendationList,
    RecommendationStat,
    Review,
    ReviewAlert,
    ReviewStatus,
    SuggestionStatus,
)
from ecom_ai_plugin.saleor.app.dashboard.auth import MANAGE_ORDERS, MANAGE_PRODUCTS, MANAGE_USERS, DashboardUser
from ecom_ai_plugin.saleor.app.mounts import app_path
from ecom_ai_plugin.services.answers import inbox as answers_inbox
from ecom_ai_plugin.services.copy import drafts as copy_drafts
from ecom_ai_plugin.services.copy.staff import CopyRequestForm, highlight_claims
from ecom_ai_plugin.services.recommendations import tracking
from ecom_ai_plugin.services.reviews import summaries

logger = logging.getLogger(__name__)

#: Rows a list shows (the newest first).
PAGE_ROWS = 50
#: How the pages' forms render: with Django's own form templates, whatever the host's ``FORM_RENDERER``.
#: Saleor sets ``TemplatesSetting`` without ``django.forms`` in ``INSTALLED_APPS``, so its settings find none.
FORM_RENDERER = DjangoTemplates()
#: Job kinds whose work concerns orders or customers need those permissions to re-run or cancel (others: MANAGE_PRODUCTS).
KIND_PERMISSIONS: dict[str, tuple[str, ...]] = {
    "ingest_order": (MANAGE_ORDERS,),
    "link_customer": (MANAGE_USERS,),
    "forget_customer": (MANAGE_USERS,),
    "train_recommender": (MANAGE_PRODUCTS, MANAGE_ORDERS),
    "rebuild_recommendation_lists": (MANAGE_PRODUCTS, MANAGE_ORDERS),
    "refresh_customer_recommendations": (MANAGE_ORDERS,),
    "refresh_visitor_recommendations": (MANAGE_ORDERS,),
    "refresh_product_recommendations": (MANAGE_ORDERS,),
    "refresh_insights": (MANAGE_ORDERS,),
}
#: Model kinds staff can train from the app page, and what training each needs.
TRAINABLE: dict[str, tuple[str, ...]] = {"sentiment": (MANAGE_PRODUCTS,), "recommender": (MANAGE_PRODUCTS, MANAGE_ORDERS)}
APP_TABS = ("drafts", "generate", "jobs", "reviews", "questions", "categories", "models", "recommendations", "experiments", "insights")


def kind_permissions(kind: str) -> tuple[str, ...]:
    return KIND_PERMISSIONS.get(kind, (MANAGE_PRODUCTS,))


# -- scoping to one Saleor ----------------------------------------------------------------


def product_key(user: DashboardUser, product_id: str) -> str | None:
    """Our key of the dashboard's product (its GraphQL id), within the asking Saleor."""
    return make_key(user.key_prefix, (product_id or "").strip(), "Product")


def product_id(key: str) -> str:
    """The product's GraphQL id from our key (for the dashboard's links); a key without a scope is Saleor's own id (in-process)."""
    parts = split_key(key)
    if parts:
        return global_id("Product", parts[1])
    return global_id("Product", key) if key and ":" not in key else ""


def own_drafts(user: DashboardUser) -> QuerySet[ContentDraft]:
    return ContentDraft.objects.filter(product_key__startswith=user.key_prefix)


def own_reviews(user: DashboardUser) -> QuerySet[Review]:
    return Review.objects.filter(product_key__startswith=user.key_prefix)


def own_questions(user: DashboardUser) -> QuerySet[Question]:
    return Question.objects.filter(product_key__startswith=user.key_prefix)


def own_suggestions(user: DashboardUser) -> QuerySet[CategorySuggestion]:
    return CategorySuggestion.objects.filter(product_key__startswith=user.key_prefix)


def own_experiments(user: DashboardUser) -> QuerySet[Experiment]:
    """This Saleor's A/B tests: its own slots and its own products' texts."""
    return Experiment.objects.filter(scope=user.key_prefix)


def own_stats(user: DashboardUser) -> QuerySet[RecommendationStat]:
    """This Saleor's recommendation click-through counters (the products shown were its own)."""
    return RecommendationStat.objects.filter(scope=user.key_prefix)


def own_jobs(user: DashboardUser) -> QuerySet[Job]:
    """This Saleor's jobs: a key of its own, a batch of its products, or app-wide work (training) its staff asked for.

    App-wide jobs asked for by another Saleor's staff, or by the app server
    itself (the nightly refresh), are not listed: they would tell one shop
    what another does. In-process there is one shop: all jobs are its own.
    """
    if user.in_process:
        return Job.objects.all()  # inside Saleor every job is this shop's
    prefix = user.key_prefix
    shared = ~Q(target_id__contains=":") & ~Q(params__has_key="keys")
    own_staff = Q(requested_by__username__startswith=f"saleor-{user.installation.pk}-")
    return Job.objects.filter(Q(target_id__startswith=prefix) | Q(params__keys__0__startswith=prefix) | (shared & own_staff))


def product_names(keys: Iterable[str]) -> dict[str, str]:
    """Names of products by key, in one batched read; a Saleor that does not answer leaves the keys."""
    keys = sorted({key for key in keys if key})
    if not keys:
        return {}
    try:
        return {product.key: product.name for product in get_host().iter_products(keys=keys)}
    except Exception as exc:  # noqa: BLE001 - a list must show even when Saleor is slow or down
        logger.warning("ecom_ai_plugin: product names not read: %s", exc)
        return {}


# -- pieces ---------------------------------------------------------------------------------


def _products(count: int) -> str:
    return ngettext("%d product", "%d products", count) % count


def job_row(job: Job) -> dict[str, Any]:
    done, total = job.progress_done, job.progress_total
    return {
        "job": job,
        "kind_label": jobs.kind_label(job.kind),
        "percent": (100 * done // total) if total else None,
        "running": job.status in (JobStatus.PENDING, JobStatus.RUNNING),
        "can_retry": job.status in (JobStatus.FAILED, JobStatus.CANCELLED),
        "can_cancel": job.status == JobStatus.PENDING,
        "permissions": kind_permissions(job.kind),
    }


def draft_view(draft: ContentDraft) -> dict[str, Any]:
    """A draft as staff read it: the text with its unsupported claims marked, what they may do with it."""
    publishable = draft.is_open and bool(draft.text) and not draft.unsupported_claims and draft.kind in copy_drafts.KIND_FIELDS
    return {
        "draft": draft,
        "kind_label": COPY_KIND_LABELS.get(draft.kind, draft.kind),
        "marked": highlight_claims(draft.text, draft.unsupported_claims) if draft.text else "",
        "failed": copy_drafts.failed_sentences(draft),
        "publishable": publishable,
        "open": draft.is_open,
        "can_publish": draft.status in (DraftStatus.DRAFT, DraftStatus.APPROVED) and publishable,
        "can_approve": draft.status == DraftStatus.DRAFT and publishable,
        "can_revert": draft.status == DraftStatus.PUBLISHED,
        "can_reject": draft.status in (DraftStatus.DRAFT, DraftStatus.APPROVED),
        # as in the Django admin: staff may publish despite the marks, with a reason that is recorded
        "can_override": draft.is_open and bool(draft.text) and bool(draft.unsupported_claims) and draft.kind in copy_drafts.KIND_FIELDS,
        # what "Insert into the product form" hands the dashboard's editor (EditorJS, as Saleor stores descriptions)
        "editorjs": json.dumps(text_to_editorjs(draft.text), ensure_ascii=False) if draft.text and draft.kind == "long_description" else "",
    }


# -- pages ------------------------------------------------------------------------------------


def generate_panel(user: DashboardUser, product_gid: str, draft_id: str = "") -> dict[str, Any]:
    """The "Generate description" popup: the options, the product's job, its drafts, the chosen draft."""
    key = product_key(user, product_gid)
    if key is None:
        return {"missing": True}
    product = get_host().get_product(key)
    product_drafts = list(ContentDraft.objects.filter(product_key=key).order_by("-created_at")[:10])
    current = next((d for d in product_drafts if str(d.pk) == draft_id), product_drafts[0] if product_drafts else None)
    job = Job.objects.filter(kind=copy_drafts.GENERATE, target_id=key).order_by("-created_at").first()
    return {
        "missing": product is None,
        "product": product,
        "product_id": product_gid,
        "form": CopyRequestForm(initial=_last_options(current), renderer=FORM_RENDERER),
        "job": job_row(job) if job else None,
        "drafts": product_drafts,
        "current": draft_view(current) if current else None,
    }


def _last_options(draft: ContentDraft | None) -> dict[str, Any]:
    """The options the product's last draft was written with: what staff most likely want again."""
    params = draft.params if draft is not None and isinstance(draft.params, dict) else {}
    initial = {name: params[name] for name in ("kind", "tone", "language", "length") if isinstance(params.get(name), str)}
    for name in ("keywords", "avoid"):
        if isinstance(params.get(name), list):
            initial[name] = ", ".join(str(word) for word in params[name])
    return initial


def widget_panel(user: DashboardUser, product_gid: str) -> dict[str, Any]:
    """The product page widget: what customers say, the trend, alerts, reviews waiting, recommendation lists."""
    key = product_key(user, product_gid)
    if key is None:
        return {"missing": True}
    summary = summaries.summary_for(key)
    reviews = Review.objects.filter(product_key=key)
    trend = list(
        reviews.filter(status=ReviewStatus.APPROVED)
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(count=Count("pk"), negative=Count("pk", filter=Q(analysis__sentiment="negative")))
        .order_by("-month")[:6]
    )
    top = max((row["count"] for row in trend), default=0) or 1
    for row in trend:
        row["width"] = round(100 * row["count"] / top)
        row["negative_share"] = round(100 * row["negative"] / row["count"]) if row["count"] else 0
    lists = []
    if user.has(MANAGE_ORDERS):  # lists are learnt from orders
        rows = list(RecommendationList.objects.filter(subject_key=key).order_by("widget"))
        names = product_names(item.get("product_key", "") for row in rows for item in (row.items or [])[:5] if isinstance(item, dict))
        for row in rows:
            items = [item for item in (row.items or [])[:5] if isinstance(item, dict)]
            lists.append({"widget": row.widget, "items": [{**item, "name": names.get(item.get("product_key", ""), item.get("product_key", ""))} for item in items]})
    return {
        "missing": False,
        "product_id": product_gid,
        "summary": summary,
        "points": summaries.visible_points(summary),
        "trend": trend,
        "alerts": list(ReviewAlert.objects.filter(product_key=key, acknowledged_at__isnull=True).order_by("-created_at")[:5]),
        "pending": list(reviews.filter(status=ReviewStatus.PENDING).select_related("analysis").order_by("-created_at")[:5]),
        "pending_count": reviews.filter(status=ReviewStatus.PENDING).count(),
        "lists": lists,
        "click_through": tracking.click_through(own_stats(user).filter(day__gte=timezone.localdate() - datetime.timedelta(days=30)), "widget") if user.has(MANAGE_ORDERS) else [],
        "can_orders": user.has(MANAGE_ORDERS),
    }


def today_panel(user: DashboardUser) -> dict[str, Any]:
    """The homepage widget: today's figures."""
    today = timezone.localdate()
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    own = own_jobs(user)
    stats = tracking.totals(tracking.click_through(own_stats(user).filter(day=today), "widget"))
    return {
        "drafts_waiting": own_drafts(user).filter(status__in=[DraftStatus.DRAFT, DraftStatus.APPROVED]).count(),
        "published_today": own_drafts(user).filter(published_at__gte=start).count(),
        "reviews_today": own_reviews(user).filter(created_at__gte=start).count(),
        "reviews_pending": own_reviews(user).filter(status=ReviewStatus.PENDING).count(),
        "alerts_open": ReviewAlert.objects.filter(product_key__startswith=user.key_prefix, acknowledged_at__isnull=True).count(),
        "jobs_running": own.filter(status__in=[JobStatus.PENDING, JobStatus.RUNNING]).count(),
        "jobs_failed_today": own.filter(status=JobStatus.FAILED, finished_at__gte=start).count(),
        "questions_waiting": answers_inbox.waiting(own_questions(user)).count(),
        "click_through": stats,
    }


def app_panel(user: DashboardUser, tab: str, query: dict[str, str]) -> dict[str, Any]:
    """The app page: one tab's rows."""
    tab = tab if tab in APP_TABS else "drafts"
    context: dict[str, Any] = {"tab": tab, "tabs": APP_TABS, "query": query}
    if tab == "drafts":
        status = query.get("status") or "open"
        rows = own_drafts(user)
        rows = rows.filter(status__in=[DraftStatus.DRAFT, DraftStatus.APPROVED]) if status == "open" else rows.filter(status=status) if status in DraftStatus.values else rows
        rows = list(rows.order_by("-created_at")[:PAGE_ROWS])
        names = product_names(d.product_key for d in rows)
        context.update(status=status, statuses=["open", *DraftStatus.values, "all"], rows=[{**draft_view(d), "name": names.get(d.product_key, d.product_key), "product_id": product_id(d.product_key)} for d in rows])
    elif tab == "generate":
        context.update(form=CopyRequestForm(renderer=FORM_RENDERER))
    elif tab == "jobs":
        status = query.get("status") or ""
        rows = own_jobs(user)
        if status in JobStatus.values:
            rows = rows.filter(status=status)
        rows = [job_row(job) for job in rows.order_by("-created_at")[:PAGE_ROWS]]
        names = product_names(row["job"].target_id for row in rows if row["job"].target_type == "product")
        for row in rows:
            job = row["job"]
            row["target_label"] = names.get(job.target_id) or (_products(len(job.params.get("keys") or [])) if job.params.get("keys") else job.target_type or "")
        context.update(status=status, statuses=JobStatus.values, rows=rows)
        context["running"] = any(row["running"] for row in context["rows"])
    elif tab == "reviews":
        status = query.get("status") or ReviewStatus.PENDING
        rows = own_reviews(user).select_related("analysis")
        if status in ReviewStatus.values:
            rows = rows.filter(status=status)
        flagged = query.get("flagged") or ""
        if flagged == "spam":
            rows = rows.filter(analysis__is_spam_suspect=True)
        elif flagged == "abuse":
            rows = rows.filter(analysis__is_abusive=True)
        rating = query.get("rating") or ""
        if rating in {"1", "2", "3", "4", "5"}:
            rows = rows.filter(rating=int(rating))
        rows = list(rows.order_by("-created_at")[:PAGE_ROWS])
        names = product_names(r.product_key for r in rows)
        context.update(status=status, statuses=ReviewStatus.values, flagged=flagged, rating=rating, rows=[{"review": r, "name": names.get(r.product_key, r.product_key), "analysis": getattr(r, "analysis", None)} for r in rows])
    elif tab == "categories":
        status = query.get("status") or SuggestionStatus.OPEN
        rows = own_suggestions(user)
        if status in SuggestionStatus.values:
            rows = rows.filter(status=status)
        rows = rows.order_by("-confidence", "-created_at") if status == SuggestionStatus.OPEN else rows.order_by("-created_at")
        context.update(
            status=status,
            statuses=[*SuggestionStatus.values, "all"],
            rows=[{"suggestion": s, "product_id": product_id(s.product_key)} for s in rows[:PAGE_ROWS]],
            open_count=own_suggestions(user).filter(status=SuggestionStatus.OPEN).count(),
        )
    elif tab == "models":
        versions = list(ModelVersion.objects.order_by("kind", "-version")[:PAGE_ROWS])
        context.update(rows=versions, trainable=[{"kind": kind, "allowed": user.has(*needs), "needs": needs} for kind, needs in TRAINABLE.items()])
    elif tab == "recommendations":
        since = timezone.localdate() - datetime.timedelta(days=30)
        stats = own_stats(user).filter(day__gte=since)
        by_widget = tracking.click_through(stats, "widget")
        context.update(since=since, by_widget=by_widget, by_strategy=tracking.click_through(stats, "strategy"), total=tracking.totals(by_widget), allowed=user.has(MANAGE_ORDERS))
    elif tab == "experiments":
        context.update(experiments_panel(user, query))
    elif tab == "questions":
        context.update(questions_panel(user, query))
    elif tab == "insights":
        context.update(allowed=user.has(MANAGE_ORDERS))
        if context["allowed"]:  # sales and forecasts are learnt from orders
            context.update(insights_panel(user, query))
    return context


def questions_panel(user: DashboardUser, query: dict[str, str]) -> dict[str, Any]:
    """The questions inbox, as the Django admin's: what needs staff first; one question opened with its answers.

    The question as typed and the asker's address are personal data: only a
    token that also holds ``MANAGE_USERS`` reads them (else the scrubbed
    text, as shoppers would see it).
    """
    status = query.get("status") or "waiting"
    rows = own_questions(user)
    if status == "waiting":
        rows = answers_inbox.waiting(rows)
    elif status in QuestionStatus.values:
        rows = rows.filter(status=status)
    rows = list(answers_inbox.inbox(rows).prefetch_related("answers")[:PAGE_ROWS])
    opened = None
    wanted = query.get("question") or ""
    if wanted:
        from ecom_ai_plugin.models.keys import is_valid_pk

        if is_valid_pk(Question, wanted):
            opened = own_questions(user).prefetch_related("answers").filter(pk=wanted).first()
    names = product_names([q.product_key for q in rows] + ([opened.product_key] if opened else []))
    personal = user.has(MANAGE_USERS)

    def view(question: Question) -> dict[str, Any]:
        answers = sorted(question.answers.all(), key=lambda a: (not a.published, -a.created_at.timestamp()))
        return {
            "question": question,
            "name": names.get(question.product_key, question.product_key),
            "product_id": product_id(question.product_key),
            "answers": answers,
            "published": next((a for a in answers if a.published), None),
            "asker": (question.email or (f"customer {question.customer_key}" if question.customer_key else "—")) if personal else ("a customer" if question.customer_key else "a shopper"),
            "as_asked": question.text if personal else question.scrubbed_text,
        }

    return {
        "status": status,
        "statuses": ["waiting", *QuestionStatus.values, "all"],
        "rows": [view(q) for q in rows],
        "opened": view(opened) if opened else None,
        "personal": personal,
        "counts": {"waiting": answers_inbox.waiting(own_questions(user)).count()},
    }


def experiments_panel(user: DashboardUser, query: dict[str, str]) -> dict[str, Any]:
    """The Django admin's experiments for this Saleor: arms, visitors, rates with their intervals, the verdict; what to start one with.

    Purchase rates (and the verdict, decided on purchases first) are learnt
    from orders: shown to a token that also holds ``MANAGE_ORDERS``.
    """
    from ecom_ai_plugin.services.insights.staff import ExperimentForm
    from ecom_ai_plugin.services.insights import experiments

    status = query.get("status") or "all"
    rows = own_experiments(user)
    if status in ExperimentStatus.values:
        rows = rows.filter(status=status)
    rows = list(rows.order_by("status", "-started_at")[:PAGE_ROWS])  # running before stopped
    candidates = list(own_drafts(user).filter(kind="long_description", status__in=[DraftStatus.DRAFT, DraftStatus.APPROVED]).exclude(text="").order_by("-created_at")[:PAGE_ROWS])
    names = product_names([e.product_key for e in rows if e.product_key] + [d.product_key for d in candidates])
    draft_versions = {str(d.pk): d.version for d in ContentDraft.objects.filter(pk__in=[e.arm_b.get("draft") for e in rows if e.kind == ExperimentKind.COPY and e.arm_b.get("draft")])}

    def view(experiment: Experiment) -> dict[str, Any]:
        result = experiments.results(experiment)
        if experiment.kind == ExperimentKind.COPY:
            version = draft_versions.get(str(experiment.arm_b.get("draft")))
            arms = ("the current text", f"draft v{version}" if version else "the draft")
        else:
            arms = tuple(str(arm.get("widget", "")).replace("_", " ") for arm in (experiment.arm_a, experiment.arm_b))
        return {
            "experiment": experiment,
            "arms": [
                {"arm": arm.upper(), "shows": shows, "visitors": result.visitors[arm], "clicked": str(result.clicks[arm]), "bought": str(result.conversions[arm])}
                for arm, shows in zip(experiments.ARMS, arms)
            ],
            "slot": experiment.widget.replace("_", " "),
            "name": names.get(experiment.product_key, experiment.product_key) if experiment.product_key else "",
            "product_id": product_id(experiment.product_key) if experiment.product_key else "",
            "verdict": result.verdict if experiment.is_running else f"Stopped; kept {experiment.winner.upper()}.",
        }

    form = ExperimentForm()
    return {
        "status": status,
        "statuses": ["all", *ExperimentStatus.values],
        "rows": [view(e) for e in rows],
        "running_count": own_experiments(user).filter(status=ExperimentStatus.RUNNING).count(),
        "slots": form.fields["widget"].choices[1:],
        "candidates": [{"draft": d, "name": names.get(d.product_key, d.product_key)} for d in candidates],
        "can_orders": user.has(MANAGE_ORDERS),
        "min_visitors": experiments.MIN_VISITORS,
    }


def insights_panel(user: DashboardUser, query: dict[str, str]) -> dict[str, Any]:
    """The Django admin's insights page for this Saleor's scope: the same panels, charts, tables and CSV."""
    from django.utils.http import urlencode
    from django.utils.text import slugify

    from ecom_ai_plugin.services.insights import dashboard

    try:
        filters = dashboard.Filters.from_query(query)
    except dashboard.FilterError as exc:
        return {"insights_error": str(exc)}
    level, key = insights_forecast(user, query)
    default_range = not query.get("start") and not query.get("end")
    board = dashboard.build_dashboard(filters, forecast_level=level, forecast_key=key, default_range=default_range, scope=user.key_prefix)
    export_query = {**filters.as_query(), **({"forecast": query["forecast"]} if level == ForecastLevel.PRODUCT else {})}
    for panel in board.panels:
        panel.export_url = app_path("dashboard-insights-csv", in_process=user.in_process, kwargs={"slug": panel.slug}) + "?" + urlencode(export_query)
        panel.anchor = slugify(panel.slug)
        with_product_ids(panel)
    return {
        "dashboard": board,
        "filters": filters,
        "embedded": True,
        "unscoped_note": "Search gaps and the weekly digest are the app server's (a search does not say which Saleor's storefront sent it): they are in its Django admin.",
    }


def with_product_ids(panel: Any) -> Any:
    """Product tables name products as the dashboard does (their Saleor id, as in the product page's address)."""
    if panel.slug in ("stock", "movers"):
        for row in panel.rows:
            row[0] = product_id(row[0]) or row[0]
    return panel


def insights_forecast(user: DashboardUser, query: dict[str, str]) -> tuple[str, str]:
    """``?forecast=<Saleor product id>``: that product's forecast (of this Saleor only); else the shop's."""
    from ecom_ai_plugin.services.insights.forecasting import TOTAL_KEY

    key = product_key(user, query.get("forecast", "")) if query.get("forecast") else None
    return (ForecastLevel.PRODUCT, key) if key else (ForecastLevel.TOTAL, TOTAL_KEY)



def category_product_keys(user: DashboardUser, category: str) -> list[str]:
    """The asking Saleor's products in a category (by name, as the dashboard shows it), read in pages."""
    wanted = category.strip().casefold()
    return [
        product.key
        for product in get_host().iter_products()
        if product.key.startswith(user.key_prefix) and (product.category or "").strip().casefold() == wanted
    ]
