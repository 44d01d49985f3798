"""The Saleor Dashboard pages served in-process, through the plugin's webhook, as Saleor routes them.

Saleor routes ``/plugins/global/<PLUGIN_ID>/<path>`` to ``EcomAIPlugin.webhook``;
here each request goes there the same way (no Saleor: the sandbox shop stands in
for Saleor's catalogue, as in ``test_storefront_webhook.py``). The stand-in Saleor
on loopback plays the Saleor's own side: it confirms the app token on install and
publishes the keys the dashboard's tokens are signed with, which are made in the test.
"""
from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from cryptography.fernet import Fernet
from django.conf import settings
from django.contrib.auth import get_user_model
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.test import RequestFactory, override_settings

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import ContentDraft, DraftStatus, Job, Review, ReviewStatus, SaleorInstallation
from ecom_ai_plugin.saleor.app.dashboard.panels import APP_TABS
from ecom_ai_plugin.saleor.plugin import PLUGIN_ID, EcomAIPlugin
from tests.copy_results import INVENTED_ORIGIN
from tests.factories import make_product
from tests.saleor.app.conftest import saleor  # noqa: F401  (fixture)
from tests.saleor.app.dashboard_tokens import extension_token
from tests.saleor.app.fake_saleor import FakeSaleor, SigningKey, gid
from tests.saleor import saleor_templates
from tests.saleor.app.test_manifest import saleor_manifest_errors

pytestmark = pytest.mark.django_db

PREFIX = f"/plugins/global/{PLUGIN_ID}/"
SALEOR_TEMPLATES = {"TEMPLATES": saleor_templates.TEMPLATES, "FORM_RENDERER": saleor_templates.FORM_RENDERER}


@pytest.fixture
def in_process(saleor) -> Iterator[None]:
    """The shop's own host (not the app's GraphQL one), and the two app settings an install needs."""
    app = {"ALLOWED_API_URLS": [saleor.api_url], "ENCRYPTION_KEYS": [Fernet.generate_key().decode()]}
    with override_settings(ECOM_AI={**settings.ECOM_AI, "SALEOR_APP": app}):
        yield


def call(method: str, path: str, *, data=None, token: str | None = None, api_url: str = "", json_body=None, **extra):
    """One request as Saleor hands it to the plugin: ``path`` is what follows the plugin's prefix."""
    headers = dict(extra)
    if token is not None:
        headers.update(HTTP_AUTHORIZATION_BEARER=token, HTTP_SALEOR_API_URL=api_url)
    factory = RequestFactory()
    if json_body is not None:
        request = getattr(factory, method)(PREFIX + path, data=json.dumps(json_body), content_type="application/json", **headers)
    else:
        request = getattr(factory, method)(PREFIX + path, data=data, **headers)
    return EcomAIPlugin(configuration=[], active=True).webhook(request, path, previous_value=None)


@pytest.fixture
def installed(in_process, saleor) -> SaleorInstallation:
    """Saleor installed the app from the plugin's manifest: it POSTed the app token to ``tokenTargetUrl``."""
    response = call("post", "register/", json_body={"auth_token": saleor.token}, HTTP_SALEOR_API_URL=saleor.api_url, HTTP_SALEOR_DOMAIN="shop.example.com")
    assert response.status_code == 200, response.content
    return SaleorInstallation.objects.get(api_url=saleor.api_url)


@pytest.fixture
def staff():
    """A staff member of the shop itself (inside Saleor: ``account.User``)."""
    return get_user_model().objects.create(username="vera", email="vera@example.com", is_staff=True)


def token(saleor: FakeSaleor, user, **claims) -> str:
    """The dashboard's token for one of the shop's users."""
    return extension_token(saleor, user_pk=user.pk, email=user.email, **claims)


def test_the_manifest_names_the_pages_under_the_plugins_prefix(in_process):
    response = call("get", "manifest/")
    assert response.status_code == 200
    manifest = json.loads(response.content)
    assert saleor_manifest_errors(manifest) == []
    base = f"http://testserver{PREFIX}"
    assert manifest["appUrl"] == base + "app/" and manifest["tokenTargetUrl"] == base + "register/"
    urls = {extension["mount"]: extension["url"] for extension in manifest["extensions"]}
    assert urls == {
        "PRODUCT_DETAILS_MORE_ACTIONS": base + "extensions/generate/",
        "PRODUCT_DETAILS_WIDGETS": base + "extensions/product-widget/",
        "NAVIGATION_CATALOG": "/?tab=drafts",  # APP_PAGE: a path below appUrl (Saleor refuses a protocol there)
        "HOMEPAGE_WIDGETS": base + "extensions/today/",
    }
    assert manifest["webhooks"] == []  # Saleor calls the plugin's hooks for these events already
    for url in urls.values():  # every page it names is served there, also as the dashboard asks for it (no trailing slash)
        page = (base + "app/" if url.startswith("/") else url).removeprefix("http://testserver").removeprefix(PREFIX)
        assert call("get", page).status_code == 200, page
        assert call("get", page.rstrip("/"), data={"id": "QXBwOjE="}).status_code == 200, page
    assert call("get", "dashboard/nothing").status_code == 404


