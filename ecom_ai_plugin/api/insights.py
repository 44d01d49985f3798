"""Insights over REST: the page's panels as data, and category suggestions to accept or reject.

- ``insights/``: every panel (title, columns, rows, note) for the filters of
  the page (``start``, ``end``, ``category``, ``channel``, ``by``,
  ``forecast``); ``view_productinsight``.
- ``category-suggestions/``: open suggestions first; ``?status=``,
  ``?misfiled=1``; ``POST .../<id>/accept/`` and ``.../reject/`` need
  ``change_categorysuggestion``; ``POST category-suggestions/run/`` records
  a suggestion job for the catalog (or ``{"products": [keys]}``).
"""
from __future__ import annotations

from typing import Any

from django.db.models import F, QuerySet
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecom_ai_plugin.api.endpoints import CheckedPagination, PluginEndpoint
from ecom_ai_plugin.api.permissions import StaffModelPermission, staff_with
from ecom_ai_plugin.models import CategorySuggestion, ForecastLevel, SuggestionStatus
from ecom_ai_plugin.models.keys import is_valid_pk
from ecom_ai_plugin.services.insights import categories, dashboard
from ecom_ai_plugin.services.insights.forecasting import TOTAL_KEY
from ecom_ai_plugin.services.recommendations.tracking import KEY_PATTERN

MAX_PRODUCTS = 1000


class InsightsPermission(BasePermission):
    message = "Staff users with permission to view insights only."

    def has_permission(self, request: Request, view: Any) -> bool:
        return staff_with(request, "ecom_ai_plugin.view_productinsight")


class SuggestionPermission(StaffModelPermission):
    """Reading needs ``view_categorysuggestion``, deciding ``change_categorysuggestion`` too."""

    message = "Staff users with permission on category suggestions only."
    model_name = "categorysuggestion"


class InsightsView(PluginEndpoint, APIView):
    permission_classes = [InsightsPermission]

    @extend_schema(responses={200: dict})
    def get(self, request: Request) -> Response:
        try:
            filters = dashboard.Filters.from_query(request.query_params)
        except dashboard.FilterError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        key = (request.query_params.get("forecast") or "").strip()[:255]
        level, key = (ForecastLevel.PRODUCT, key) if key else (ForecastLevel.TOTAL, TOTAL_KEY)
        default_range = not request.query_params.get("start") and not request.query_params.get("end")
        board = dashboard.build_dashboard(filters, forecast_level=level, forecast_key=key, default_range=default_range)
        return Response(
            {
                "filters": filters.as_query(),
                "computed_at": board.computed_at,
                "categories": board.categories,
                "channels": board.channels,
                "digest": [s["text"] for s in board.digest.sentences] if board.digest else [],
                "panels": [
                    {"slug": p.slug, "title": p.title, "columns": p.columns, "rows": p.rows, "note": p.note} for p in board.panels
                ],
            }
        )


class SuggestionSerializer(serializers.ModelSerializer):
    looks_misfiled = serializers.BooleanField(read_only=True)

    class Meta:
        model = CategorySuggestion
        fields = [
            "id", "product_key", "product_name", "current_category", "suggested_category", "confidence", "alternatives",
            "missing_attributes", "neighbours", "method", "status", "looks_misfiled", "created_at", "decided_at",
        ]
        read_only_fields = fields


class KeyTextField(serializers.CharField):
    """A product key given as text, as the schema says: a JSON number is refused rather than read as its digits."""

    def to_internal_value(self, data: Any) -> str:
        if not isinstance(data, str):
            raise ValidationError("A product key is a string.")
        return super().to_internal_value(data)


class RunSerializer(serializers.Serializer):
    products = serializers.ListField(child=KeyTextField(max_length=64), required=False, max_length=MAX_PRODUCTS, allow_empty=False)

    def validate_products(self, value: list[str]) -> list[str]:
        bad = [key for key in value if not KEY_PATTERN.match(key)]
        if bad:
            raise ValidationError(f"Not a product key: {bad[0][:40]!r}.")
        return value


class SuggestionPagination(CheckedPagination):
    page_size = 50
    max_page_size = 200


class CategorySuggestionViewSet(PluginEndpoint, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [SuggestionPermission]
    serializer_class = SuggestionSerializer
    pagination_class = SuggestionPagination

    def get_queryset(self) -> QuerySet[CategorySuggestion]:
        params = self.request.query_params
        queryset = CategorySuggestion.objects.order_by("-confidence", "-created_at")
        value = params.get("status", SuggestionStatus.OPEN)
        if value not in SuggestionStatus.values:
            raise ValidationError({"status": [f"Use one of {', '.join(SuggestionStatus.values)}."]})
        queryset = queryset.filter(status=value)
        if params.get("misfiled") in ("1", "true", "yes"):
            queryset = queryset.exclude(current_category="").exclude(current_category=F("suggested_category"))
        if params.get("product"):
            queryset = queryset.filter(product_key=params["product"][:64])
        return queryset

    def _decide(self, decide: Any) -> Response:
        suggestion = self.get_object()
        try:
            suggestion = decide(suggestion, self.request.user)
        except categories.SuggestionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(self.get_serializer(suggestion).data)

    def get_object(self) -> CategorySuggestion:
        # deciding works on any status (a decided one answers 409), reading too
        key = self.kwargs["pk"]
        suggestion = CategorySuggestion.objects.filter(pk=key).first() if is_valid_pk(CategorySuggestion, key) else None
        if suggestion is None:
            raise NotFound("No such suggestion.")
        return suggestion

    @extend_schema(request=None, responses={200: SuggestionSerializer})
    @action(detail=True, methods=["post"])
    def accept(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(categories.accept)

    @extend_schema(request=None, responses={200: SuggestionSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._decide(categories.reject)

    @extend_schema(request=RunSerializer, responses={202: dict})
    @action(detail=False, methods=["post"])
    def run(self, request: Request) -> Response:
        if not isinstance(request.data, dict):
            raise ValidationError({"non_field_errors": ["Send a JSON object, e.g. {} or {\"products\": [\"17\"]}."]})
        serializer = RunSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        job = categories.request_suggestions(serializer.validated_data.get("products"), requested_by=request.user)
        return Response({"job": str(job.pk), "status": job.status}, status=status.HTTP_202_ACCEPTED)
