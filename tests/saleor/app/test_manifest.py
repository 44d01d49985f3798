"""The manifest, checked by Saleor's own rules (``saleor/app/manifest_validations.py``, ``manifest_schema.py``).

The rules are restated here so the check runs without Saleor: required
fields, URLs Saleor's ``AppURLValidator`` accepts, permissions that exist and
that an app may hold, extension permissions within the app's, relative
extension URLs only with an ``appUrl``, known async events, and subscription
queries that parse, subscribe to ``event`` and select the event they are for.
With ``ECOM_AI_SALEOR_SCHEMA`` naming Saleor's GraphQL schema (SDL, e.g. from
``python manage.py get_graphql_schema`` in a Saleor checkout) every query is
also validated against it, field by field, as Saleor does on install.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.test import Client
from graphql import OperationType, parse
from graphql.language import FieldNode, InlineFragmentNode, OperationDefinitionNode

from ecom_ai_plugin.saleor.app.manifest import PERMISSIONS, WEBHOOKS

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "data" / "saleor"

#: saleor/permission/enums.py (3.24): every permission an app can be granted, and MANAGE_APPS, which it cannot.
SALEOR_PERMISSIONS = set(
    "MANAGE_USERS MANAGE_STAFF IMPERSONATE_USER MANAGE_APPS MANAGE_OBSERVABILITY MANAGE_CHANNELS MANAGE_DISCOUNTS "
    "MANAGE_PLUGINS MANAGE_GIFT_CARD MANAGE_MENUS MANAGE_CHECKOUTS HANDLE_CHECKOUTS HANDLE_TAXES MANAGE_TAXES "
    "MANAGE_ORDERS MANAGE_ORDERS_IMPORT HANDLE_PAYMENTS MANAGE_PAGES MANAGE_PAGE_TYPES_AND_ATTRIBUTES MANAGE_PRODUCTS "
    "MANAGE_PRODUCT_TYPES_AND_ATTRIBUTES MANAGE_SHIPPING MANAGE_SETTINGS MANAGE_TRANSLATIONS".split()
)
#: saleor/webhook/event_types.py WebhookEventAsyncType (3.24), the events an app like this one may use.
SALEOR_ASYNC_EVENTS = set(
    "PRODUCT_CREATED PRODUCT_UPDATED PRODUCT_DELETED PRODUCT_VARIANT_CREATED PRODUCT_VARIANT_UPDATED "
    "PRODUCT_VARIANT_DELETED ORDER_CREATED ORDER_CONFIRMED ORDER_PAID ORDER_FULLY_PAID ORDER_UPDATED ORDER_CANCELLED "
    "ORDER_EXPIRED CUSTOMER_CREATED CUSTOMER_UPDATED CUSTOMER_DELETED ACCOUNT_DELETED".split()
)
#: The dashboard's mount points (saleor-dashboard) and targets.
DASHBOARD_MOUNTS = {
    "PRODUCT_DETAILS_MORE_ACTIONS", "PRODUCT_DETAILS_WIDGETS", "PRODUCT_OVERVIEW_CREATE", "PRODUCT_OVERVIEW_MORE_ACTIONS",
    "ORDER_DETAILS_MORE_ACTIONS", "ORDER_DETAILS_WIDGETS", "HOMEPAGE_WIDGETS", "NAVIGATION_CATALOG", "NAVIGATION_ORDERS",
    "NAVIGATION_CUSTOMERS",
}
TARGETS = {"POPUP", "APP_PAGE", "WIDGET", "NEW_TAB"}


class AppURLValidator(URLValidator):
    """Django's URL rule, but a host needs no top-level domain (Saleor accepts ``http://app:8000/``)."""

    regex = re.compile(
        r"^[a-z0-9.+-]*://(?:[^\s:@/]+(?::[^\s:@/]*)?@)?"
        rf"(?:{URLValidator.ipv4_re}|{URLValidator.ipv6_re}|{URLValidator.hostname_re}{URLValidator.domain_re})"
        r"(?::\d{2,5})?(?:[/?#][^\s]*)?\Z",
        re.IGNORECASE,
    )


def valid_url(url: str, schemes: tuple[str, ...] = ("http", "https")) -> bool:
    try:
        AppURLValidator(schemes=list(schemes))(url)
    except ValidationError:
        return False
    return True


def event_of(type_name: str) -> str:
    """``ProductVariantCreated`` → ``PRODUCT_VARIANT_CREATED``: how Saleor matches a fragment to its event."""
    return re.sub(r"(?<!^)(?=[A-Z])", "_", type_name).upper()


def subscribed_events(query: str) -> set[str]:
    document = parse(query)
    [operation] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    assert operation.operation == OperationType.SUBSCRIPTION
    [event] = [s for s in operation.selection_set.selections if isinstance(s, FieldNode)]
    assert event.name.value == "event"
    return {s.type_condition.name.value for s in event.selection_set.selections if isinstance(s, InlineFragmentNode)}


