"""REST for reviews: shoppers read and post, staff moderate.

- ``products/<key>/reviews/``: approved reviews (anyone), filterable by the
  aspect and sentiment of their sentences; ``POST`` by a signed-in customer
  creates their review or edits it (the shop's customer token, session auth
  with CSRF, or any authentication the project configures).
- ``products/<key>/reviews/mine/``: the customer's own review, any status; ``DELETE`` withdraws it.
- ``products/<key>/review-summary/``: "customers say".
- ``reviews/``: staff moderation with the ``view_review`` / ``change_review`` permissions.
"""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.timezone import localtime
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import (
    SAFE_METHODS,
    AllowAny,
    BasePermission,
    IsAuthenticated,
)
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ecom_ai_plugin.api.endpoints import CheckedPagination, PluginEndpoint
from ecom_ai_plugin.api.schema import KEY_SCHEMA
from ecom_ai_plugin.api.storefront import StorefrontView
from ecom_ai_plugin.api.permissions import StaffModelPermission
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import Review, ReviewStatus, Sentiment
from ecom_ai_plugin.services.reviews import posting as reviews
from ecom_ai_plugin.services.reviews import summaries as review_summaries


class SentenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    index = serializers.IntegerField()
    start = serializers.IntegerField(help_text="Offset of the sentence in the review's text.")
    end = serializers.IntegerField()
    aspects = serializers.ListField(child=serializers.CharField())
    sentiment = serializers.CharField()
    matched = serializers.BooleanField(help_text="The sentence matches the aspect/sentiment filter of the request.")


class ReviewSerializer(serializers.ModelSerializer):
    """A review as shoppers see it: the text as typed (escape it when showing it) and its analysed sentences."""

    sentences = serializers.SerializerMethodField()
    created_on = serializers.SerializerMethodField(help_text="The day it was written, as the shop's pages write dates (DATE_FORMAT).")

    class Meta:
        model = Review
        fields = ["id", "product_key", "rating", "title", "text", "language", "verified_purchase", "created_at", "created_on", "updated_at", "sentences"]
        read_only_fields = fields

    def get_created_on(self, review: Review) -> str:
        return date_format(localtime(review.created_at), "DATE_FORMAT")

    @extend_schema_field(SentenceSerializer(many=True))
    def get_sentences(self, review: Review) -> list[dict[str, Any]]:
        return self.context.get("sentences", {}).get(review.pk, [])


#: as a plain string: an enum would collide with the job and draft statuses in the schema
REVIEW_STATUS_HELP = f"One of: {', '.join(ReviewStatus.values)}."


class OwnReviewSerializer(ReviewSerializer):
    status = serializers.CharField(read_only=True, help_text=REVIEW_STATUS_HELP)

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "status"]
        read_only_fields = fields


class StaffReviewSerializer(ReviewSerializer):
    status = serializers.CharField(read_only=True, help_text=REVIEW_STATUS_HELP)
    analysis = serializers.SerializerMethodField()

    class Meta(ReviewSerializer.Meta):
        fields = [*ReviewSerializer.Meta.fields, "customer_key", "status", "moderated_at", "analysis"]
        read_only_fields = fields

    @extend_schema_field(serializers.DictField(allow_null=True))
    def get_analysis(self, review: Review) -> dict[str, Any] | None:
        analysis = getattr(review, "analysis", None)
        if analysis is None:
            return None
        return {
            "sentiment": analysis.sentiment,
            "score": analysis.sentiment_score,
            "model": analysis.sentiment_model,
            "flags": analysis.flags,
            "spam_suspect": analysis.is_spam_suspect,
            "abusive": analysis.is_abusive,
            "analysed_at": analysis.analysed_at,
        }


class PostReviewSerializer(serializers.Serializer):
    rating = serializers.IntegerField(min_value=1, max_value=5, help_text="1 to 5 stars.")
    title = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, default="")
    text = serializers.CharField(allow_blank=True, trim_whitespace=False)


class PointSerializer(serializers.Serializer):
    aspect = serializers.CharField()
    polarity = serializers.ChoiceField(choices=["positive", "negative"])
    mentions = serializers.IntegerField(help_text="Distinct approved reviews saying it.")
    text = serializers.CharField(help_text="A customer's sentence that says it best (contact details removed).")
    sentence_id = serializers.IntegerField()
    reviews_url = serializers.CharField(help_text="The reviews behind the point.")


