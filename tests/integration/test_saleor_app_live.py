"""App mode against a real Saleor: install, signed webhooks in, jobs out, copy written back.

Skipped unless a real Saleor is configured (see ``saleor_live.py``; it must
allow webhooks to loopback and run its Celery worker)::

    export ECOM_AI_SALEOR_API_URL=http://127.0.0.1:8000/graphql/
    export ECOM_AI_SALEOR_STAFF_EMAIL=admin@example.com ECOM_AI_SALEOR_STAFF_PASSWORD=admin
    export ECOM_AI_SALEOR_APP_PORT=8101
    pytest tests/integration/test_saleor_app_live.py

The module starts the app server (``python -m ecom_ai_plugin.saleor.app serve``,
web server and workers) on this run's test database and Redis, so the jobs
it records are read here; Saleor installs it with ``appInstall`` from its
manifest URL. The tests then run in order against that one installation:
products, orders and customers made through Saleor's mutations arrive as
signed webhooks and become jobs; a generated description and SEO title are
published through the app's dashboard actions (Saleor's ``productUpdate``)
without the write coming back as a job, while another app subscribed to
``PRODUCT_UPDATED`` does hear of it; a customer's ``tokenCreate`` token
signs the shopper in to the storefront endpoints; a deleted product is
forgotten. At the end both apps are deleted from Saleor and the server is
stopped.
"""
from __future__ import annotations

import json
import time
import uuid
from typing import Any

import pytest
from django.conf import settings
from django.test import override_settings

from tests.integration import saleor_live
from tests.integration.saleor_live import StaffSaleor, wait_for
from tests.integration.test_saleor_app_dashboard import APP_EXTENSIONS
from tests.saleor.app.conftest import app_settings

pytestmark = [
    pytest.mark.skipif(not saleor_live.configured(), reason="set " + ", ".join(saleor_live.ENV) + " to run the app against a real Saleor"),
    # the app server writes to this run's test database: each test reads what it committed
    pytest.mark.django_db,
]

JOB_TIMEOUT = 180  # a worker's first job loads its model


class Live:
    """The installed app and what the tests made in Saleor, shared by the tests in order."""

    def __init__(self, saleor: StaffSaleor, server: saleor_live.AppServer, catalog: saleor_live.Catalog) -> None:
        self.saleor, self.server, self.catalog = saleor, server, catalog
        self.app_id = ""
        self.install_seconds = 0.0
        self.product: dict[str, str] = {}
        self.subscriber: saleor_live.Subscriber | None = None

    @property
    def installation(self) -> Any:
        from ecom_ai_plugin.models import SaleorInstallation

        return SaleorInstallation.objects.get(api_url=self.saleor.api_url)

    def key(self, global_id: str, type_name: str) -> str:
        from ecom_ai_plugin.hosts.saleor_app import make_key

        return make_key(self.installation.key_prefix, global_id, type_name)

    def extension_token(self, mount: str) -> str:
        app = self.saleor.execute(APP_EXTENSIONS, {"id": self.app_id})["app"]
        return next(e["accessToken"] for e in app["extensions"] if e["mountName"] == mount)

    def action(self, name: str, data: dict[str, Any], mount: str = "PRODUCT_DETAILS_MORE_ACTIONS") -> tuple[int, dict[str, Any]]:
        """A dashboard action as the extension's page posts it: Saleor's token, Saleor's URL."""
        from ecom_ai_plugin.saleor.app.http import HTTPError, request_json

        headers = {"Authorization-Bearer": self.extension_token(mount), "Saleor-Api-Url": self.saleor.api_url}
        try:
            return 200, request_json(f"{self.server.url}/saleor/dashboard/actions/{name}/", body=data, headers=headers)
        except HTTPError as exc:
            return exc.status or 0, {"error": str(exc)}


def wait_for_job(kind: str, target: str, timeout: float = JOB_TIMEOUT, statuses: tuple[str, ...] = ("succeeded",)) -> Any:
    from ecom_ai_plugin.models import Job

    def finished() -> Any:
        job = Job.objects.filter(kind=kind, target_id=target).order_by("-created_at").first()
        if job is not None and job.status == "failed":
            raise AssertionError(f"{kind} for {target} failed: {job.last_error}")
        return job if job is not None and job.status in statuses else None

    return wait_for(f"a {kind} job for {target}", finished, timeout=timeout, interval=0.2)


@pytest.fixture(scope="module")
def live(django_db_setup, django_db_blocker, tmp_path_factory):
    """The app server on this run's test database, installed into the real Saleor."""
    from django.db import connection

    saleor = StaffSaleor.from_env()
    with django_db_blocker.unblock():
        catalog = saleor_live.ensure_catalog(saleor)
        saleor_live.delete_apps(saleor, saleor_live.APP_NAME)  # what an interrupted run left
        server = saleor_live.AppServer(
            saleor_live.app_port(), connection.settings_dict, settings.REDIS_URL, saleor.api_url, tmp_path_factory.mktemp("app-server")
        ).start()
        state = Live(saleor, server, catalog)
        subscriber_name = f"{saleor_live.APP_NAME} subscriber"
        try:
            # this process reads the server's installation as the server does
            with override_settings(ECOM_AI=app_settings(ALLOWED_API_URLS=[saleor.api_url], ENCRYPTION_KEYS=[server.encryption_key])):
                yield state
        finally:
            saleor_live.delete_apps(saleor, saleor_live.APP_NAME)
            saleor_live.delete_apps(saleor, subscriber_name)
            if state.subscriber:
                state.subscriber.stop()
            server.stop()
            from django.core.management import call_command

            call_command("flush", interactive=False, verbosity=0)


