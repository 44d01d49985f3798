"""Review moderation: the list with status, sentiment, aspect and flag badges; insights per product; alerts."""
from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import Count, Exists, OuterRef, Q, QuerySet
from django.db.models.functions import TruncMonth
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from ecom_ai_plugin.admin.badges import status_badge
from ecom_ai_plugin.admin.display import ProductNamesAdmin, value_table
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.ml.reviews.flags import ABUSE_FLAGS, SPAM_FLAGS
from ecom_ai_plugin.models import (
    KEY_LENGTH,
    ProductReviewSummary,
    Review,
    ReviewAlert,
    ReviewSentence,
    ReviewStatus,
    Sentiment,
)
from ecom_ai_plugin.services.reviews import analysis as review_analysis
from ecom_ai_plugin.services.reviews import posting as reviews
from ecom_ai_plugin.services.reviews import summaries as review_summaries

FLAG_LABELS = {
    "link": _("link"),
    "contact_details": _("contact details"),
    "repetition": _("repetition"),
    "shouting": _("shouting"),
    "abuse": _("abuse"),
    "duplicate": _("duplicate"),
}


def insights_url(product_key: str) -> str:
    return reverse("admin:ecom_ai_plugin_review_insights", args=[product_key])


def reviews_url(**params: str) -> str:
    return reverse("admin:ecom_ai_plugin_review_changelist") + "?" + urlencode(params)


def dominant_sentiment(labels: set[str]) -> str:
    """How an aspect reads in one review: negative if any sentence about it is."""
    for label in ("negative", "positive"):
        if label in labels:
            return label
    return "neutral"


class SentimentFilter(admin.SimpleListFilter):
    title = _("sentiment")
    parameter_name = "sentiment"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return list(Sentiment.choices) + [("none", _("Not analysed yet"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        if self.value() == "none":
            return queryset.filter(analysis__isnull=True)
        if self.value() in Sentiment.values:
            return queryset.filter(analysis__sentiment=self.value())
        return queryset


class AspectFilter(admin.SimpleListFilter):
    """``?aspect=quality`` or, from a summary point, ``?aspect=quality:negative``."""

    title = _("aspect")
    parameter_name = "aspect"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        names = ReviewSentence.objects.exclude(aspect="").values_list("aspect", flat=True).distinct().order_by("aspect")[:50]
        current = self.value()
        options = [(name, name) for name in names]
        if current and current not in dict(options):
            options.append((current, current.replace(":", " · ")))
        return options

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        if not self.value():
            return queryset
        aspect, _, sentiment = self.value().partition(":")
        sentences = ReviewSentence.objects.filter(review=OuterRef("pk"), aspect=aspect)
        if sentiment:
            sentences = sentences.filter(sentiment=sentiment)
        return queryset.filter(Exists(sentences))


class FlagFilter(admin.SimpleListFilter):
    title = _("flags")
    parameter_name = "flag"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("spam", _("Spam suspect")), ("abuse", _("Abusive")), *FLAG_LABELS.items()]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Review]) -> QuerySet[Review]:
        value = self.value()
        if value == "spam":
            return queryset.filter(analysis__is_spam_suspect=True)
        if value == "abuse":
            return queryset.filter(analysis__is_abusive=True)
        if value in FLAG_LABELS:
            return queryset.filter(analysis__flags__icontains=f'"{value}"')
        return queryset


