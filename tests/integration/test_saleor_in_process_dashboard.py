"""The dashboard pages of the in-process plugin, inside a real running Saleor, over HTTP.

Skipped unless a real Saleor is configured (the same variables as the live
suite, see ``saleor_live.py``) and runs this plugin in-process, active, with
``ECOM_AI['SALEOR_APP']`` allowing its own API URL (docs/saleor.md,
"The Saleor Dashboard pages, in-process"), and with an ``APP_ID`` no app
installed in that Saleor has (Saleor installs one app per manifest id)::

    export ECOM_AI_SALEOR_API_URL=http://127.0.0.1:8000/graphql/
    export ECOM_AI_SALEOR_STAFF_EMAIL=admin@example.com ECOM_AI_SALEOR_STAFF_PASSWORD=admin
    export ECOM_AI_SALEOR_IN_PROCESS=1
    pytest tests/integration/test_saleor_in_process_dashboard.py

Everything goes through Saleor's own front door: its ASGI application and
middleware, its plugin view (``/plugins/global/ecom_ai.plugin/...``), its
template settings, its ``appInstall`` (the manifest validated by Saleor's
code, the app token POSTed by its worker) and the tokens Saleor itself signs
for the installed app and its extensions (``app { accessToken extensions
{ accessToken } }``, as the dashboard asks for them). The app is deleted
from Saleor at the end; the product made for the generate action too.
"""
from __future__ import annotations

import json
import os
import urllib.error
import urllib.request
import uuid
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode, urlsplit

import pytest

from ecom_ai_plugin.saleor.app.dashboard.panels import APP_TABS
from ecom_ai_plugin.saleor.app.manifest import EXTENSIONS
from ecom_ai_plugin.saleor.plugin import PLUGIN_ID
from tests.integration import saleor_live
from tests.integration.saleor_live import StaffSaleor

pytestmark = pytest.mark.skipif(
    not (saleor_live.configured() and os.environ.get("ECOM_AI_SALEOR_IN_PROCESS") == "1"),
    reason="set " + ", ".join(saleor_live.ENV) + " and ECOM_AI_SALEOR_IN_PROCESS=1 (the plugin runs inside that Saleor)",
)

APP_NAME = "E-commerce AI (in-process check)"
#: The page each extension's URL serves, by its URL name (its fragment is ``dashboard/<page>/fragment/``).
PAGES = {"extension-generate": "generate", "extension-product-widget": "widget", "app": "app", "extension-today": "today"}
#: What Saleor's template settings render for a variable a template lacks, when Saleor runs with DEBUG.
MISSING_VARIABLE = "MISSING VARIABLE"
INSTALLED_APP = (
    "query ($id: ID!) { app(id: $id) { id identifier manifestUrl appUrl isActive permissions { code } "
    "webhooks { id } accessToken extensions { label mountName targetName url permissions { code } accessToken } } }"
)


@dataclass
class Answer:
    status: int
    headers: Any
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")

    def json(self) -> Any:
        return json.loads(self.body)


def fetch(url: str, *, token: str = "", api_url: str = "", data: dict[str, Any] | None = None) -> Answer:
    """One request as the dashboard's iframe (no token) or the page's script (token and Saleor URL) makes it."""
    headers = {"Authorization-Bearer": token, "Saleor-Api-Url": api_url} if token else {}
    body = None
    if data is not None:
        body, headers["Content-Type"] = json.dumps(data).encode(), "application/json"
    request = urllib.request.Request(url, data=body, headers=headers, method="POST" if body is not None else "GET")
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            return Answer(response.status, response.headers, response.read())
    except urllib.error.HTTPError as exc:
        return Answer(exc.code, exc.headers, exc.read())


class InProcess:
    """The Saleor, the plugin's prefix in it, and the app Saleor installed from the plugin's manifest."""

    def __init__(self, saleor: StaffSaleor) -> None:
        self.saleor = saleor
        parts = urlsplit(saleor.api_url)
        self.origin = f"{parts.scheme}://{parts.netloc}"
        self.prefix = f"{self.origin}/plugins/global/{PLUGIN_ID}/"
        self.app_id = ""
        self.product: dict[str, str] = {}

    def app(self) -> dict[str, Any]:
        """The installed app as Saleor reports it to the staff user, with the tokens Saleor signs for its pages."""
        return self.saleor.execute(INSTALLED_APP, {"id": self.app_id})["app"]

    def page_url(self, extension: dict[str, Any]) -> str:
        """Where the dashboard loads an extension: its URL, under the app's origin when relative (``APP_PAGE``)."""
        url = extension["url"]
        return url if "://" in url else self.origin + url

    def fragment(self, page: str, token: str, **query: str) -> Answer:
        return fetch(f"{self.prefix}dashboard/{page}/fragment/?{urlencode(query)}", token=token, api_url=self.saleor.api_url)

    def action(self, name: str, token: str, data: dict[str, Any]) -> Answer:
        return fetch(f"{self.prefix}dashboard/actions/{name}/", token=token, api_url=self.saleor.api_url, data=data)


@pytest.fixture(scope="module")
def inside() -> InProcess:
    saleor = StaffSaleor.from_env()
    found = InProcess(saleor)
    health = fetch(found.prefix + "health")
    assert health.status == 200, f"the plugin does not answer inside {found.origin} (installed and active?): {health.status} {health.text[:300]}"
    saleor_live.delete_apps(saleor, APP_NAME)
    found.app_id, _ = saleor_live.install_app(saleor, found.prefix + "manifest/", name=APP_NAME)
    try:
        yield found
    finally:
        saleor_live.delete_apps(saleor, APP_NAME)
        if found.product:
            saleor.execute("mutation ($id: ID!) { productDelete(id: $id) { errors { message } } }", {"id": found.product["id"]})