def saleor_manifest_errors(manifest: dict) -> list[str]:
    errors = []
    for field in ("id", "name", "version"):
        if not isinstance(manifest.get(field), str) or not manifest[field]:
            errors.append(f"{field} is required")
    permissions = manifest.get("permissions", [])
    errors += [f"unknown permission {p}" for p in permissions if p not in SALEOR_PERMISSIONS]
    if "MANAGE_APPS" in permissions:
        errors.append("MANAGE_APPS cannot be granted to an app")
    for field in ("tokenTargetUrl", "appUrl"):
        if manifest.get(field) is not None and not valid_url(manifest[field]):
            errors.append(f"{field} is not a valid URL")
    for extension in manifest.get("extensions", []):
        for field in ("label", "url", "mount"):
            if not extension.get(field):
                errors.append(f"extension {field} is required")
        url = extension.get("url", "")
        if extension.get("target") == "APP_PAGE" and not url.startswith("/"):
            errors.append("Url cannot start with protocol when target == APP_PAGE")
        if url.startswith("/") and not manifest.get("appUrl"):
            errors.append("a relative extension URL needs appUrl")
        elif not url.startswith("/") and not valid_url(url):
            errors.append(f"extension url {url} is not valid")
        if extension.get("mount") not in DASHBOARD_MOUNTS or extension.get("target", "POPUP") not in TARGETS:
            errors.append(f"unknown mount/target {extension.get('mount')}/{extension.get('target')}")
        if not set(extension.get("permissions", [])) <= set(permissions):
            errors.append("Extension permission must be listed in App's permissions.")
    for webhook in manifest.get("webhooks", []):
        if not webhook.get("name") or not valid_url(webhook.get("targetUrl", ""), ("http", "https", "awssqs", "gcpubsub")):
            errors.append(f"webhook {webhook.get('name')}: name and a valid targetUrl are required")
        unknown = set(webhook.get("asyncEvents", [])) - SALEOR_ASYNC_EVENTS
        errors += [f"Invalid asynchronous event {e}" for e in sorted(unknown)]
        try:
            selected = {event_of(t) for t in subscribed_events(webhook["query"])}
        except Exception as exc:  # noqa: BLE001 - any parse failure is the error to report
            errors.append(f"Subscription query is not valid: {exc}")
            continue
        if selected != set(webhook.get("asyncEvents", [])):
            errors.append(f"webhook {webhook['name']} selects {selected}, subscribes {webhook.get('asyncEvents')}")
    return errors


def served_manifest(**extra) -> dict:
    response = Client().get("/saleor/manifest/", **extra)
    assert response.status_code == 200 and response["Content-Type"] == "application/json"
    return response.json()


def test_the_manifest_passes_saleors_rules(app_mode):
    manifest = served_manifest()
    assert saleor_manifest_errors(manifest) == []
    assert manifest["permissions"] == ["MANAGE_PRODUCTS", "MANAGE_ORDERS", "MANAGE_USERS"]
    assert set(PERMISSIONS) == set(manifest["permissions"]) and all(PERMISSIONS.values())
    assert manifest["tokenTargetUrl"] == "http://testserver/saleor/register/"
    mounts = {(e["mount"], e["target"]): e for e in manifest["extensions"]}
    assert set(mounts) == {("PRODUCT_DETAILS_MORE_ACTIONS", "POPUP"), ("PRODUCT_DETAILS_WIDGETS", "WIDGET"), ("NAVIGATION_CATALOG", "APP_PAGE"), ("HOMEPAGE_WIDGETS", "WIDGET")}
    assert mounts[("PRODUCT_DETAILS_MORE_ACTIONS", "POPUP")]["permissions"] == ["MANAGE_PRODUCTS"]  # its token carries no more
    assert mounts[("NAVIGATION_CATALOG", "APP_PAGE")]["url"] == "/?tab=drafts"  # below appUrl: the app page itself
    assert mounts[("HOMEPAGE_WIDGETS", "WIDGET")]["options"] == {"homeWidgetTarget": {"method": "GET"}}
    assert mounts[("PRODUCT_DETAILS_WIDGETS", "WIDGET")]["options"] == {"widgetTarget": {"method": "GET"}}
    events = {event for webhook in manifest["webhooks"] for event in webhook["asyncEvents"]}
    assert {"PRODUCT_CREATED", "PRODUCT_UPDATED", "PRODUCT_DELETED", "ORDER_CREATED", "ORDER_FULLY_PAID", "ORDER_UPDATED",
            "ORDER_CANCELLED", "CUSTOMER_CREATED", "CUSTOMER_DELETED", "ACCOUNT_DELETED"} <= events