def test_saleor_installs_the_app_from_its_manifest(live):
    from ecom_ai_plugin.saleor.app.installations import app_token, own_app_id

    live.app_id, live.install_seconds = saleor_live.install_app(live.saleor, live.server.manifest_url)
    print(f"installed in {live.install_seconds:.2f} s as {live.app_id}")
    installation = live.installation
    assert installation.is_active
    # the token Saleor POSTed to tokenTargetUrl works, and names this very app
    assert own_app_id(installation.api_url, app_token(installation)) == live.app_id
    assert installation.app_id in ("", live.app_id)


def test_a_created_product_arrives_signed_and_is_embedded(live):
    from ecom_ai_plugin.models import Job, ProductEmbedding, SaleorWebhookDelivery

    live.product = saleor_live.create_product(
        live.saleor, live.catalog, f"Trail runner {uuid.uuid4().hex[:6]}",
        "A light trail running shoe with a grippy rubber sole and a breathable mesh upper.",
    )
    key = live.key(live.product["id"], "Product")
    job = wait_for_job("embed_product", key)
    assert ProductEmbedding.objects.filter(product_key=key).exists(), job.result
    # Saleor's PRODUCT_CREATED was verified and recorded an embed_product job of this product
    (created,) = SaleorWebhookDelivery.objects.filter(installation=live.installation, event="PRODUCT_CREATED")
    (recorded,) = created.outcome["jobs"]
    assert Job.objects.get(pk=recorded.partition(":")[2]).target_id == key


def test_a_completed_draft_order_is_recorded_as_a_purchase(live):
    from ecom_ai_plugin.models import Interaction

    customer = live.saleor.mutate(
        "mutation ($email: String!) { customerCreate(input: {email: $email, firstName: \"Ada\", lastName: \"Live\"}) { user { id } errors { field message code } } }",
        {"email": f"buyer-{uuid.uuid4().hex[:8]}@example.com"},
    )["user"]
    order = live.saleor.mutate(
        "mutation ($input: DraftOrderCreateInput!) { draftOrderCreate(input: $input) { order { id } errors { field message code } } }",
        {"input": {"channelId": live.catalog.channel, "user": customer["id"], "lines": [{"variantId": live.product["variant"], "quantity": 2}],
                   "billingAddress": ADDRESS}},
    )["order"]
    live.saleor.mutate("mutation ($id: ID!) { draftOrderComplete(id: $id) { order { id status } errors { field message code } } }", {"id": order["id"]})
    order_key = live.key(order["id"], "Order")
    wait_for_job("ingest_order", order_key)
    product_key = live.key(live.product["id"], "Product")
    bought = wait_for("the purchase recorded", lambda: list(Interaction.objects.filter(product_key=product_key, source_key=order_key)))
    assert {i.customer_key for i in bought} == {live.key(customer["id"], "User")}


def test_a_created_customer_becomes_a_link_customer_job(live):
    customer = live.saleor.mutate(
        "mutation ($email: String!) { customerCreate(input: {email: $email}) { user { id } errors { field message code } } }",
        {"email": f"customer-{uuid.uuid4().hex[:8]}@example.com"},
    )["user"]
    wait_for_job("link_customer", live.key(customer["id"], "User"))


def _generate_and_publish(live, kind: str) -> Any:
    """Generate a draft of ``kind`` from the dashboard's popup, then publish it (overriding the check's marks, with a reason)."""
    from ecom_ai_plugin.models import ContentDraft

    key = live.key(live.product["id"], "Product")
    status, answer = live.action("generate", {"product": live.product["id"], "kind": kind, "tone": "neutral", "length": "short"})
    assert status == 200, answer
    wait_for_job("generate_copy", key, timeout=600)
    draft = wait_for("the draft", lambda: ContentDraft.objects.filter(product_key=key, kind=kind, status="draft").order_by("-created_at").first())
    status, answer = live.action("publish", {"draft": str(draft.pk), "override": "1", "reason": "checked against the live Saleor"})
    assert status == 200, answer
    draft.refresh_from_db()
    assert draft.status == "published", draft.status
    return draft