@admin.register(Review)
class ReviewAdmin(ProductNamesAdmin, admin.ModelAdmin):
    list_display = [
        "product", "customer_key", "stars", "short_title", "status_badge", "sentiment_badge", "aspect_badges",
        "flag_badges", "verified_purchase", "created_at",
    ]
    list_filter = ["status", "rating", SentimentFilter, AspectFilter, FlagFilter, "verified_purchase", "language"]
    search_fields = ["product_key", "customer_key", "title", "text"]
    date_hierarchy = "created_at"
    actions = ["approve_reviews", "reject_reviews", "mark_spam", "analyse_again"]
    readonly_fields = [
        "product", "customer_key", "rating", "title", "text", "language", "status", "verified_purchase",
        "created_at", "updated_at", "moderated_at", "moderated_by", "analysis_panel",
    ]
    fields = readonly_fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[Review]:
        return super().get_queryset(request).select_related("analysis", "moderated_by").prefetch_related("sentences")

    def lookup_allowed(self, lookup: str, value: str, request: HttpRequest | None = None) -> bool:
        return lookup == "product_key" or super().lookup_allowed(lookup, value, request)

    def get_urls(self) -> list:
        return [
            path("insights/<str:product_key>/", self.admin_site.admin_view(self.insights_view), name="ecom_ai_plugin_review_insights"),
            *super().get_urls(),
        ]

    # -- columns -----------------------------------------------------------------

    @admin.display(description=_("product"), ordering="product_key")
    def product(self, review: Review) -> str:
        return self.product_column(review, href=insights_url(review.product_key))

    @admin.display(description=_("rating"), ordering="rating")
    def stars(self, review: Review) -> str:
        return format_html('<span title="{} / 5">{}</span>', review.rating, "★" * review.rating + "☆" * (5 - review.rating))

    @admin.display(description=_("title"))
    def short_title(self, review: Review) -> str:
        text = review.title or review.text
        return (text[:60] + "…") if len(text) > 60 else text

    @admin.display(description=_("status"), ordering="status")
    def status_badge(self, review: Review) -> str:
        return status_badge("ecom-ai-review-status", review.status, review.get_status_display())

    @admin.display(description=_("sentiment"), ordering="analysis__sentiment_score")
    def sentiment_badge(self, review: Review) -> str:
        analysis = getattr(review, "analysis", None)
        if analysis is None:
            return "—"
        return format_html(
            '<span title="{} ({})">{}</span>',
            f"{analysis.sentiment_score:+.2f}",
            analysis.sentiment_model,
            status_badge("ecom-ai-sentiment", analysis.sentiment, analysis.get_sentiment_display()),
        )

    @admin.display(description=_("aspects"))
    def aspect_badges(self, review: Review) -> str:
        labels: dict[str, set[str]] = {}
        for sentence in review.sentences.all():
            if sentence.aspect:
                labels.setdefault(sentence.aspect, set()).add(sentence.sentiment)
        if not labels:
            return "—"
        return format_html_join(
            " ", "{}", ((status_badge("ecom-ai-aspect", dominant_sentiment(found), aspect),) for aspect, found in sorted(labels.items()))
        )

    @admin.display(description=_("flags"))
    def flag_badges(self, review: Review) -> str:
        analysis = getattr(review, "analysis", None)
        if analysis is None or not analysis.flags:
            return "—"
        return format_html_join(
            " ",
            "{}",
            ((status_badge("ecom-ai-flag", "failed" if flag in ABUSE_FLAGS | SPAM_FLAGS else "pending", FLAG_LABELS.get(flag, flag)),) for flag in analysis.flags),
        )

    @admin.display(description=_("analysis"))
    def analysis_panel(self, review: Review) -> str:
        analysis = getattr(review, "analysis", None)
        if analysis is None:
            return _("Not analysed yet.")
        rows = format_html_join(
            "",
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            ((s.text, s.aspect or "—", s.get_sentiment_display(), f"{s.sentiment_score:+.2f}") for s in review.sentences.all()),
        )
        return format_html(
            '<p>{} {} ({}, {}); {}: {}; {}: {}</p><table class="ecom-ai-sentences"><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead><tbody>{}</tbody></table>',
            _("Sentiment"), analysis.get_sentiment_display(), f"{analysis.sentiment_score:+.2f}", analysis.sentiment_model,
            _("aspects by"), analysis.aspect_method or "—", _("flags"), ", ".join(analysis.flags) or "—",
            _("Sentence"), _("Aspect"), _("Sentiment"), _("Score"), rows,
        )

    # -- actions -----------------------------------------------------------------

    def _moderate(self, request: HttpRequest, queryset: QuerySet[Review], status: str, done: str) -> None:
        changed = reviews.moderate(queryset, status, request.user)
        self.message_user(request, ngettext("%(count)d review %(done)s.", "%(count)d reviews %(done)s.", changed) % {"count": changed, "done": done}, messages.SUCCESS)

    @admin.action(description=_("Approve the selected reviews"), permissions=["change"])
    def approve_reviews(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._moderate(request, queryset, ReviewStatus.APPROVED, "approved")

    @admin.action(description=_("Reject the selected reviews"), permissions=["change"])
    def reject_reviews(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._moderate(request, queryset, ReviewStatus.REJECTED, "rejected")

    @admin.action(description=_("Mark the selected reviews as spam"), permissions=["change"])
    def mark_spam(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        self._moderate(request, queryset, ReviewStatus.SPAM, "marked as spam")

    @admin.action(description=_("Analyse the selected reviews again"), permissions=["change"])
    def analyse_again(self, request: HttpRequest, queryset: QuerySet[Review]) -> None:
        ids = list(queryset.values_list("pk", flat=True))
        from ecom_ai_plugin import jobs

        job = jobs.enqueue(
            review_analysis.ANALYSE_BATCH, target_type="reviews", target_id="", params={"ids": ids, "force": True}, requested_by=request.user
        )
        self.message_user(request, _("Queued job %(job)s to analyse %(count)d reviews.") % {"job": job.pk, "count": len(ids)}, messages.SUCCESS)

    # -- insights ------------------------------------------------------------------

    def insights_view(self, request: HttpRequest, product_key: str) -> HttpResponse:
        """What one product's reviews say: counts, aspects, pros and cons, alerts, the trend."""
        if not self.has_view_permission(request) or len(product_key) > KEY_LENGTH:
            return HttpResponse(status=403 if len(product_key) <= KEY_LENGTH else 404)
        if request.method == "POST":
            if not self.has_change_permission(request):
                return HttpResponse(status=403)
            job = review_summaries.request_summary(product_key)
            self.message_user(request, _("The summary will be recomputed (job %(job)s).") % {"job": job.pk}, messages.SUCCESS)
            return HttpResponseRedirect(request.path)
        product = get_host().get_product(product_key)
        all_reviews = Review.objects.filter(product_key=product_key)
        summary = review_summaries.summary_for(product_key)
        if product is None and not all_reviews.exists():
            return render(request, "admin/ecom_ai_plugin/review/insights.html", {**self.admin_site.each_context(request), "title": _("No such product"), "missing": True}, status=404)
        aspects = []
        for aspect, counts in ((summary.aspect_counts if summary else {}) or {}).items():
            total = sum(counts.values()) or 1
            aspects.append({
                "name": aspect,
                **{label: counts.get(label, 0) for label in Sentiment.values},
                "negative_share": round(100 * counts.get("negative", 0) / total),
                "positive_share": round(100 * counts.get("positive", 0) / total),
                "positive_url": reviews_url(product_key=product_key, aspect=f"{aspect}:positive"),
                "negative_url": reviews_url(product_key=product_key, aspect=f"{aspect}:negative"),
            })
        points = review_summaries.visible_points(summary)
        for point in points["pros"] + points["cons"]:
            point["url"] = reviews_url(product_key=product_key, aspect=f"{point['aspect']}:{point['polarity']}")
        trend = (
            all_reviews.filter(status=ReviewStatus.APPROVED)
            .annotate(month=TruncMonth("created_at"))
            .values("month")
            .annotate(count=Count("pk"), negative=Count("pk", filter=Q(analysis__sentiment="negative")))
            .order_by("-month")[:12]
        )
        context = {
            **self.admin_site.each_context(request),
            "title": _("Review insights: %(name)s") % {"name": product.name if product else product_key},
            "product": product,
            "product_key": product_key,
            "summary": summary,
            "points": points,
            "aspects": aspects,
            "status_counts": dict(all_reviews.values_list("status").annotate(n=Count("pk"))),
            "pending_url": reviews_url(product_key=product_key, status__exact=ReviewStatus.PENDING),
            "alerts": ReviewAlert.objects.filter(product_key=product_key, acknowledged_at__isnull=True),
            "trend": list(trend),
            "can_change": self.has_change_permission(request),
            "opts": self.model._meta,
        }
        return render(request, "admin/ecom_ai_plugin/review/insights.html", context)


@admin.register(ProductReviewSummary)
class ProductReviewSummaryAdmin(ProductNamesAdmin, admin.ModelAdmin):
    """Products with reviews; each links to its insight panel."""

    list_display = ["product", "review_count", "rating", "pros", "cons", "computed_at"]
    search_fields = ["product_key"]
    readonly_fields = [
        "product", "review_count", "rating", "rating_counts_table", "sentiment_counts_table", "aspect_counts_table", "points_table",
        "paragraph", "computed_at",
    ]
    fields = readonly_fields

    @admin.display(description=_("ratings"))
    def rating_counts_table(self, summary: ProductReviewSummary) -> str:
        return value_table({f"{stars} ★": count for stars, count in sorted((summary.rating_counts or {}).items())})

    @admin.display(description=_("sentiment"))
    def sentiment_counts_table(self, summary: ProductReviewSummary) -> str:
        return value_table(summary.sentiment_counts)

    @admin.display(description=_("aspects"))
    def aspect_counts_table(self, summary: ProductReviewSummary) -> str:
        return value_table(summary.aspect_counts)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description=_("product"), ordering="product_key")
    def product(self, summary: ProductReviewSummary) -> str:
        return self.product_column(summary, href=insights_url(summary.product_key))

    @admin.display(description=_("average rating"), ordering="average_rating")
    def rating(self, summary: ProductReviewSummary) -> str:
        return "—" if summary.average_rating is None else f"{summary.average_rating:.1f} / 5"

    @admin.display(description=_("pros"))
    def pros(self, summary: ProductReviewSummary) -> str:
        return ", ".join(f"{p['aspect']} ({p['mentions']})" for p in review_summaries.visible_points(summary)["pros"]) or "—"

    @admin.display(description=_("cons"))
    def cons(self, summary: ProductReviewSummary) -> str:
        return ", ".join(f"{p['aspect']} ({p['mentions']})" for p in review_summaries.visible_points(summary)["cons"]) or "—"

    @admin.display(description=_("points"))
    def points_table(self, summary: ProductReviewSummary) -> str:
        rows = [{"polarity": p["polarity"], "aspect": p["aspect"], "reviews": p["mentions"], "sentence": p["text"]} for p in summary.points or []]
        return value_table(rows)


class AlertStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", _("Open")), ("acknowledged", _("Acknowledged"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[ReviewAlert]) -> QuerySet[ReviewAlert]:
        if self.value() == "open":
            return queryset.filter(acknowledged_at__isnull=True)
        if self.value() == "acknowledged":
            return queryset.filter(acknowledged_at__isnull=False)
        return queryset


@admin.register(ReviewAlert)
class ReviewAlertAdmin(ProductNamesAdmin, admin.ModelAdmin):
    """Aspects of products that turned negative in a burst; staff acknowledge them."""

    list_display = ["state", "product", "aspect", "negative_mentions", "recent_mentions", "baseline", "created_at", "updated_at"]
    list_filter = [AlertStateFilter, "aspect"]
    search_fields = ["product_key", "aspect", "message"]
    actions = ["acknowledge_alerts"]
    readonly_fields = [
        "product", "aspect", "state", "negative_mentions", "recent_mentions", "baseline", "window_start", "message", "examples_list",
        "created_at", "updated_at", "acknowledged_at", "acknowledged_by",
    ]
    fields = readonly_fields

    @admin.display(description=_("examples"))
    def examples_list(self, alert: ReviewAlert) -> str:
        return value_table(alert.examples)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.display(description=_("state"))
    def state(self, alert: ReviewAlert) -> str:
        return status_badge("ecom-ai-alert", "open" if alert.is_open else "acknowledged", _("Open") if alert.is_open else _("Acknowledged"))

    @admin.display(description=_("product"), ordering="product_key")
    def product(self, alert: ReviewAlert) -> str:
        return self.product_column(alert, href=insights_url(alert.product_key))

    @admin.display(description=_("negative before"))
    def baseline(self, alert: ReviewAlert) -> str:
        return "—" if alert.baseline_share is None else f"{alert.baseline_share:.0%}"

    @admin.action(description=_("Acknowledge the selected alerts"), permissions=["change"])
    def acknowledge_alerts(self, request: HttpRequest, queryset: QuerySet[ReviewAlert]) -> None:
        count = sum(review_summaries.acknowledge(alert, request.user) for alert in queryset)
        self.message_user(request, ngettext("%d alert acknowledged.", "%d alerts acknowledged.", count) % count, messages.SUCCESS)
