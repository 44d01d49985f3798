"""The one JSON parser of every plugin endpoint: bodies within a size and a nesting limit.

Python's JSON decoder recurses once per level of nesting, so a 10 KB body
of ``[[[[...]]]]`` is a ``RecursionError`` (a 500) in any view that reads
it. Here a body larger than ``ECOM_AI['API']['MAX_BODY_BYTES']`` (or a
view's own smaller ``max_body_bytes``) is a 413 before it is read, and
one nested deeper than ``MAX_JSON_DEPTH`` is a 400 before it is decoded.
"""
from __future__ import annotations

import json
from typing import Any

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ParseError
from rest_framework.parsers import JSONParser
from rest_framework.settings import api_settings
from rest_framework.utils import json as drf_json

from ecom_ai_plugin.conf import ecom_ai_settings


class BodyTooLarge(APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_code = "body_too_large"
    default_detail = "The request body is too large."


def body_limit(view: Any = None) -> int:
    """The most bytes a body may have: the settings', or the view's own when smaller."""
    limit = int(ecom_ai_settings.API["MAX_BODY_BYTES"])
    own = getattr(view, "max_body_bytes", None)
    return min(limit, own) if own else limit


def nesting_depth(data: bytes | str, limit: int) -> int:
    """How deeply arrays and objects nest in a JSON text, counted without decoding it (stops past ``limit``)."""
    if isinstance(data, bytes):
        data = data.decode("utf-8", errors="replace")
    depth = deepest = 0
    in_string = escaped = False
    for char in data:
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > limit:
                    return deepest
        elif char in "]}":
            depth -= 1
    return deepest


class JSONBodyParser(JSONParser):
    """:class:`~rest_framework.parsers.JSONParser` within the plugin's size and depth limits."""

    def parse(self, stream: Any, media_type: str | None = None, parser_context: dict[str, Any] | None = None) -> Any:
        parser_context = parser_context or {}
        request = parser_context.get("request")
        limit = body_limit(parser_context.get("view"))
        declared = request.META.get("CONTENT_LENGTH") if request is not None else None
        if declared and declared.isdigit() and int(declared) > limit:
            raise BodyTooLarge(f"A request body is at most {limit} bytes.")
        raw = stream.read(limit + 1)
        if len(raw) > limit:
            raise BodyTooLarge(f"A request body is at most {limit} bytes.")
        max_depth = int(ecom_ai_settings.API["MAX_JSON_DEPTH"])
        if nesting_depth(raw, max_depth) > max_depth:
            raise ParseError(f"JSON nested more than {max_depth} levels deep is not accepted.")
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            text = raw.decode(encoding)
            constant = drf_json.strict_constant if api_settings.STRICT_JSON else None
            return json.loads(text, parse_constant=constant)
        except (ValueError, UnicodeDecodeError, RecursionError) as exc:
            raise ParseError(f"JSON parse error - {exc}") from None


class BeaconParser(JSONBodyParser):
    """JSON sent as ``text/plain``: what ``navigator.sendBeacon`` may send cross-origin without a preflight."""

    media_type = "text/plain"