def test_the_app_servers_webhook_receiver_is_not_served_in_process(in_process):
    assert call("post", "webhooks/product-updated/", json_body={}).status_code == 404
    assert call("get", "drafts/").status_code == 404


def test_a_page_is_framed_by_the_dashboard_and_links_under_the_prefix(in_process):
    response = call("get", "extensions/generate/", data={"theme": "dark"})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'data-fragment="{PREFIX}dashboard/generate/fragment/"' in html and f'data-actions="{PREFIX}dashboard/actions/"' in html
    assert response.xframe_options_exempt is True
    # Saleor's middleware sees the plugin's response as any view's: the exemption holds.
    request = RequestFactory().get(PREFIX + "extensions/generate/")
    framed = XFrameOptionsMiddleware(lambda r: EcomAIPlugin(configuration=[], active=True).webhook(r, "extensions/generate/", None))(request)
    assert "X-Frame-Options" not in framed
    plain = XFrameOptionsMiddleware(lambda r: EcomAIPlugin(configuration=[], active=True).webhook(r, "health", None))(request)
    assert plain["X-Frame-Options"] == "DENY"  # only the pages are exempt


def test_install_then_generate_approve_publish_as_the_shops_own_user(installed, saleor, staff, fake_generation):
    assert installed.app_id == saleor.app_id  # the token was confirmed by that Saleor
    product = make_product("Trail Tent")
    product_gid = gid("Product", product.pk)
    act = lambda name, **data: call("post", f"dashboard/actions/{name}/", data=data, token=token(saleor, staff), api_url=saleor.api_url)  # noqa: E731
    fragment = lambda page, **query: call("get", f"dashboard/{page}/fragment/", data=query, token=token(saleor, staff), api_url=saleor.api_url)  # noqa: E731

    response = act("generate", product=product_gid, kind="long_description", tone="friendly", length="medium")
    assert response.status_code == 200, response.content
    job = Job.objects.get(pk=json.loads(response.content)["job"])
    assert job.target_id == str(product.pk)  # Saleor's own id: no installation prefix in-process
    assert job.requested_by == staff

    jobs.execute(str(job.pk))
    html = fragment("generate", productId=product_gid).content.decode()
    assert INVENTED_ORIGIN in html and "ecom-ai-claim" in html
    draft = ContentDraft.objects.get(product_key=str(product.pk))
    assert act("edit", draft=draft.pk, text="The Trail Tent weighs 1.4 kg.").status_code == 200
    assert act("approve", draft=draft.pk).status_code == 200
    assert act("publish", draft=draft.pk).status_code == 200
    draft.refresh_from_db()
    product.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.approved_by == staff and draft.published_by == staff
    assert product.description == "The Trail Tent weighs 1.4 kg."  # written to the shop's own row
    assert not get_user_model().objects.filter(username__startswith="saleor-").exists()  # no stand-in account

    # the app page lists the draft with the dashboard's link to the product
    html = fragment("app", tab="drafts", status="all").content.decode()
    assert f'data-redirect="/products/{product_gid}"' in html


def test_every_page_renders_under_saleors_template_settings(installed, saleor, staff, fake_generation):
    product = make_product("Trail Tent")
    product_gid = gid("Product", product.pk)
    staff_token = token(saleor, staff)
    response = call("post", "dashboard/actions/generate/", data={"product": product_gid, "kind": "long_description", "tone": "friendly", "length": "medium"},
                    token=staff_token, api_url=saleor.api_url)
    jobs.execute(json.loads(response.content)["job"])  # a draft with a marked claim, a finished job
    Review.objects.create(product_key=str(product.pk), customer_key="5", rating=2, text="Leaks at the seams.", status=ReviewStatus.PENDING)
    pages = [("extensions/generate/", {}), ("extensions/product-widget/", {}), ("extensions/today/", {}), ("app/", {"tab": "drafts"})]
    fragments = [("generate", {"productId": product_gid}), ("widget", {"productId": product_gid}), ("today", {})]
    fragments += [("app", {"tab": tab, "status": "all"}) for tab in APP_TABS]
    with override_settings(**SALEOR_TEMPLATES):
        for path, query in pages:
            response = call("get", path, data=query)
            assert response.status_code == 200 and "MISSING VARIABLE" not in response.content.decode(), path
        for page, query in fragments:
            response = call("get", f"dashboard/{page}/fragment/", data=query, token=staff_token, api_url=saleor.api_url)
            html = response.content.decode()
            assert response.status_code == 200, (page, query, html[:500])
            assert "MISSING VARIABLE" not in html, (page, query, html[html.find("MISSING VARIABLE") - 300 :][:600])
        assert 'name="kind"' in call("get", "dashboard/generate/fragment/", data={"productId": product_gid}, token=staff_token, api_url=saleor.api_url).content.decode()


