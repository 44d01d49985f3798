"""A page that plays the Saleor Dashboard around an extension: the iframe, the handshake, theme events.

Served from its own loopback port, so the extension sees a dashboard of
another origin, as in Saleor. It does what saleor-dashboard's ``AppFrame``
does: loads the extension with ``?id=&saleorApiUrl=&theme=``, posts
``handshake`` with the token on load, and later ``theme`` and
``tokenRefresh``; it keeps every action the extension posts back.
"""
from __future__ import annotations

import json
import tempfile
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import pytest

PAGE = """<!doctype html><html><head><meta charset="utf-8"><title>Saleor Dashboard (test host)</title>
<style>body{margin:0;font:14px system-ui;background:#f4f5f7} header{padding:8px 16px;background:#111;color:#fff}
iframe{border:0;width:100%%;height:%(height)dpx;background:#fff}</style></head>
<body><header>Saleor Dashboard · %(label)s</header>
<iframe id="extension" src="%(src)s"></iframe>
<script>
window.received = [];
var frame = document.getElementById("extension");
var appOrigin = %(origin)s;
function post(type, payload) { frame.contentWindow.postMessage({type: type, payload: payload}, appOrigin); }
window.dashboard = {
  handshake: function (token) { post("handshake", {token: token, version: 1, saleorVersion: "3.24.0", dashboardVersion: "3.24.0"}); },
  refresh: function (token) { post("tokenRefresh", {token: token}); },
  theme: function (theme) { post("theme", {theme: theme}); },
  form: function (payload) { post("formPayload", payload); }
};
window.addEventListener("message", function (event) {
  if (event.origin !== appOrigin) { return; }
  window.received.push(event.data);
  if (event.data && event.data.type === "notifyReady") { window.dashboard.handshake(%(token)s); }
});
frame.addEventListener("load", function () { window.dashboard.handshake(%(token)s); });
</script></body></html>
"""


class DashboardHost:
    """``http://127.0.0.1:<port>/<name>.html``: one page per extension shown."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ecom-ai-dashboard-"))
        handler = partial(_Quiet, directory=str(self.folder))
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.server.server_address[1]}"

    def page(self, name: str, extension_url: str, *, token: str, saleor_api_url: str, theme: str = "light", height: int = 900, **query: str) -> str:
        """Write the host page for one extension; returns its URL."""
        src = extension_url + "?" + urlencode({"id": "QXBwOjE=", "saleorApiUrl": saleor_api_url, "theme": theme, "locale": "en", **query})
        parts = urlsplit(extension_url)
        (self.folder / f"{name}.html").write_text(
            PAGE % {"src": src, "origin": json.dumps(f"{parts.scheme}://{parts.netloc}"), "token": json.dumps(token), "height": height, "label": name}
        )
        return f"{self.origin}/{name}.html"

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:  # noqa: ANN002
        pass


@pytest.fixture
def host() -> Iterator[DashboardHost]:
    """A page that plays the Saleor Dashboard around the extension's iframe."""
    dashboard = DashboardHost()
    yield dashboard
    dashboard.stop()