class SummarySerializer(serializers.Serializer):
    product_key = serializers.CharField()
    review_count = serializers.IntegerField()
    average_rating = serializers.FloatField(allow_null=True)
    rating_counts = serializers.DictField(child=serializers.IntegerField())
    pros = PointSerializer(many=True)
    cons = PointSerializer(many=True)
    paragraph = serializers.CharField(allow_blank=True)
    computed_at = serializers.DateTimeField(allow_null=True)


class ReviewPagination(CheckedPagination):
    page_size = 10
    max_page_size = 50


class StaffReviewPermission(StaffModelPermission):
    """Staff holding ``view_review`` (reading) and ``change_review`` (moderating)."""

    message = "Staff users with permission on reviews only."
    model_name = "review"


def _product(product_key: str) -> str:
    try:
        return reviews.reviewable_product(product_key)
    except reviews.ProductNotReviewable as exc:
        raise NotFound(str(exc)) from None


def _filters(request: Request) -> dict[str, Any]:
    params = request.query_params
    sentiment = params.get("sentiment", "")
    if "sentiment" in params and sentiment not in Sentiment.values:
        raise ValidationError({"sentiment": [f"Use one of {', '.join(Sentiment.values)}."]})
    rating = params.get("rating", "")
    if "rating" in params and rating not in {"1", "2", "3", "4", "5"}:
        raise ValidationError({"rating": ["Use a whole number from 1 to 5."]})
    aspect = params.get("aspect", "")[:100]
    return {"aspect": aspect, "sentiment": sentiment, "rating": int(rating) if rating else None}


FILTER_PARAMETERS = [
    OpenApiParameter("aspect", str, description="Only reviews with a sentence about this aspect."),
    OpenApiParameter("sentiment", str, enum=Sentiment.values, description="…whose sentence about it has this sentiment."),
    OpenApiParameter("rating", {"type": "integer", "minimum": 1, "maximum": 5}, description="Only reviews with this many stars."),
]
#: the product a storefront endpoint is about
PRODUCT_PATH = OpenApiParameter("product_key", KEY_SCHEMA, OpenApiParameter.PATH, description="The product's key.")


class ShopperReviewView(StorefrontView):
    """The storefront's review endpoints: the shop's customer token, then the project's own authentication."""

    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES


class ProductReviewsView(ShopperReviewView, GenericAPIView):
    """A product's approved reviews; a signed-in customer posts (or edits) theirs."""

    serializer_class = ReviewSerializer
    pagination_class = ReviewPagination
    public = True
    error_responses = {
        "post": {
            "401": "Not signed in (where the project's authentication asks for credentials).",
            "403": "Not signed in.",
            "429": "Too many reviews posted or edited in a short time (see Retry-After).",
        }
    }

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method in SAFE_METHODS else [IsAuthenticated()]

    def get_queryset(self) -> QuerySet[Review]:
        return Review.objects.none()

    @extend_schema(parameters=[PRODUCT_PATH, *FILTER_PARAMETERS], responses={200: ReviewSerializer(many=True)})
    def get(self, request: Request, product_key: str) -> Response:
        key = _product(product_key)
        filters = _filters(request)
        page = self.paginate_queryset(reviews.published_reviews(key, **filters))
        sentences = reviews.highlighted_sentences(page, aspect=filters["aspect"], sentiment=filters["sentiment"])
        return self.get_paginated_response(ReviewSerializer(page, many=True, context={"sentences": sentences}).data)

    @extend_schema(parameters=[PRODUCT_PATH], request=PostReviewSerializer, responses={201: OwnReviewSerializer, 200: OwnReviewSerializer})
    def post(self, request: Request, product_key: str) -> Response:
        serializer = PostReviewSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        customer_key = get_host().customer_key(request.user)
        try:
            review, created = reviews.post_review(product_key, customer_key, **serializer.validated_data)
        except reviews.ReviewError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        except reviews.ProductNotReviewable as exc:
            raise NotFound(str(exc)) from None
        except reviews.RateLimited as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from None
        return Response(OwnReviewSerializer(review).data, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)


