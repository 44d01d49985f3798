"""What the API reads and writes; requests are validated here so bad input is a 400, never a 500."""
from __future__ import annotations

from typing import Any

from django.urls import reverse
from rest_framework import serializers

from ecom_ai_plugin.models import KEY_LENGTH, ContentDraft, Job
from ecom_ai_plugin.services import drafts
from ecom_ai_plugin.services.copy_generation import (
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


class ContentDraftSerializer(serializers.ModelSerializer):
    """A draft; only ``text`` is writable (edits re-run the grounding check)."""

    text = serializers.CharField(max_length=drafts.MAX_TEXT_CHARS, trim_whitespace=True)
    created_by = serializers.StringRelatedField()
    approved_by = serializers.StringRelatedField()
    published_by = serializers.StringRelatedField()
    rejected_by = serializers.StringRelatedField()
    override_by = serializers.StringRelatedField()
    publishable = serializers.SerializerMethodField(help_text="Whether it can be published without an override.")

    class Meta:
        model = ContentDraft
        fields = [
            "id", "product_key", "kind", "language", "tone", "params", "version", "status", "text",
            "generated_text", "unsupported_claims", "publishable", "problem", "scores", "model_name",
            "model_revision", "prompt_version", "job", "created_at", "created_by", "edited_at", "approved_at",
            "approved_by", "published_at", "published_by", "rejected_at", "rejected_by", "publish_override",
            "override_reason", "override_at", "override_by",
        ]
        read_only_fields = [f for f in fields if f != "text"]

    def get_publishable(self, draft: ContentDraft) -> bool:
        return draft.is_open and bool(draft.text) and not draft.unsupported_claims and draft.kind in drafts.KIND_FIELDS

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
    override = serializers.BooleanField(default=False, help_text="Publish although unsupported claims remain.")
    reason = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if attrs["override"] and not attrs["reason"].strip():
            raise serializers.ValidationError({"reason": ["An override needs a reason."]})
        return attrs
