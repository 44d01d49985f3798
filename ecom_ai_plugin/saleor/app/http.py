"""JSON over HTTP to a Saleor, with the standard library (the app needs no HTTP client package)."""
from __future__ import annotations

import json
import urllib.error
import urllib.request
from typing import Any

from ecom_ai_plugin.conf import ecom_ai_settings

USER_AGENT = "ecom-ai-plugin (Saleor App)"
#: The largest answer read from Saleor, in bytes.
MAX_RESPONSE_BYTES = 64 * 1024 * 1024


class HTTPError(ConnectionError):
    """Saleor could not be reached, or answered with an error status or not with JSON.

    A ``ConnectionError``, so a job that meets it is retried later.
    """

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


def request_json(url: str, *, body: Any = None, headers: dict[str, str] | None = None, timeout: float | None = None) -> Any:
    """GET ``url`` (or POST ``body`` as JSON) and return the parsed JSON answer."""
    data = None if body is None else json.dumps(body).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="GET" if data is None else "POST")
    request.add_header("Accept", "application/json")
    request.add_header("User-Agent", USER_AGENT)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    timeout = timeout or ecom_ai_settings.SALEOR_APP["HTTP_TIMEOUT_SECONDS"]
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (http(s) URLs of allowed Saleors only)
            raw = response.read(MAX_RESPONSE_BYTES + 1)
    except urllib.error.HTTPError as exc:
        detail = exc.read(2000).decode("utf-8", "replace")
        raise HTTPError(f"{url} answered {exc.code}: {detail}", status=exc.code) from None
    except (urllib.error.URLError, OSError) as exc:
        raise HTTPError(f"{url} could not be reached: {getattr(exc, 'reason', exc)}") from None
    if len(raw) > MAX_RESPONSE_BYTES:
        raise HTTPError(f"{url} answered more than {MAX_RESPONSE_BYTES} bytes.")
    try:
        return json.loads(raw)
    except ValueError:
        raise HTTPError(f"{url} did not answer JSON: {raw[:200]!r}") from None


def get_json(url: str) -> Any:
    return request_json(url)