def extension_of(app: dict[str, Any], mount: str) -> dict[str, Any]:
    return next(e for e in app["extensions"] if e["mountName"] == mount)


def test_saleor_installs_the_plugins_manifest(inside):
    manifest = fetch(inside.prefix + "manifest/")
    assert manifest.status == 200 and manifest.headers.get_content_type() == "application/json"
    served = manifest.json()
    assert served["tokenTargetUrl"] == inside.prefix + "register/" and served["webhooks"] == []

    app = inside.app()  # Saleor validated the manifest, its worker POSTed the token to tokenTargetUrl
    assert app["isActive"] and app["identifier"] == served["id"] and app["manifestUrl"] == inside.prefix + "manifest/"
    assert app["appUrl"] == served["appUrl"] and app["webhooks"] == []
    assert {p["code"] for p in app["permissions"]} == set(served["permissions"])
    installed = {(e["mountName"], e["targetName"]): e for e in app["extensions"]}
    assert set(installed) == {(e.mount, e.target) for e in EXTENSIONS}
    for extension in served["extensions"]:
        mine = installed[(extension["mount"], extension["target"])]
        assert mine["url"] == extension["url"] and {p["code"] for p in mine["permissions"]} == set(extension["permissions"])


def test_saleor_hands_back_the_pages_unchanged_and_frameable(inside):
    for extension in inside.app()["extensions"]:
        url = inside.page_url(extension)
        assert url.startswith(inside.prefix), url
        page = PAGES[next(e.url_name for e in EXTENSIONS if e.mount == extension["mountName"])]
        query = {"id": inside.app_id, "saleorApiUrl": inside.saleor.api_url, "theme": "dark", "locale": "en"}
        answer = fetch(url + ("&" if "?" in url else "?") + urlencode(query))
        assert answer.status == 200, (url, answer.status, answer.text[:500])
        assert answer.headers.get_content_type() == "text/html"
        # framed by the dashboard, on another origin: nothing on the way forbids it
        assert answer.headers.get("X-Frame-Options") is None, (url, answer.headers.get("X-Frame-Options"))
        assert "frame-ancestors" not in (answer.headers.get("Content-Security-Policy") or "")
        html = answer.text
        assert f'data-fragment="/plugins/global/{PLUGIN_ID}/dashboard/{page}/fragment/"' in html
        assert 'data-theme="dark"' in html and "notifyReady" in html  # the template and its bridge script, found under Saleor's settings
        assert MISSING_VARIABLE not in html


def test_the_pages_accept_the_tokens_saleor_signs_for_them(inside):
    catalog = saleor_live.ensure_catalog(inside.saleor)
    inside.product = saleor_live.create_product(inside.saleor, catalog, f"In-process Lantern {uuid.uuid4().hex[:6]}", "A lantern with a 400 lm LED.")
    app = inside.app()
    query = {"generate": {"productId": inside.product["id"]}, "widget": {"productId": inside.product["id"]}, "app": {"tab": "drafts"}, "today": {}}
    for extension in app["extensions"]:
        assert extension["accessToken"], f"Saleor issued no token for {extension['mountName']}"
        page = PAGES[next(e.url_name for e in EXTENSIONS if e.mount == extension["mountName"])]
        answer = inside.fragment(page, extension["accessToken"], **query[page])
        assert answer.status == 200, (extension["mountName"], answer.status, answer.text[:500])
        assert MISSING_VARIABLE not in answer.text, (page, answer.text[:2000])
    # the app's own page (appUrl) is signed in with the app's token, as the dashboard's app page does: every tab renders
    for tab in APP_TABS:
        answer = inside.fragment("app", app["accessToken"], tab=tab)
        assert answer.status == 200 and MISSING_VARIABLE not in answer.text, (tab, answer.status, answer.text[:2000])
    csv = fetch(f"{inside.prefix}dashboard/insights/units.csv", token=app["accessToken"], api_url=inside.saleor.api_url)
    assert csv.status == 200 and csv.headers.get_content_type() == "text/csv", (csv.status, csv.text[:500])
    generate = inside.fragment("generate", extension_of(app, "PRODUCT_DETAILS_MORE_ACTIONS")["accessToken"], **query["generate"])
    assert "In-process Lantern" in generate.text  # Saleor's own product, read in-process

    token = extension_of(app, "PRODUCT_DETAILS_MORE_ACTIONS")["accessToken"]
    assert inside.fragment("generate", token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB"), **query["generate"]).status == 401
    assert fetch(f"{inside.prefix}dashboard/generate/fragment/").status == 401
    # the popup's token carries only the popup's permission: the insights CSV (MANAGE_ORDERS) is refused
    assert fetch(f"{inside.prefix}dashboard/insights/units.csv", token=token, api_url=inside.saleor.api_url).status == 403


def test_generate_from_the_popup_records_a_job_for_saleors_product(inside):
    assert inside.product, "runs after the token test, which makes the product"
    token = extension_of(inside.app(), "PRODUCT_DETAILS_MORE_ACTIONS")["accessToken"]
    answer = inside.action("generate", token, {"product": inside.product["id"], "kind": "long_description", "tone": "friendly", "length": "medium"})
    assert answer.status == 200, answer.text[:500]
    assert answer.json()["job"]
    html = inside.fragment("generate", token, productId=inside.product["id"]).text
    assert 'id="ecom-ai-job"' in html and 'id="ecom-ai-job-status"' in html  # the popup follows the job Saleor's page asked for
    assert MISSING_VARIABLE not in html
