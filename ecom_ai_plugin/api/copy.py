"""REST endpoints for product copy: start generation, follow the job, review and publish drafts.

Requests are validated by the serializers here, so bad input is a 400, never
a 500. Views stay thin: they call :mod:`ecom_ai_plugin.services.copy.drafts`;
a refused state change is a 409.
"""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import APIException, NotFound, ValidationError
from rest_framework.generics import RetrieveAPIView
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ecom_ai_plugin.api.endpoints import CheckedPagination, PluginEndpoint
from ecom_ai_plugin.api.permissions import StaffDraftPermission
from ecom_ai_plugin.models import KEY_LENGTH, ContentDraft, DraftStatus, Job
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import (
    COPY_KINDS,
    LANGUAGES,
    LENGTHS,
    MAX_AVOID,
    MAX_CANDIDATES,
    MAX_KEYWORDS,
    MAX_WORD_CHARS,
    TONES,
)

MAX_PRODUCTS = 500


def _terms(limit: int) -> serializers.ListField:
    return serializers.ListField(
        child=serializers.CharField(max_length=MAX_WORD_CHARS, trim_whitespace=True), required=False, max_length=limit
    )


class CopyOptionsSerializer(serializers.Serializer):
    """What to write: the fields of a generation request."""

    kind = serializers.ChoiceField(choices=COPY_KINDS, required=False)
    tone = serializers.ChoiceField(choices=TONES, required=False)
    language = serializers.ChoiceField(choices=LANGUAGES, required=False, allow_blank=True, help_text="Empty: the shop's default.")
    length = serializers.ChoiceField(choices=LENGTHS, required=False)
    keywords = _terms(MAX_KEYWORDS)
    avoid = _terms(MAX_AVOID)
    brand_voice = serializers.CharField(max_length=100, required=False, allow_blank=True, help_text="The name of a saved brand voice.")
    candidates = serializers.IntegerField(min_value=1, max_value=MAX_CANDIDATES, required=False)


def request_error(exc: ValueError) -> serializers.ValidationError:
    """A request the generator refuses, as a 400 naming the field when the message does."""
    message = str(exc)
    field = "brand_voice" if "brand voice" in message else next(
        (name for name in CopyOptionsSerializer._declared_fields if name in message), "non_field_errors"
    )
    return serializers.ValidationError({field: [message]})


class GenerateSerializer(CopyOptionsSerializer):
    products = serializers.ListField(
        child=serializers.CharField(max_length=KEY_LENGTH), min_length=1, max_length=MAX_PRODUCTS,
        help_text="Product keys; several make one batched job.",
    )

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        options = {key: value for key, value in attrs.items() if key != "products"}
        try:
            attrs["request"] = drafts.build_request(options)
        except ValueError as exc:
            raise request_error(exc) from None
        return attrs


class JobSerializer(serializers.ModelSerializer):
    url = serializers.SerializerMethodField()
    drafts = serializers.SerializerMethodField()

    class Meta:
        model = Job
        fields = [
            "id", "url", "kind", "target_type", "target_id", "status", "progress_done", "progress_total",
            "attempts", "last_error", "result", "drafts", "created_at", "started_at", "finished_at",
        ]
        read_only_fields = fields

    def get_url(self, job: Job) -> str:
        return self._absolute(reverse("ecom_ai_plugin:api-job", kwargs={"pk": job.pk}))

    def get_drafts(self, job: Job) -> list[str]:
        return [self._absolute(reverse("ecom_ai_plugin:api-draft-detail", kwargs={"pk": pk})) for pk in job.drafts.values_list("pk", flat=True)]

    def _absolute(self, path: str) -> str:
        request = self.context.get("request")
        return request.build_absolute_uri(path) if request else path


class FailedSentenceSerializer(serializers.Serializer):
    text = serializers.CharField(help_text="The sentence; empty for marks on the text as a whole (language, length, coverage).")
    start = serializers.IntegerField(allow_null=True)
    end = serializers.IntegerField(allow_null=True)
    reasons = serializers.ListField(child=serializers.CharField())


