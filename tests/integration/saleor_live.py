"""A real Saleor and the app server, for the live suite and its benchmark.

Configured by environment variables (the Saleor itself is stood up by its own
README; nothing here builds it):

    export ECOM_AI_SALEOR_API_URL=http://127.0.0.1:8000/graphql/
    export ECOM_AI_SALEOR_STAFF_EMAIL=admin@example.com ECOM_AI_SALEOR_STAFF_PASSWORD=admin
    export ECOM_AI_SALEOR_APP_PORT=8101      # where the app server started here listens (Saleor must reach it)

That Saleor must deliver webhooks to loopback (``HTTP_IP_FILTER_ALLOW_LOOPBACK_IPS=True``)
and run its Celery worker (it installs apps and sends async webhooks).
:class:`StaffSaleor` talks to it as that staff user; :class:`AppServer` runs
``python -m ecom_ai_plugin.saleor.app serve`` on a given database;
:func:`ensure_catalog` makes (once) the channel, warehouse, product type and
category the suite's products use; :func:`install_app` installs the app with
``appInstall`` and waits until Saleor reports it installed.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent.parent
ENV = ("ECOM_AI_SALEOR_API_URL", "ECOM_AI_SALEOR_STAFF_EMAIL", "ECOM_AI_SALEOR_STAFF_PASSWORD")
#: The slug of everything :func:`ensure_catalog` makes.
SLUG = "ecom-ai-live"
APP_NAME = "E-commerce AI (live check)"
#: The manifest id of the app the suite installs: Saleor installs one app per id, and the Saleor
#: may have the app itself installed already (``SALEOR_APP['APP_ID']``, "ecom-ai-plugin").
APP_ID = "ecom-ai-plugin-live-check"


def configured() -> bool:
    return all(os.environ.get(name) for name in ENV)


def wait_for(what: str, probe: Callable[[], Any], timeout: float = 60, interval: float = 0.1) -> Any:
    """Call ``probe`` until it returns something truthy; AssertionError naming ``what`` after ``timeout``."""
    deadline = time.monotonic() + timeout
    while True:
        found = probe()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"{what}: not within {timeout} s")
        time.sleep(interval)


class StaffSaleor:
    """Saleor's GraphQL API as a staff user (``tokenCreate``), the token renewed before it expires."""

    TOKEN_CREATE = "mutation EcomAIStaffToken($email: String!, $password: String!) { tokenCreate(email: $email, password: $password) { token errors { field message } } }"
    RENEW_AFTER_SECONDS = 240  # Saleor's access tokens live 5 minutes

    def __init__(self, api_url: str, email: str, password: str) -> None:
        self.api_url, self.email, self.password = api_url, email, password
        self._token, self._since = "", 0.0

    @classmethod
    def from_env(cls) -> StaffSaleor:
        return cls(*(os.environ[name] for name in ENV))

    def token_for(self, email: str, password: str) -> str:
        from ecom_ai_plugin.saleor.app.http import request_json

        answer = request_json(self.api_url, body={"query": self.TOKEN_CREATE, "variables": {"email": email, "password": password}})
        token = ((answer.get("data") or {}).get("tokenCreate") or {}).get("token")
        assert token, f"tokenCreate for {email}: {answer}"
        return token

    def execute(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        from ecom_ai_plugin.saleor.app.graphql import SaleorClient

        if time.monotonic() - self._since > self.RENEW_AFTER_SECONDS:
            self._token, self._since = self.token_for(self.email, self.password), time.monotonic()
        return SaleorClient(self.api_url, self._token, timeout=60).execute(query, variables)

    def mutate(self, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
        """A mutation's result (its one root field), asserting Saleor reported no ``errors``."""
        data = self.execute(query, variables)
        (result,) = data.values()
        assert not (result or {}).get("errors"), f"{next(iter(data))}: {result['errors']}"
        return result


# -- the catalog the suite's products go in -------------------------------------------------------

FIND_CATALOG = (
    "query EcomAICatalog($slug: String!) { channel(slug: $slug) { id } "
    "warehouses(first: 1, filter: {search: $slug}) { edges { node { id slug } } } "
    "productTypes(first: 1, filter: {search: $slug}) { edges { node { id slug } } } "
    "categories(first: 1, filter: {search: $slug}) { edges { node { id slug } } } "
    "shippingZones(first: 1, filter: {search: $slug}) { edges { node { id name } } } }"
)
WAREHOUSE_CREATE = (
    "mutation ($slug: String!) { createWarehouse(input: {name: $slug, slug: $slug, email: \"live@example.com\", "
    "address: {streetAddress1: \"1 Main St\", city: \"New York\", postalCode: \"10001\", country: US, countryArea: \"NY\"}}) "
    "{ warehouse { id } errors { field message code } } }"
)
CHANNEL_CREATE = (
    "mutation ($slug: String!, $warehouse: ID!) { channelCreate(input: {name: $slug, slug: $slug, currencyCode: \"USD\", "
    "defaultCountry: US, isActive: true, addWarehouses: [$warehouse]}) { channel { id } errors { field message code } } }"
)
SHIPPING_ZONE_CREATE = (
    "mutation ($slug: String!, $warehouse: ID!, $channel: ID!) { shippingZoneCreate(input: {name: $slug, countries: [\"US\"], "
    "addWarehouses: [$warehouse], addChannels: [$channel]}) { shippingZone { id } errors { field message code } } }"
)
PRODUCT_TYPE_CREATE = (
    "mutation ($slug: String!) { productTypeCreate(input: {name: $slug, slug: $slug, kind: NORMAL, hasVariants: false, "
    "isShippingRequired: false}) { productType { id } errors { field message code } } }"
)
CATEGORY_CREATE = "mutation ($slug: String!) { categoryCreate(input: {name: $slug, slug: $slug}) { category { id } errors { field message code } } }"
SHOP_SETTINGS = "mutation { shopSettingsUpdate(input: {enableAccountConfirmationByEmail: false}) { shop { enableAccountConfirmationByEmail } errors { field message code } } }"


@dataclass(frozen=True)
class Catalog:
    channel: str
    warehouse: str
    product_type: str
    category: str


def _first(found: dict[str, Any], connection: str) -> str | None:
    edges = (found.get(connection) or {}).get("edges") or []
    nodes = [edge["node"] for edge in edges if edge["node"].get("slug", edge["node"].get("name")) == SLUG]
    return nodes[0]["id"] if nodes else None


def ensure_catalog(saleor: StaffSaleor) -> Catalog:
    """The suite's channel, warehouse (in a shipping zone of the channel), product type (no shipping, no variants) and category, made once."""
    found = saleor.execute(FIND_CATALOG, {"slug": SLUG})
    warehouse = _first(found, "warehouses") or saleor.mutate(WAREHOUSE_CREATE, {"slug": SLUG})["warehouse"]["id"]
    channel = (found.get("channel") or {}).get("id") or saleor.mutate(CHANNEL_CREATE, {"slug": SLUG, "warehouse": warehouse})["channel"]["id"]
    product_type = _first(found, "productTypes") or saleor.mutate(PRODUCT_TYPE_CREATE, {"slug": SLUG})["productType"]["id"]
    category = _first(found, "categories") or saleor.mutate(CATEGORY_CREATE, {"slug": SLUG})["category"]["id"]
    if not _first(found, "shippingZones"):  # the warehouse's stock counts in the channel only through a shipping zone
        saleor.mutate(SHIPPING_ZONE_CREATE, {"slug": SLUG, "warehouse": warehouse, "channel": channel})
    saleor.mutate(SHOP_SETTINGS)  # customers registering here can sign in at once
    return Catalog(channel, warehouse, product_type, category)


# -- products -------------------------------------------------------------------------------------

PRODUCT_CREATE = (
    "mutation ($input: ProductCreateInput!) { productCreate(input: $input) { product { id name } errors { field message code } } }"
)
PRODUCT_LISTING = (
    "mutation ($id: ID!, $channel: ID!) { productChannelListingUpdate(id: $id, input: {updateChannels: [{channelId: $channel, "
    "isPublished: true, visibleInListings: true, isAvailableForPurchase: true}]}) { errors { field message code } } }"
)
VARIANT_CREATE = (
    "mutation ($product: ID!, $sku: String!, $warehouse: ID!) { productVariantCreate(input: {product: $product, sku: $sku, "
    "attributes: [], trackInventory: true, stocks: [{warehouse: $warehouse, quantity: 100}]}) "
    "{ productVariant { id } errors { field message code } } }"
)
VARIANT_LISTING = (
    "mutation ($id: ID!, $channel: ID!, $price: PositiveDecimal!) { productVariantChannelListingUpdate(id: $id, "
    "input: [{channelId: $channel, price: $price}]) { errors { field message code } } }"
)


def editorjs(text: str) -> str:
    """A plain paragraph as the EditorJS JSON string Saleor's ``description`` takes."""
    return json.dumps({"time": 0, "version": "2.24.3", "blocks": [{"id": uuid.uuid4().hex[:10], "type": "paragraph", "data": {"text": text}}]})


def create_product(saleor: StaffSaleor, catalog: Catalog, name: str, description: str, price: str = "49.00") -> dict[str, str]:
    """A published product with one priced, stocked variant; its ids."""
    product = saleor.mutate(
        PRODUCT_CREATE,
        {"input": {"productType": catalog.product_type, "category": catalog.category, "name": name, "description": editorjs(description)}},
    )["product"]
    saleor.mutate(PRODUCT_LISTING, {"id": product["id"], "channel": catalog.channel})
    variant = saleor.mutate(VARIANT_CREATE, {"product": product["id"], "sku": f"live-{uuid.uuid4().hex[:12]}", "warehouse": catalog.warehouse})
    variant_id = variant["productVariant"]["id"]
    saleor.mutate(VARIANT_LISTING, {"id": variant_id, "channel": catalog.channel, "price": price})
    return {"id": product["id"], "variant": variant_id}


# -- installing the app ---------------------------------------------------------------------------

APP_INSTALL = (
    "mutation ($name: String!, $url: String!) { appInstall(input: {appName: $name, manifestUrl: $url, "
    "permissions: [MANAGE_PRODUCTS, MANAGE_ORDERS, MANAGE_USERS]}) { appInstallation { id status } errors { field message code } } }"
)
INSTALLATIONS = "query { appsInstallations { id status message } }"
APPS = "query ($search: String!) { apps(first: 20, filter: {search: $search}) { edges { node { id name isActive created } } } }"
APP_DELETE = "mutation ($id: ID!) { appDelete(id: $id) { errors { field message code } } }"


def install_app(saleor: StaffSaleor, manifest_url: str, name: str = APP_NAME, timeout: float = 120) -> tuple[str, float]:
    """``appInstall`` from the manifest URL, then wait until Saleor lists the app; its id and the seconds it took."""
    before = {edge["node"]["id"] for edge in saleor.execute(APPS, {"search": name})["apps"]["edges"]}
    started = time.monotonic()
    installation = saleor.mutate(APP_INSTALL, {"name": name, "url": manifest_url})["appInstallation"]

    def installed() -> str | None:
        pending = {item["id"]: item for item in saleor.execute(INSTALLATIONS)["appsInstallations"]}
        mine = pending.get(installation["id"])
        if mine and mine["status"] == "FAILED":
            raise AssertionError(f"Saleor could not install the app: {mine['message']}")
        apps = [edge["node"] for edge in saleor.execute(APPS, {"search": name})["apps"]["edges"] if edge["node"]["id"] not in before]
        return apps[0]["id"] if apps and mine is None else None

    app_id = wait_for("the app installed", installed, timeout=timeout, interval=0.05)
    return app_id, time.monotonic() - started


def delete_apps(saleor: StaffSaleor, name: str) -> None:
    """Remove every app of this name from Saleor (so it sends nothing to a server that is gone)."""
    for edge in saleor.execute(APPS, {"search": name})["apps"]["edges"]:
        if edge["node"]["name"] == name:
            saleor.mutate(APP_DELETE, {"id": edge["node"]["id"]})


# -- the app server -------------------------------------------------------------------------------


class AppServer:
    """``python -m ecom_ai_plugin.saleor.app serve`` (web server and workers) on the given database and Redis."""

    def __init__(self, port: int, database: dict[str, Any], redis_url: str, api_url: str, app_dir: Path, workers: bool = True) -> None:
        from cryptography.fernet import Fernet

        self.port, self.api_url, self.app_dir, self.workers = port, api_url, app_dir, workers
        self.encryption_key = Fernet.generate_key().decode()
        self.url = f"http://127.0.0.1:{port}"
        user, password = database.get("USER") or "postgres", database.get("PASSWORD") or ""
        credentials = f"{user}:{password}@" if password else f"{user}@"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "ecom_ai_plugin.saleor.app.project.settings",
            "DATABASE_URL": f"postgres://{credentials}{database.get('HOST') or '127.0.0.1'}:{database.get('PORT') or 5432}/{database['NAME']}",
            "REDIS_URL": redis_url,
            "SECRET_KEY": uuid.uuid4().hex,
            "ECOM_AI_PUBLIC_URL": self.url,
            "ECOM_AI_ALLOWED_SALEOR_URLS": api_url,
            "ECOM_AI_ENCRYPTION_KEYS": self.encryption_key,
            "ECOM_AI_STOREFRONT_ORIGINS": "http://localhost:3000",
            "ECOM_AI_APP_DIR": str(app_dir),
            "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]),
        }
        self.env["ECOM_AI_SETTINGS"] = json.dumps({"SALEOR_APP": {"APP_ID": APP_ID}})
        self.log_path = app_dir / "app-server.log"
        self.process: subprocess.Popen | None = None

    @property
    def manifest_url(self) -> str:
        return f"{self.url}/saleor/manifest/"

    def start(self, timeout: float = 120) -> AppServer:
        from ecom_ai_plugin.saleor.app.http import HTTPError, get_json

        command = [sys.executable, "-m", "ecom_ai_plugin.saleor.app", "serve", "--host", "127.0.0.1", "--port", str(self.port), "--no-beat", "--no-migrate", "--cpu-concurrency", "1"]
        if not self.workers:
            command.append("--no-workers")
        self.log = open(self.log_path, "wb")
        self.process = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True)

        def healthy() -> bool:
            if self.process.poll() is not None:
                raise RuntimeError(f"the app server exited early:\n{self.output()}")
            try:
                return get_json(f"{self.url}/health/").get("status") == "ok"
            except HTTPError:
                return False

        wait_for("the app server answering", healthy, timeout=timeout, interval=0.3)
        if self.workers:
            wait_for("the app server's workers ready", lambda: self.output().count(" ready.") >= 2, timeout=timeout, interval=0.3)
        return self

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()  # serve stops its web server and workers (a worker finishes its job)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=10)
        if self.process:
            self.log.close()


