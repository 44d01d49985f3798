"""Who may call the API: staff users holding the model permission each action needs."""
from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

VIEW = "ecom_ai_plugin.view_contentdraft"
CHANGE = "ecom_ai_plugin.change_contentdraft"
PUBLISH = "ecom_ai_plugin.publish_contentdraft"


class StaffDraftPermission(BasePermission):
    """Staff only; reading needs ``view_contentdraft``, changing ``change_contentdraft``.

    A view's ``publish_actions`` (publish, revert) also need
    ``publish_contentdraft``: they change the shop's product text.
    """

    message = "Staff users with permission on generated copy only."

    def has_permission(self, request: Request, view: Any) -> bool:
        user = request.user
        if not (user and user.is_authenticated and user.is_staff and user.is_active):
            return False
        needed = [VIEW] if request.method in SAFE_METHODS else [VIEW, CHANGE]
        if getattr(view, "action", None) in getattr(view, "publish_actions", ()):
            needed.append(PUBLISH)
        return user.has_perms(needed)