def test_published_copy_reaches_saleor_and_its_echo_records_nothing(live):
    from ecom_ai_plugin.models import Job, SaleorWebhookDelivery

    live.subscriber = saleor_live.Subscriber()
    saleor_live.subscribe_product_updates(live.saleor, live.subscriber, f"{saleor_live.APP_NAME} subscriber")
    key = live.key(live.product["id"], "Product")
    # let the product's own creation deliveries settle, so what follows is the publishing alone
    time.sleep(3)
    description = _generate_and_publish(live, "long_description")
    title = _generate_and_publish(live, "seo_title")
    after_publish = set(Job.objects.filter(target_id=key).values_list("pk", flat=True))
    published_at = title.published_at

    product = live.saleor.execute("query ($id: ID!) { product(id: $id) { description seoTitle } }", {"id": live.product["id"]})["product"]
    blocks = json.loads(product["description"])["blocks"]
    assert description.text.split("\n")[0].strip()[:40] in " ".join(b["data"].get("text", "") for b in blocks)
    assert product["seoTitle"] == title.text

    # the other app hears of both writes
    def heard() -> bool:
        bodies = [m["body"].get("product") or {} for m in live.subscriber.received]
        return any(b.get("id") == live.product["id"] and b.get("seoTitle") == title.text for b in bodies)

    wait_for("the other app's PRODUCT_UPDATED", heard, timeout=120)
    # ...and so does the app: its own write comes back, verified, and records nothing
    echoes = wait_for(
        "the app's own PRODUCT_UPDATED",
        lambda: list(SaleorWebhookDelivery.objects.filter(installation=live.installation, event="PRODUCT_UPDATED", received_at__gte=published_at)),
        timeout=120,
    )
    time.sleep(3)
    echoes = SaleorWebhookDelivery.objects.filter(installation=live.installation, event="PRODUCT_UPDATED", received_at__gte=published_at)
    assert echoes and all(e.outcome["ignored"] == "the app's own write" and not e.outcome["jobs"] for e in echoes), [e.outcome for e in echoes]
    assert set(Job.objects.filter(target_id=key).values_list("pk", flat=True)) == after_publish


def test_a_customer_token_signs_in_to_the_storefront(live):
    from ecom_ai_plugin.saleor.app.http import HTTPError, request_json

    from ecom_ai_plugin.models import Interaction

    email, password = f"shopper-{uuid.uuid4().hex[:8]}@example.com", uuid.uuid4().hex
    live.saleor.mutate(
        "mutation ($email: String!, $password: String!, $channel: String!) { accountRegister(input: {email: $email, password: $password, "
        "channel: $channel}) { user { id } errors { field message code } } }",
        {"email": email, "password": password, "channel": saleor_live.SLUG},
    )
    shopper = live.saleor.execute("query ($email: String!) { user(email: $email) { id } }", {"email": email})["user"]  # accountRegister does not say
    token = live.saleor.token_for(email, password)
    bearer = {"Authorization": f"Bearer {token}"}
    base = f"{live.server.url}/storefront"
    product_key = live.key(live.product["id"], "Product")

    for_you = request_json(f"{base}/recommendations/for_you/", headers=bearer)
    assert for_you["widget"] == "for_you" and isinstance(for_you["results"], list), for_you
    # the token says who the shopper is: their view is theirs
    viewed = request_json(f"{base}/recommendations/events/", body={"type": "view", "product": product_key}, headers=bearer)
    assert viewed["recorded"] == 1, viewed
    assert Interaction.objects.filter(customer_key=live.key(shopper["id"], "User"), product_key=product_key, type="view").exists()
    posted = request_json(f"{base}/products/{product_key}/reviews/", body={"rating": 5, "title": "Grippy", "text": "Held on wet rock all day."}, headers=bearer)
    assert posted["rating"] == 5, posted
    mine = request_json(f"{base}/products/{product_key}/reviews/mine/", headers=bearer)
    assert mine["text"] == "Held on wet rock all day."
    listed = request_json(f"{base}/products/{product_key}/reviews/")
    assert "results" in listed
    with pytest.raises(HTTPError) as refused:
        request_json(f"{base}/recommendations/for_you/", headers={"Authorization": f"Bearer {token[:-4]}AAAA"})
    assert refused.value.status == 401


def test_the_extensions_are_installed_where_the_manifest_says(live):
    from ecom_ai_plugin.saleor.app.manifest import EXTENSIONS

    app = live.saleor.execute("query ($id: ID!) { app(id: $id) { extensions { mountName targetName url } } }", {"id": live.app_id})["app"]
    installed = {(e["mountName"], e["targetName"]): e["url"] for e in app["extensions"]}
    assert {(e.mount, e.target) for e in EXTENSIONS} == set(installed)
    for url in installed.values():
        assert url.startswith(live.server.url) or url.startswith("/saleor/"), url


def test_a_deleted_product_is_forgotten(live):
    from ecom_ai_plugin.models import ProductEmbedding

    key = live.key(live.product["id"], "Product")
    assert ProductEmbedding.objects.filter(product_key=key).exists()
    live.saleor.mutate("mutation ($id: ID!) { productDelete(id: $id) { errors { field message code } } }", {"id": live.product["id"]})
    wait_for_job("forget_product", key)
    assert not ProductEmbedding.objects.filter(product_key=key).exists()


ADDRESS = {"firstName": "Ada", "lastName": "Live", "streetAddress1": "1 Main St", "city": "New York", "postalCode": "10001", "country": "US", "countryArea": "NY"}