class ContentDraftSerializer(serializers.ModelSerializer):
    """A draft; only ``text`` is writable (edits are judged by the gate again).

    ``unsupported_claims`` holds every mark of the check: claims the product's
    facts do not support and sentences that fail the gate, each with its
    kind and reason (``start``/``end`` null for marks on the whole text);
    ``failed_sentences`` groups them by sentence.
    """

    text = serializers.CharField(max_length=drafts.MAX_TEXT_CHARS, trim_whitespace=True)
    created_by = serializers.StringRelatedField(allow_null=True)
    approved_by = serializers.StringRelatedField(allow_null=True)
    published_by = serializers.StringRelatedField(allow_null=True)
    rejected_by = serializers.StringRelatedField(allow_null=True)
    override_by = serializers.StringRelatedField(allow_null=True)
    publishable = serializers.SerializerMethodField(help_text="Whether it can be approved and published without an override.")
    failed_sentences = serializers.SerializerMethodField(help_text="The sentences that failed the check, with the reasons.")
    templated = serializers.SerializerMethodField(help_text="Written by the realiser alone (the model does not write the language).")

    class Meta:
        model = ContentDraft
        fields = [
            "id", "product_key", "kind", "language", "tone", "params", "version", "status", "text",
            "generated_text", "unsupported_claims", "failed_sentences", "publishable", "templated", "problem", "scores", "model_name",
            "model_revision", "prompt_version", "job", "created_at", "created_by", "edited_at", "approved_at",
            "approved_by", "published_at", "published_by", "rejected_at", "rejected_by", "publish_override",
            "override_reason", "override_at", "override_by",
        ]
        read_only_fields = [f for f in fields if f != "text"]

    def get_publishable(self, draft: ContentDraft) -> bool:
        return draft.is_open and bool(draft.text) and not draft.unsupported_claims and draft.kind in drafts.KIND_FIELDS

    @extend_schema_field(FailedSentenceSerializer(many=True))
    def get_failed_sentences(self, draft: ContentDraft) -> list[dict[str, Any]]:
        return drafts.failed_sentences(draft)

    def get_templated(self, draft: ContentDraft) -> bool:
        return bool((draft.scores or {}).get("templated"))

    def validate_text(self, value: str) -> str:
        kind = self.instance.kind if self.instance else ""
        try:
            return drafts.validate_text(kind, value)
        except drafts.DraftError as exc:
            raise serializers.ValidationError(str(exc)) from None

    def update(self, instance: ContentDraft, validated_data: dict[str, Any]) -> ContentDraft:
        if "text" in validated_data:
            user = self.context["request"].user
            drafts.edit(instance, validated_data["text"], user=user)
        return instance


class PublishSerializer(serializers.Serializer):
    override = serializers.BooleanField(default=False, help_text="Go ahead although the check's marks remain (recorded with the reason).")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["override"] and not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": ["An override needs a reason."]})
        return attrs


# -- views ---------------------------------------------------------------------


class Conflict(APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


class DraftPagination(CheckedPagination):
    page_size = 50
    max_page_size = 200


def _accepted(request: Request, job: Job) -> Response:
    data = JobSerializer(job, context={"request": request}).data
    return Response(data, status=status.HTTP_202_ACCEPTED, headers={"Location": data["url"]})


class GenerateView(PluginEndpoint, APIView):
    """Start generating copy for one product or, as one batched job, for several."""

    permission_classes = [StaffDraftPermission]
    error_responses = {"post": {"404": "A product named does not exist."}}

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


class JobView(PluginEndpoint, RetrieveAPIView):
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
class DraftViewSet(PluginEndpoint, mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """Drafts of generated copy. ``PATCH`` edits the text; actions move the draft along."""

    permission_classes = [StaffDraftPermission]
    serializer_class = ContentDraftSerializer
    pagination_class = DraftPagination
    http_method_names = ["get", "patch", "post", "head", "options"]
    error_responses = {
        action: {"409": "The draft's state does not allow this (already published, rejected...), or the product is gone."}
        for action in ("partial_update", "approve", "publish", "reject", "revert", "regenerate")
    }
    publish_actions = ("publish", "revert")
    filter_params = {"product": "product_key", "status": "status", "kind": "kind", "language": "language"}

    def get_queryset(self) -> QuerySet[ContentDraft]:
        queryset = ContentDraft.objects.select_related(
            "created_by", "approved_by", "published_by", "rejected_by", "override_by"
        ).order_by("-created_at")
        status_value = self.request.query_params.get("status")
        if status_value is not None and status_value not in DraftStatus.values:
            raise ValidationError({"status": [f"Use one of {', '.join(DraftStatus.values)}."]})
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

    @extend_schema(request=PublishSerializer, responses={200: ContentDraftSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._act(drafts.approve, **serializer.validated_data)

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

