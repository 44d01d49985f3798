"""REST for questions and answers: shoppers ask and read, staff answer, publish and promote.

- ``products/<key>/questions/``: published answers (anyone), FAQ first;
  ``POST`` asks a question, signed in (the shop's customer token or the
  project's authentication) or with an ``email`` for the answer;
  rate-limited (429 with Retry-After).
- ``products/<key>/questions/<id>/``: one question's state and answer, for
  whoever holds its id (the id is random; the asker gets it when asking).
- ``questions/``: the staff inbox (``view_question``), escalated first;
  ``answer``, ``publish`` and ``promote`` need ``change_question``.
"""
from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound, Throttled, ValidationError
from rest_framework.generics import GenericAPIView
from rest_framework.permissions import SAFE_METHODS, AllowAny, BasePermission
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.settings import api_settings

from ecom_ai_plugin.api.endpoints import CheckedPagination, PluginEndpoint
from ecom_ai_plugin.api.schema import KEY_SCHEMA
from ecom_ai_plugin.api.storefront import StorefrontView
from ecom_ai_plugin.api.permissions import StaffModelPermission
from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.models import Answer, Question, QuestionStatus
from ecom_ai_plugin.models.keys import is_valid_pk
from ecom_ai_plugin.services.answers import answering, asking, inbox

PRODUCT_PATH = OpenApiParameter("product_key", KEY_SCHEMA, OpenApiParameter.PATH, description="The product's key.")
STATUS_HELP = f"One of: {', '.join(QuestionStatus.values)}."


class SourceSerializer(serializers.Serializer):
    kind = serializers.CharField(help_text="attribute, description, review or answer")
    id = serializers.CharField()
    quote = serializers.CharField(help_text="The words of the source the answer rests on.")


class PublishedAnswerSerializer(serializers.Serializer):
    question = serializers.CharField(help_text="The question's id.")
    question_text = serializers.CharField(help_text="The question, without contact details.")
    asked_at = serializers.DateTimeField()
    answer = serializers.CharField()
    answered_by = serializers.CharField(help_text="'shop data' (composed from the product's sources) or 'staff'.")
    sources = SourceSerializer(many=True)
    faq = serializers.BooleanField()
    published_at = serializers.DateTimeField(allow_null=True)


class AskSerializer(serializers.Serializer):
    text = serializers.CharField(trim_whitespace=False, max_length=1000)
    email = serializers.CharField(required=False, allow_blank=True, default="", max_length=254,
                                  help_text="Where the answer can be sent, when not signed in.")


class QuestionStateSerializer(serializers.Serializer):
    id = serializers.CharField()
    product_key = serializers.CharField()
    text = serializers.CharField(help_text="The question, without contact details.")
    status = serializers.CharField(help_text=STATUS_HELP)
    message = serializers.CharField(help_text="What to tell the shopper: the answer, that staff will answer, or why it is refused.")
    answer = PublishedAnswerSerializer(allow_null=True)
    created_at = serializers.DateTimeField()


def question_state(question: Question) -> dict[str, Any]:
    answer = inbox.published_answers(question.product_key, repeats=True).filter(question=question).first()
    if question.status == QuestionStatus.REFUSED:
        message = asking.refusal_message(question)
    elif answer is not None:
        message = answer.text
    elif question.status == QuestionStatus.PENDING:
        message = "Thank you: your question is being answered."
    else:
        message = answering.ESCALATED_MESSAGE
    return {
        "id": str(question.pk), "product_key": question.product_key, "text": question.scrubbed_text, "status": question.status,
        "message": message, "answer": inbox.public_dict(answer) if answer else None, "created_at": question.created_at,
    }


class AnswerPagination(CheckedPagination):
    page_size = 10
    max_page_size = 50


def _product(product_key: str) -> str:
    try:
        return asking.visible_product(product_key)
    except asking.ProductNotFound as exc:
        raise NotFound(str(exc)) from None


class ProductQuestionsView(StorefrontView, GenericAPIView):
    """A product's published answers; anyone signed in, or with an e-mail address, asks."""

    authentication_classes = api_settings.DEFAULT_AUTHENTICATION_CLASSES
    serializer_class = PublishedAnswerSerializer
    pagination_class = AnswerPagination
    public = True
    error_responses = {"post": {"429": "Too many questions in a short time (see Retry-After)."}}

    def get_permissions(self) -> list[BasePermission]:
        return [AllowAny()] if self.request.method in SAFE_METHODS else [AllowAny(), *super().get_permissions()]

    def get_queryset(self) -> QuerySet[Answer]:
        return Answer.objects.none()

    @extend_schema(parameters=[PRODUCT_PATH], responses={200: PublishedAnswerSerializer(many=True)})
    def get(self, request: Request, product_key: str) -> Response:
        key = _product(product_key)
        page = self.paginate_queryset(inbox.published_answers(key))
        return self.get_paginated_response([inbox.public_dict(answer) for answer in page])

    @extend_schema(parameters=[PRODUCT_PATH], request=AskSerializer, responses={201: QuestionStateSerializer})
    def post(self, request: Request, product_key: str) -> Response:
        serializer = AskSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        user = request.user
        customer_key = get_host().customer_key(user) if getattr(user, "is_authenticated", False) else ""
        try:
            question = asking.ask(
                product_key, serializer.validated_data["text"], customer_key=customer_key,
                email=serializer.validated_data["email"], client=request.META.get("REMOTE_ADDR", ""),
            )
        except asking.QuestionError as exc:
            raise ValidationError({exc.field: [str(exc)]}) from None
        except asking.ProductNotFound as exc:
            raise NotFound(str(exc)) from None
        except asking.RateLimited as exc:
            raise Throttled(wait=exc.retry_after, detail=str(exc)) from None
        return Response(QuestionStateSerializer(question_state(question)).data, status=status.HTTP_201_CREATED)