def test_moderation_and_the_insights_csv_link(installed, saleor, staff):
    product = make_product("Trail Tent")
    review = Review.objects.create(product_key=str(product.pk), customer_key="5", rating=2, text="Leaks at the seams.", status=ReviewStatus.PENDING)
    response = call("post", "dashboard/actions/moderate/", data={"reviews": [review.pk], "operation": "approve"}, token=token(saleor, staff), api_url=saleor.api_url)
    assert response.status_code == 200, response.content
    review.refresh_from_db()
    assert review.status == ReviewStatus.APPROVED and review.moderated_by == staff
    html = call("get", "dashboard/app/fragment/", data={"tab": "insights"}, token=token(saleor, staff), api_url=saleor.api_url).content.decode()
    assert f'href="{PREFIX}dashboard/insights/' in html
    csv = call("get", "dashboard/insights/categories.csv", token=token(saleor, staff), api_url=saleor.api_url)
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")


def test_experiments_in_process_are_the_shops_own(installed, saleor, staff):
    from ecom_ai_plugin.models import Experiment, ExperimentStatus

    product = make_product("Trail Tent")
    draft = ContentDraft.objects.create(product_key=str(product.pk), kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    act = lambda action, **data: call("post", f"dashboard/actions/{action}/", data=data, token=token(saleor, staff), api_url=saleor.api_url)  # noqa: E731
    response = act("start-experiment", kind="copy", name="Trail Tent: weight first", draft=draft.pk)
    assert response.status_code == 200, response.content
    experiment = Experiment.objects.get()
    assert (experiment.scope, experiment.product_key, experiment.created_by) == ("", str(product.pk), staff)  # the empty scope, the shop's user
    html = call("get", "dashboard/app/fragment/", data={"tab": "experiments"}, token=token(saleor, staff), api_url=saleor.api_url).content.decode()
    assert "Trail Tent: weight first" in html and f'data-redirect="/products/{gid("Product", product.pk)}"' in html
    assert act("stop-experiment", experiment=experiment.pk).status_code == 200
    product.refresh_from_db()
    assert Experiment.objects.get().status == ExperimentStatus.STOPPED and product.description != draft.text  # too early to tell: A stays


@pytest.mark.parametrize(
    ("claims", "status"),
    [
        ({"app": gid("App", 99)}, 401),  # another app's token
        ({"expires_in": -120}, 401),  # expired (beyond the leeway)
        ({"key": "stranger"}, 401),  # signed with a key that Saleor did not publish
        ({"permissions": ("MANAGE_ORDERS",)}, 403),  # no MANAGE_PRODUCTS
        ({"is_staff": False}, 403),
    ],
)
def test_refused_tokens_change_nothing(installed, saleor, staff, claims, status):
    product = make_product("Trail Tent")
    draft = ContentDraft.objects.create(product_key=str(product.pk), kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    if claims.get("key") == "stranger":
        claims = {**claims, "key": SigningKey()}
    bad = token(saleor, staff, **claims)
    for name, data in (("approve", {"draft": draft.pk}), ("generate", {"product": gid("Product", product.pk), "kind": "long_description", "tone": "neutral", "length": "medium"})):
        response = call("post", f"dashboard/actions/{name}/", data=data, token=bad, api_url=saleor.api_url)
        assert response.status_code == status, response.content
    assert call("get", "dashboard/generate/fragment/", token=bad, api_url=saleor.api_url).status_code == status
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT and draft.approved_by is None and not Job.objects.filter(kind="generate_copy").exists()


def test_no_token_and_a_user_the_shop_does_not_have_are_refused(installed, saleor, staff):
    product = make_product("Trail Tent")
    draft = ContentDraft.objects.create(product_key=str(product.pk), kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    assert call("post", "dashboard/actions/approve/", data={"draft": draft.pk}).status_code == 401
    stranger = extension_token(saleor, user_pk=staff.pk + 1000, email=staff.email)
    assert call("post", "dashboard/actions/approve/", data={"draft": draft.pk}, token=stranger, api_url=saleor.api_url).status_code == 403
    staff.is_active = False
    staff.save()
    assert call("post", "dashboard/actions/approve/", data={"draft": draft.pk}, token=token(saleor, staff), api_url=saleor.api_url).status_code == 403
    draft.refresh_from_db()
    assert draft.status == DraftStatus.DRAFT


def test_a_saleor_not_allowed_cannot_install(in_process):
    response = call("post", "register/", json_body={"auth_token": "x" * 30}, HTTP_SALEOR_API_URL="http://127.0.0.1:1/graphql/")
    assert response.status_code == 403 and not SaleorInstallation.objects.exists()
