"""Who may call the API: staff users holding the model permission each action needs."""
from __future__ import annotations

from typing import Any

from rest_framework.permissions import SAFE_METHODS, BasePermission
from rest_framework.request import Request

PUBLISH = "ecom_ai_plugin.publish_contentdraft"


def staff_with(request: Request, *perms: str) -> bool:
    """An active staff user holding every one of ``perms``."""
    user = request.user
    return bool(user and user.is_authenticated and user.is_staff and user.is_active and user.has_perms(perms))


class StaffModelPermission(BasePermission):
    """Staff only; reading needs ``view_<model_name>``, changing ``change_<model_name>`` too."""

    model_name = ""

    def needed(self, request: Request, view: Any) -> list[str]:
        needed = [f"ecom_ai_plugin.view_{self.model_name}"]
        if request.method not in SAFE_METHODS:
            needed.append(f"ecom_ai_plugin.change_{self.model_name}")
        return needed

    def has_permission(self, request: Request, view: Any) -> bool:
        return staff_with(request, *self.needed(request, view))


class StaffDraftPermission(StaffModelPermission):
    """Drafts; a view's ``publish_actions`` (publish, revert) also need
    ``publish_contentdraft``: they change the shop's product text.
    """

    message = "Staff users with permission on generated copy only."
    model_name = "contentdraft"

    def needed(self, request: Request, view: Any) -> list[str]:
        needed = super().needed(request, view)
        if getattr(view, "action", None) in getattr(view, "publish_actions", ()):
            needed.append(PUBLISH)
        return needed
