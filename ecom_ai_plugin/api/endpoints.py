"""What every endpoint of the plugin shares, whatever the project's REST framework settings say.

JSON bodies within the plugin's limits (:mod:`ecom_ai_plugin.api.parsers`),
and a schema that documents the errors it answers (:mod:`ecom_ai_plugin.api.schema`).
A view sets ``public = True`` when anyone may call it, and names its other
errors in ``error_responses`` (``{"post": {"429": "..."}}``, or by action name).
"""
from __future__ import annotations

from typing import Any, NoReturn

from drf_spectacular.utils import extend_schema
from rest_framework.exceptions import NotFound, ValidationError
from rest_framework.pagination import PageNumberPagination
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.views import APIView

from ecom_ai_plugin.api.parsers import JSONBodyParser
from ecom_ai_plugin.api.schema import PluginAutoSchema
from ecom_ai_plugin.models.keys import is_valid_pk


class PluginEndpoint:
    """Mixed into every plugin view before the REST framework's view class."""

    parser_classes = [JSONBodyParser]
    schema = PluginAutoSchema()
    public = False
    error_responses: dict[str, dict[str, str]] = {}
    #: any path segment reaches the view, which answers a JSON 404 for a key that cannot exist
    lookup_value_regex = "[^/]+"

    def get_object(self) -> Any:
        """The object of a detail URL; a key of the wrong type or out of the column's range is a 404 (not a 500)."""
        key = self.kwargs.get(getattr(self, "lookup_url_kwarg", None) or getattr(self, "lookup_field", "pk"))
        if not is_valid_pk(self.get_queryset().model, key):
            raise NotFound("Nothing has this key.")
        return super().get_object()


@extend_schema(exclude=True)
class NoSuchEndpoint(PluginEndpoint, APIView):
    """Any other address under the API: a JSON 404 like every other error the API answers, not the site's HTML page."""

    permission_classes = [AllowAny]
    authentication_classes: list[Any] = []

    def dispatch_unknown(self, request: Request, *args: Any, **kwargs: Any) -> NoReturn:
        raise NotFound("No such endpoint.")

    get = post = put = patch = delete = dispatch_unknown


class CheckedPagination(PageNumberPagination):
    """Page numbers with a ``page_size`` that is refused (400) when it is not a whole number in range, not ignored."""

    page_size_query_param = "page_size"

    def get_page_size(self, request: Request) -> int:
        value = request.query_params.get(self.page_size_query_param)
        if value is None:
            return self.page_size
        if not (value.isascii() and value.isdigit() and 1 <= int(value) <= self.max_page_size):
            raise ValidationError({self.page_size_query_param: [f"A whole number from 1 to {self.max_page_size}."]})
        return int(value)

    def get_schema_operation_parameters(self, view: Any) -> list[dict[str, Any]]:
        parameters = super().get_schema_operation_parameters(view)
        for parameter in parameters:
            if parameter["name"] == self.page_size_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1, "maximum": self.max_page_size}
            elif parameter["name"] == self.page_query_param:
                parameter["schema"] = {**parameter["schema"], "minimum": 1}
        return parameters