class QuestionStateView(StorefrontView):
    """One question, for whoever holds its id: waiting, answered (with the answer), with staff, or refused."""

    authentication_classes: list = []
    permission_classes = [AllowAny]
    public = True

    def perform_authentication(self, request: Request) -> None:
        """Nothing to authenticate: the random id is the key."""

    @extend_schema(
        parameters=[PRODUCT_PATH, OpenApiParameter("question_id", str, OpenApiParameter.PATH, description="The id answered when asking.")],
        responses={200: QuestionStateSerializer},
    )
    def get(self, request: Request, product_key: str, question_id: str) -> Response:
        question = Question.objects.filter(pk=question_id, product_key=product_key).first() if is_valid_pk(Question, question_id) else None
        if question is None:
            raise NotFound("There is no such question.")
        return Response(QuestionStateSerializer(question_state(question)).data)


# -- staff ---------------------------------------------------------------------------


class StaffQuestionPermission(StaffModelPermission):
    """Staff holding ``view_question`` (reading) and ``change_question`` (answering, publishing, promoting)."""

    message = "Staff users with permission on customers' questions only."
    model_name = "question"


class StaffAnswerSerializer(serializers.ModelSerializer):
    sources = SourceSerializer(many=True)
    answered_by = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["id", "text", "sources", "answered_by", "confidence", "published", "faq", "created_at", "published_at"]
        read_only_fields = fields

    def get_answered_by(self, answer: Answer) -> str:
        return "staff" if not answer.by_model else answer.by_model


class StaffQuestionSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text=STATUS_HELP)
    answers = StaffAnswerSerializer(many=True, read_only=True)

    class Meta:
        model = Question
        fields = ["id", "product_key", "customer_key", "email", "text", "scrubbed_text", "language", "status", "reason", "created_at", "answers"]
        read_only_fields = fields


class StaffAnswerInput(serializers.Serializer):
    text = serializers.CharField(max_length=2000)
    publish = serializers.BooleanField(default=True)


class AnswerChoiceInput(serializers.Serializer):
    answer = serializers.IntegerField(min_value=1, max_value=2**62, help_text="The id of one of the question's answers.")
    value = serializers.BooleanField(default=True, help_text="False unpublishes, or takes it out of the FAQ.")


@extend_schema(parameters=[OpenApiParameter("status", str, enum=QuestionStatus.values), OpenApiParameter("product", str)])
class StaffQuestionViewSet(PluginEndpoint, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The questions inbox: escalated first, then waiting, answered and refused."""

    permission_classes = [StaffQuestionPermission]
    serializer_class = StaffQuestionSerializer
    pagination_class = AnswerPagination

    def get_queryset(self) -> QuerySet[Question]:
        params = self.request.query_params
        queryset = Question.objects.prefetch_related("answers")
        if "status" in params:
            if params["status"] not in QuestionStatus.values:
                raise ValidationError({"status": [f"Use one of {', '.join(QuestionStatus.values)}."]})
            queryset = queryset.filter(status=params["status"])
        if params.get("product"):
            queryset = queryset.filter(product_key=params["product"][:64])
        return inbox.inbox(queryset)

    def _reply(self, question: Question) -> Response:
        fresh = self.get_queryset().get(pk=question.pk)
        return Response(self.get_serializer(fresh).data)

    def _answer_of(self, question: Question, data: Any) -> tuple[Answer, bool]:
        serializer = AnswerChoiceInput(data=data)
        serializer.is_valid(raise_exception=True)
        answer = question.answers.filter(pk=serializer.validated_data["answer"]).first()
        if answer is None:
            raise ValidationError({"answer": ["Not an answer to this question."]})
        return answer, serializer.validated_data["value"]

    @extend_schema(request=StaffAnswerInput, responses={200: StaffQuestionSerializer})
    @action(detail=True, methods=["post"])
    def answer(self, request: Request, pk: str | None = None) -> Response:
        question = self.get_object()
        serializer = StaffAnswerInput(data=request.data)
        serializer.is_valid(raise_exception=True)
        try:
            inbox.staff_answer(question, serializer.validated_data["text"], request.user, publish=serializer.validated_data["publish"])
        except inbox.AnswerError as exc:
            raise ValidationError({"text": [str(exc)]}) from None
        return self._reply(question)

    @extend_schema(request=AnswerChoiceInput, responses={200: StaffQuestionSerializer})
    @action(detail=True, methods=["post"])
    def publish(self, request: Request, pk: str | None = None) -> Response:
        question = self.get_object()
        answer, value = self._answer_of(question, request.data)
        inbox.publish(answer, value)
        return self._reply(question)

    @extend_schema(request=AnswerChoiceInput, responses={200: StaffQuestionSerializer})
    @action(detail=True, methods=["post"])
    def promote(self, request: Request, pk: str | None = None) -> Response:
        question = self.get_object()
        answer, value = self._answer_of(question, request.data)
        inbox.promote(answer, value)
        return self._reply(question)
