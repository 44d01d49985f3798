"""The sandbox shop's URLs plus two trivial endpoints, the baselines of ``recommendation_serving.py``:
a plain Django view and a Django REST framework view, through the same middleware."""
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView


def ping(request: HttpRequest) -> HttpResponse:
    return JsonResponse({"ok": True})


class Ping(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


urlpatterns = [
    path("bench/ping/", ping),
    path("bench/api-ping/", Ping.as_view()),
    path("", include("sandbox.urls")),
]