def test_the_rules_catch_what_saleor_refuses():
    """The restated rules are not a rubber stamp: Saleor's sample passes, broken manifests do not."""
    sample = json.loads((DATA / "app_manifest.json").read_text())["manifest"]
    assert saleor_manifest_errors(sample) == []
    broken = json.loads(json.dumps(sample))
    broken["permissions"] = ["MANAGE_APPS", "MANAGE_EVERYTHING"]
    broken["extensions"][0]["url"] = "/relative"
    del broken["appUrl"]
    broken["webhooks"][0]["asyncEvents"] = ["PRODUCT_EXPLODED"]
    broken["webhooks"][1]["query"] = "subscription { event { ... on"
    errors = " | ".join(saleor_manifest_errors(broken))
    for expected in ("MANAGE_APPS cannot", "unknown permission MANAGE_EVERYTHING", "needs appUrl", "Extension permission", "PRODUCT_EXPLODED", "not valid"):
        assert expected in errors


def test_urls_use_the_public_url_when_set(app_mode):
    from django.test import override_settings

    from tests.saleor.app.conftest import app_settings

    with override_settings(ECOM_AI=app_settings(PUBLIC_URL="https://ai.example.com/")):
        manifest = served_manifest()
    assert manifest["appUrl"] == "https://ai.example.com/saleor/app/"
    assert all(w["targetUrl"].startswith("https://ai.example.com/saleor/webhooks/") for w in manifest["webhooks"])
    assert manifest["extensions"][0]["url"] == "https://ai.example.com/saleor/extensions/generate/"


def test_every_url_of_the_manifest_is_served(app_mode):
    manifest = served_manifest()
    client = Client()
    path = lambda url: url.removeprefix("http://testserver")  # noqa: E731
    page = client.get(path(manifest["extensions"][0]["url"]), {"productId": "UHJvZHVjdDoxNjU=", "saleorApiUrl": "http://x/graphql/"})
    assert page.status_code == 200 and b"Generate description" in page.content and "X-Frame-Options" not in page
    assert client.get(path(manifest["appUrl"])).status_code == 200
    for extension in manifest["extensions"]:
        url = manifest["appUrl"] + extension["url"].lstrip("/") if extension["url"].startswith("/") else extension["url"]  # APP_PAGE: below appUrl
        page = client.get(path(url), {"theme": "dark"})
        assert page.status_code == 200 and b'data-theme="dark"' in page.content and "X-Frame-Options" not in page
    for webhook in manifest["webhooks"]:
        assert client.post(path(webhook["targetUrl"]), b"{}", content_type="application/json").status_code == 401  # exists, unsigned
    assert client.post(path(manifest["tokenTargetUrl"]), b"{}", content_type="application/json").status_code == 400


def dashboard_frame_url(manifest: dict, extension: dict) -> str:
    """Where saleor-dashboard (3.23) points the extension's frame, before its own query.

    An absolute URL is loaded as it is; an ``APP_PAGE`` path is joined to
    ``appUrl`` (``resolveAppCompleteUrlFromDashboardUrl``, with url-join,
    which keeps one slash between the two and drops a trailing one).
    """
    url = extension["url"].partition("?")[0]
    joined = manifest["appUrl"].rstrip("/") + "/" + url.lstrip("/") if url.startswith("/") else url
    return joined.rstrip("/")


def test_every_page_loads_where_the_dashboard_frames_it(app_mode):
    """The frame's URL as the dashboard builds it names a page we serve (the app server's CommonMiddleware
    redirects the slash-less form to it, the query kept)."""
    manifest = served_manifest()
    client = Client()
    for extension in manifest["extensions"]:
        url = dashboard_frame_url(manifest, extension).removeprefix("http://testserver") + "/"
        response = client.get(url, {"id": "QXBwOjE=", "theme": "dark"})
        assert response.status_code == 200 and b'data-theme="dark"' in response.content, (extension["mount"], url)
    [app_page] = [e for e in manifest["extensions"] if e["target"] == "APP_PAGE"]
    assert dashboard_frame_url(manifest, app_page) == "http://testserver/saleor/app"  # not /saleor/app/saleor/app


@pytest.mark.skipif(not os.environ.get("ECOM_AI_SALEOR_SCHEMA"), reason="set ECOM_AI_SALEOR_SCHEMA to Saleor's GraphQL schema (SDL) to validate the queries field by field")
def test_every_query_is_valid_against_saleors_schema():
    from graphql import build_schema, validate

    from ecom_ai_plugin.hosts import saleor_app
    from ecom_ai_plugin.saleor.app.installations import APP_QUERY

    schema = build_schema(Path(os.environ["ECOM_AI_SALEOR_SCHEMA"]).read_text())
    queries = [webhook.query() for webhook in WEBHOOKS] + [APP_QUERY] + [
        getattr(saleor_app, name) for name in dir(saleor_app) if name.endswith(("_QUERY", "_UPDATE"))
    ]
    problems = {query[:60]: [str(e) for e in validate(schema, parse(query))] for query in queries}
    assert {q: p for q, p in problems.items() if p} == {}
