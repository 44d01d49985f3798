"""The app's HTTP endpoints for Saleor: manifest, install, webhooks (the dashboard pages: :mod:`.dashboard`)."""
from __future__ import annotations

import json
import logging

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from ecom_ai_plugin.saleor.app import installations, webhooks
from ecom_ai_plugin.saleor.app.manifest import build_manifest

logger = logging.getLogger(__name__)

#: The largest install request accepted, in bytes (Saleor's is about 50).
MAX_REGISTER_BYTES = 4096


@require_GET
def manifest(request: HttpRequest) -> JsonResponse:
    """The manifest Saleor installs the app from."""
    return JsonResponse(build_manifest(request))


@csrf_exempt
@require_POST
def register(request: HttpRequest) -> JsonResponse:
    """``tokenTargetUrl``: Saleor sends the app token; 200 stores it, 4xx refuses it (and the install fails)."""
    if len(request.body) > MAX_REGISTER_BYTES:
        return JsonResponse({"success": False, "error": "The request is too large."}, status=413)
    try:
        data = json.loads(request.body or b"null")
    except ValueError:
        data = None
    if not isinstance(data, dict):
        return JsonResponse({"success": False, "error": 'Send {"auth_token": "..."}.'}, status=400)
    try:
        installations.register(request.headers.get("Saleor-Api-Url"), data.get("auth_token"), domain=request.headers.get("Saleor-Domain", ""))
    except installations.InstallError as exc:
        logger.warning("ecom_ai_plugin: install refused: %s", exc)
        return JsonResponse({"success": False, "error": str(exc)}, status=exc.status)
    return JsonResponse({"success": True})


@csrf_exempt
@require_POST
def webhook(request: HttpRequest, name: str) -> JsonResponse:
    """One Saleor event: 401 unless signed by an installed Saleor; 200 with the jobs recorded."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    if length > webhooks.MAX_BODY_BYTES:  # before Django reads (and refuses) it
        return JsonResponse({"error": f"A webhook body is at most {webhooks.MAX_BODY_BYTES} bytes."}, status=413)
    try:
        outcome = webhooks.receive(name, request.body, request.headers)
    except webhooks.WebhookRefused as exc:
        if exc.status == 401:
            logger.warning("ecom_ai_plugin: webhook %s refused: %s", name, exc)
        return JsonResponse({"error": str(exc)}, status=exc.status)
    return JsonResponse(outcome.as_dict())

