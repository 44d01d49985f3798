"""REST endpoints for product copy: start generation, follow the job, review and publish drafts.

Views stay thin: they validate input with serializers and call
:mod:`ecom_ai_plugin.services.drafts`; a refused state change is a 409.
"""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound
from rest_framework.generics import RetrieveAPIView
from rest_framework.pagination import PageNumberPagination
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecom_ai_plugin.api.permissions import StaffDraftPermission
from ecom_ai_plugin.api.serializers import (
    ContentDraftSerializer,
    CopyOptionsSerializer,
    GenerateSerializer,
    JobSerializer,
    PublishSerializer,
    request_error,
)
from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job
from ecom_ai_plugin.services import drafts


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class DraftPagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 200


def _accepted(request: Request, job: Job) -> Response:
    data = JobSerializer(job, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class GenerateView(APIView):
    """Start generating copy for one product or, as one batched job, for several."""

    permission_classes = [StaffDraftPermission]

    @extend_schema(request=GenerateSerializer, responses={202: JobSerializer})
    def post(self, request: Request) -> Response:
        serializer = GenerateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            job = drafts.request_generation(
                serializer.validated_data["products"], serializer.validated_data["request"], requested_by=request.user
            )
        except LookupError as exc:
            raise NotFound(str(exc)) from None
        return _accepted(request, job)


class JobView(RetrieveAPIView):
    """A generation job: status, progress, error, and the drafts it made."""

    permission_classes = [StaffDraftPermission]
    serializer_class = JobSerializer
    queryset = Job.objects.filter(kind__in=[drafts.GENERATE, drafts.GENERATE_BATCH])


@extend_schema(
    parameters=[
        OpenApiParameter("product", str, description="Only this product's drafts."),
        OpenApiParameter("status", str, enum=DraftStatus.values),
        OpenApiParameter("kind", str),
        OpenApiParameter("language", str),
    ]
)
class DraftViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Drafts of generated copy. ``PATCH`` edits the text; actions move the draft along."""

    permission_classes = [StaffDraftPermission]
    serializer_class = ContentDraftSerializer
    pagination_class = DraftPagination
    http_method_names = ["get", "patch", "post", "head", "options"]
    lookup_value_regex = "[0-9a-fA-F-]{32,36}"
    publish_actions = ("publish", "revert")
    filter_params = {"product": "product_key", "status": "status", "kind": "kind", "language": "language"}

    def get_queryset(self) -> QuerySet[ContentDraft]:
        queryset = ContentDraft.objects.select_related(
            "created_by", "approved_by", "published_by", "rejected_by", "override_by"
        ).order_by("-created_at")
        for param, field in self.filter_params.items():
            value = self.request.query_params.get(param)
            if value:
                queryset = queryset.filter(**{field: value})
        return queryset

    def perform_update(self, serializer: ContentDraftSerializer) -> None:
        try:
            serializer.save()
        except drafts.DraftError as exc:
            raise Conflict(str(exc)) from None

    def _act(self, operation: Any, **kwargs: Any) -> Response:
        draft = self.get_object()
        try:
            operation(draft, user=self.request.user, **kwargs)
        except drafts.DraftError as exc:
            raise Conflict(str(exc)) from None
        except (LookupError, ValueError) as exc:  # the product is gone, or the shop refused the text
            raise Conflict(str(exc)) from None
        return Response(self.get_serializer(draft).data)

    @extend_schema(request=None, responses={200: ContentDraftSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._act(drafts.approve)

    @extend_schema(request=PublishSerializer, responses={200: ContentDraftSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._act(drafts.publish, **serializer.validated_data)

    @extend_schema(request=None, responses={200: ContentDraftSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._act(drafts.reject)

    @extend_schema(request=None, responses={200: ContentDraftSerializer})
    @action(detail=True, methods=["post"])
    def revert(self, request: Request, pk: str | None = None) -> Response:
        return self._act(drafts.revert)

    @extend_schema(request=CopyOptionsSerializer, responses={202: JobSerializer})
    @action(detail=True, methods=["post"])
    def regenerate(self, request: Request, pk: str | None = None) -> Response:
        draft = self.get_object()
        serializer = CopyOptionsSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            job = drafts.regenerate(draft, user=request.user, changes=serializer.validated_data)
        except ValueError as exc:
            raise request_error(exc) from None
        except LookupError as exc:
            raise Conflict(str(exc)) from None
        return _accepted(request, job)