def app_port() -> int:
    return int(os.environ.get("ECOM_AI_SALEOR_APP_PORT", "8101"))


# -- a second subscriber --------------------------------------------------------------------------


class Subscriber:
    """A tiny HTTP server that keeps every webhook body Saleor POSTs to it."""

    def __init__(self) -> None:
        received: list[dict[str, Any]] = []
        self.received = received

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 (http.server's name)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                received.append({"headers": dict(self.headers), "body": json.loads(body or b"null")})
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.server.shutdown()
        self.server.server_close()


SUBSCRIBER_APP_CREATE = (
    "mutation ($name: String!) { appCreate(input: {name: $name, permissions: [MANAGE_PRODUCTS]}) "
    "{ authToken app { id } errors { field message code } } }"
)
SUBSCRIBER_WEBHOOK_CREATE = (
    "mutation ($app: ID!, $url: String!, $query: String!) { webhookCreate(input: {app: $app, name: \"product-updated\", "
    "targetUrl: $url, asyncEvents: [PRODUCT_UPDATED], isActive: true, query: $query}) { webhook { id } errors { field message code } } }"
)
SUBSCRIBER_QUERY = "subscription { event { ... on ProductUpdated { product { id description seoTitle } } } }"


def subscribe_product_updates(saleor: StaffSaleor, subscriber: Subscriber, name: str) -> str:
    """Another app of that Saleor, subscribed to ``PRODUCT_UPDATED`` at the subscriber's URL; its id."""
    app = saleor.mutate(SUBSCRIBER_APP_CREATE, {"name": name})["app"]
    saleor.mutate(SUBSCRIBER_WEBHOOK_CREATE, {"app": app["id"], "url": subscriber.url, "query": SUBSCRIBER_QUERY})
    return app["id"]


def host_of(url: str) -> str:
    return urlsplit(url).netloc
