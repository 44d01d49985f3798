"""The OpenAPI schema of the plugin's endpoints: their errors too, and served to staff only.

drf-spectacular documents the answers a view declares. What the plugin's
views also answer is added here, from what each operation has: a body
(400 for a bad one, 413 too large, 415 not JSON), query parameters (400),
path parameters (404), a permission (401, 403), and what a view names in
``error_responses`` (409 for a refused state change, 429 for a rate limit).
Every error body is a JSON object: ``{"detail": "..."}`` or the bad fields,
each with its messages.
"""
from __future__ import annotations

from typing import Any

from drf_spectacular.openapi import AutoSchema
from drf_spectacular.plumbing import ResolvedComponent
from drf_spectacular.views import SpectacularAPIView
from rest_framework.permissions import BasePermission
from rest_framework.request import Request

ERROR_COMPONENT = "Error"
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "description": "Why the request was refused: `detail`, or each bad field with its messages.",
    "properties": {"detail": {"type": "string"}},
    # a field's messages; for a list or nested object, its items' or fields' own
    "additionalProperties": {"anyOf": [{"type": "array", "items": {"type": "string"}}, {"type": "object"}]},
}
BODY_ERRORS = {
    "400": "The body is not valid (each bad field is named), or not JSON, or nested too deeply.",
    "413": "The body is larger than the limit.",
    "415": "The body is not JSON.",
}
QUERY_ERRORS = {"400": "A query parameter is not valid (each bad one is named)."}
PATH_ERRORS = {"404": "Nothing has this key."}
AUTH_ERRORS = {
    "401": "Not signed in (where the project's authentication asks for credentials).",
    "403": "Not signed in, or without the permission this needs.",
}
#: A key as storefronts send it (``tracking.KEY_PATTERN``).
KEY_SCHEMA: dict[str, Any] = {"type": "string", "pattern": r"^[\w.:-]{1,64}$", "maxLength": 64}


class PluginAutoSchema(AutoSchema):
    """:class:`~drf_spectacular.openapi.AutoSchema` that documents the errors every operation can answer."""

    def get_operation(self, path: str, path_regex: str, path_prefix: str, method: str, registry: Any) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        parameters = operation.get("parameters", [])
        errors: dict[str, str] = {}
        if "requestBody" in operation:
            errors.update(BODY_ERRORS)
        if any(parameter["in"] == "query" for parameter in parameters):
            errors.setdefault("400", QUERY_ERRORS["400"])
        if any(parameter["in"] == "path" for parameter in parameters):
            errors.update(PATH_ERRORS)
        if any(parameter["in"] == "query" and parameter["name"] == "page" for parameter in parameters):
            errors["404"] = "No such page."
        if not getattr(self.view, "public", False):
            errors.update(AUTH_ERRORS)
        declared = getattr(self.view, "error_responses", {})
        errors.update(declared.get(self._action_name(), {}))
        errors.update(declared.get(self.method.lower(), {}))
        if not errors:
            return operation
        registry.register_on_missing(ResolvedComponent(ERROR_COMPONENT, ResolvedComponent.SCHEMA, schema=ERROR_SCHEMA, object=ERROR_COMPONENT))
        reference = {"$ref": f"#/components/schemas/{ERROR_COMPONENT}"}
        responses = operation.setdefault("responses", {})
        for code, description in sorted(errors.items()):
            responses.setdefault(code, {"description": description, "content": {"application/json": {"schema": reference}}})
        return operation

    def get_auth(self) -> list[dict[str, Any]]:
        """A public endpoint is also called without credentials (``{}``)."""
        auth = super().get_auth()
        if getattr(self.view, "public", False) and {} not in auth:
            auth = [*auth, {}]
        return auth

    def _action_name(self) -> str:
        return getattr(self.view, "action", None) or ""


class StaffOnly(BasePermission):
    """Active staff users: the schema lists staff endpoints, which anonymous callers have no use for.

    Reads ``is_staff`` alone (no ``django.contrib.auth`` permission), so it works inside Saleor too.
    """

    message = "The API schema is for staff users."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        return bool(user and user.is_authenticated and getattr(user, "is_staff", False) and getattr(user, "is_active", True))


class StaffSchemaView(SpectacularAPIView):
    """The OpenAPI schema, for staff users only."""

    permission_classes = [StaffOnly]