class OwnReviewView(ShopperReviewView):
    """The signed-in customer's review of the product, whatever its status."""

    permission_classes = [IsAuthenticated]

    def _review(self, request: Request, product_key: str) -> Review:
        key = _product(product_key)
        review = Review.objects.filter(product_key=key, customer_key=get_host().customer_key(request.user)).first()
        if review is None:
            raise NotFound("You have not reviewed this product.")
        return review

    @extend_schema(parameters=[PRODUCT_PATH], responses={200: OwnReviewSerializer})
    def get(self, request: Request, product_key: str) -> Response:
        return Response(OwnReviewSerializer(self._review(request, product_key)).data)

    @extend_schema(parameters=[PRODUCT_PATH], responses={204: None})
    def delete(self, request: Request, product_key: str) -> Response:
        reviews.delete_review(self._review(request, product_key))
        return Response(status=status.HTTP_204_NO_CONTENT)


class ReviewSummaryView(ShopperReviewView):
    """"Customers say": pros and cons with counts, each linked to the reviews behind it."""

    permission_classes = [AllowAny]
    public = True

    @extend_schema(parameters=[PRODUCT_PATH], responses={200: SummarySerializer})
    def get(self, request: Request, product_key: str) -> Response:
        key = _product(product_key)
        data = review_summaries.public_summary(key)
        base = request.build_absolute_uri("../reviews/")  # the sibling endpoint, wherever the API is mounted
        for point in data["pros"] + data["cons"]:
            point["reviews_url"] = f"{base}?{urlencode({'aspect': point['aspect'], 'sentiment': point['polarity']})}"
        return Response(SummarySerializer(data).data)


@extend_schema(
    parameters=[
        OpenApiParameter("product", str, description="Only this product's reviews."),
        OpenApiParameter("status", str, enum=ReviewStatus.values),
        OpenApiParameter("flag", str, description="spam, abuse, or one flag: link, contact_details, repetition, shouting, duplicate."),
        *FILTER_PARAMETERS,
    ]
)
class StaffReviewViewSet(PluginEndpoint, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Every review with its analysis, for moderation."""

    permission_classes = [StaffReviewPermission]
    serializer_class = StaffReviewSerializer
    pagination_class = ReviewPagination

    def get_queryset(self) -> QuerySet[Review]:
        params = self.request.query_params
        filters = _filters(self.request)
        queryset = Review.objects.select_related("analysis").order_by("-created_at", "-pk")
        if params.get("product"):
            queryset = queryset.filter(product_key=params["product"])
        if "status" in params:
            if params["status"] not in ReviewStatus.values:
                raise ValidationError({"status": [f"Use one of {', '.join(ReviewStatus.values)}."]})
            queryset = queryset.filter(status=params["status"])
        if filters["rating"]:
            queryset = queryset.filter(rating=filters["rating"])
        queryset = reviews.with_sentences(queryset, aspect=filters["aspect"], sentiment=filters["sentiment"])
        flag = params.get("flag")
        if flag == "spam":
            queryset = queryset.filter(analysis__is_spam_suspect=True)
        elif flag == "abuse":
            queryset = queryset.filter(analysis__is_abusive=True)
        elif flag:
            queryset = queryset.filter(analysis__flags__icontains=f'"{flag}"')
        return queryset

    def get_serializer_context(self) -> dict[str, Any]:
        return {**super().get_serializer_context(), "sentences": getattr(self, "_sentences", {})}

    def paginate_queryset(self, queryset: Any) -> Any:
        page = super().paginate_queryset(queryset)
        filters = _filters(self.request)
        self._sentences = reviews.highlighted_sentences(page or [], aspect=filters["aspect"], sentiment=filters["sentiment"])
        return page

    def _moderate(self, status_value: str) -> Response:
        review = self.get_object()
        reviews.moderate([review], status_value, self.request.user)
        review.refresh_from_db()
        return Response(self.get_serializer(review).data)

    @extend_schema(request=None, responses={200: StaffReviewSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request: Request, pk: str | None = None) -> Response:
        return self._moderate(ReviewStatus.APPROVED)

    @extend_schema(request=None, responses={200: StaffReviewSerializer})
    @action(detail=True, methods=["post"])
    def reject(self, request: Request, pk: str | None = None) -> Response:
        return self._moderate(ReviewStatus.REJECTED)

    @extend_schema(request=None, responses={200: StaffReviewSerializer})
    @action(detail=True, methods=["post"])
    def spam(self, request: Request, pk: str | None = None) -> Response:
        return self._moderate(ReviewStatus.SPAM)
