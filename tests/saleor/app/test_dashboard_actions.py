"""Staff work from the dashboard pages through the same services as the Django admin, one Saleor's data at a time."""
from __future__ import annotations

import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from ecom_ai_plugin import jobs
from ecom_ai_plugin.models import CategorySuggestion, ContentDraft, DraftStatus, Job, JobStatus, Review, ReviewStatus, SaleorInstallation, SuggestionStatus
from ecom_ai_plugin.saleor.app.installations import encrypt_token
from tests.copy_results import INVENTED_ORIGIN
from tests.saleor.app.dashboard_tokens import headers
from tests.saleor.app.fake_saleor import gid, product_node

pytestmark = pytest.mark.django_db


def tent(pk: int, name: str = "Trail Tent") -> dict:
    node = product_node(pk, name)
    node["attributes"] = [{"attribute": {"name": "Weight", "inputType": "DROPDOWN"}, "values": [{"name": "1.4 kg", "plainText": None, "richText": None, "boolean": None}]}]
    return node


@pytest.fixture
def shop(installed, saleor):
    saleor.products[7] = tent(7)
    saleor.products[8] = tent(8, "Summit Tent")
    return installed


def act(saleor, name: str, data: dict, **claims):
    return Client().post(f"/saleor/dashboard/actions/{name}/", data, **headers(saleor, **claims))


def page(saleor, name: str, **query):
    return Client().get(f"/saleor/dashboard/{name}/fragment/", query, **headers(saleor))


def test_generate_follow_edit_approve_publish_and_revert(shop, saleor, fake_generation):
    product = gid("Product", 7)
    original = saleor.products[7]["description"]
    response = act(saleor, "generate", {"product": product, "kind": "long_description", "tone": "friendly", "length": "medium", "keywords": "light"})
    assert response.status_code == 200, response.content
    job = Job.objects.get(pk=response.json()["job"])
    assert (job.kind, job.target_id, job.params["request"]["tone"]) == ("generate_copy", f"{shop.key_prefix}7", "friendly")
    assert job.requested_by.username == f"saleor-{shop.pk}-{gid('User', 21)}" and not job.requested_by.has_usable_password()
    html = page(saleor, "generate", productId=product).content.decode()
    assert 'id="ecom-ai-job-status">Pending' in html and "data-poll" in html

    jobs.execute(str(job.pk))  # what the GPU worker does
    html = page(saleor, "generate", productId=product).content.decode()
    assert "data-poll" not in html and f'<mark class="ecom-ai-claim" data-kind="origin"' in html and INVENTED_ORIGIN in html
    assert 'id="ecom-ai-publish"' not in html  # marked: no publishing
    draft = ContentDraft.objects.get()

    response = act(saleor, "edit", {"draft": draft.pk, "text": "The Trail Tent weighs 1.4 kg. It is loved around the world."})
    assert response.status_code == 200 and "to fix" in response.json()["message"]  # the edit is judged too
    assert act(saleor, "publish", {"draft": draft.pk}).status_code == 409
    assert act(saleor, "edit", {"draft": draft.pk, "text": "The Trail Tent weighs 1.4 kg."}).json()["message"] == "Saved; the check passes."
    html = page(saleor, "generate", productId=product).content.decode()
    assert 'id="ecom-ai-approve"' in html and 'id="ecom-ai-publish"' in html and "ecom-ai-claim" not in html
    assert 'data-insert="{&quot;time&quot;' in html  # EditorJS for the dashboard's form

    approved = act(saleor, "approve", {"draft": draft.pk})
    assert approved.status_code == 200 and "saleor_written" not in approved.json()
    published = act(saleor, "publish", {"draft": draft.pk})
    assert published.status_code == 200 and published.json()["saleor_written"] is True  # the page asks the dashboard to read the product again
    [update] = [r for r in saleor.requests if "EcomAIProductUpdate" in r["query"]]
    assert [b["data"]["text"] for b in json.loads(update["variables"]["input"]["description"])["blocks"]] == ["The Trail Tent weighs 1.4 kg."]
    draft.refresh_from_db()
    assert draft.status == DraftStatus.PUBLISHED and draft.published_by.username.startswith(f"saleor-{shop.pk}-")

    reverted = act(saleor, "revert", {"draft": draft.pk})
    assert reverted.status_code == 200 and reverted.json()["saleor_written"] is True
    assert saleor.products[7]["description"] == original
    assert ContentDraft.objects.get().status == DraftStatus.REVERTED
    response = act(saleor, "regenerate", {"draft": draft.pk})
    assert response.status_code == 200 and Job.objects.get(pk=response.json()["job"]).params["request"]["tone"] == "friendly"


def test_the_popup_leaves_its_heading_to_the_dashboards_dialog(shop, saleor):
    assert 'data-target="POPUP"' in Client().get("/saleor/extensions/generate/").content.decode()  # the manifest's target
    assert 'data-target="WIDGET"' in Client().get("/saleor/extensions/today/").content.decode()
    product = gid("Product", 7)
    alone = page(saleor, "generate", productId=product).content.decode()
    assert "<h1>Generate description" in alone and '<span id="ecom-ai-product">Trail Tent</span>' in alone
    framed = page(saleor, "generate", productId=product, framedAs="POPUP").content.decode()
    assert "<h1" not in framed and "Generate description" not in framed  # the dialog's title says it
    assert '<strong id="ecom-ai-product">Trail Tent</strong>' in framed and 'id="ecom-ai-generate"' in framed
    assert "<h1" not in page(saleor, "generate", framedAs="POPUP").content.decode()  # no product: the notice alone
    assert "<h1>Generate description" in page(saleor, "generate", productId=product, framedAs="WIDGET").content.decode()  # not how it is framed


def test_bad_options_and_unknown_products_change_nothing(shop, saleor):
    response = act(saleor, "generate", {"product": gid("Product", 7), "kind": "poem", "tone": "neutral", "length": "medium"})
    assert response.status_code == 400 and "kind" in response.json()["error"]
    assert act(saleor, "generate", {"product": gid("Order", 7), "kind": "long_description", "tone": "neutral", "length": "medium"}).status_code == 404
    assert act(saleor, "generate", {"product": gid("Product", 99), "kind": "long_description", "tone": "neutral", "length": "medium"}).status_code == 409
    assert act(saleor, "approve", {"draft": "not-a-number"}).status_code == 404
    assert act(saleor, "no-such-action", {}).status_code == 404
    assert not Job.objects.filter(kind__startswith="generate").exists()


def test_another_saleors_drafts_reviews_and_jobs_are_not_there(shop, saleor):
    other = SaleorInstallation.objects.create(api_url="http://127.0.0.1:9/graphql/", token_encrypted=encrypt_token("t"), app_id="QXBwOjU=")
    theirs = ContentDraft.objects.create(product_key=f"{other.key_prefix}7", kind="long_description", text="Theirs.")
    ours = ContentDraft.objects.create(product_key=f"{shop.key_prefix}7", kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    Review.objects.create(product_key=f"{other.key_prefix}7", customer_key=f"{other.key_prefix}1", rating=1, text="Their review.")
    their_job = jobs.enqueue("embed_product", target_type="product", target_id=f"{other.key_prefix}7")
    html = page(saleor, "app", tab="drafts", status="all").content.decode()
    assert "Theirs." not in html and "The Trail Tent weighs 1.4 kg." in html
    assert "Their review." not in page(saleor, "app", tab="reviews", status="pending").content.decode()
    assert their_job.target_id not in page(saleor, "app", tab="jobs").content.decode()
    for name, data in (("publish", {"draft": theirs.pk}), ("reject", {"draft": theirs.pk}), ("cancel-job", {"job": their_job.pk})):
        assert act(saleor, name, data).status_code == 404
    response = act(saleor, "bulk-drafts", {"operation": "approve", "drafts": [theirs.pk, ours.pk]})
    assert response.json()["done"] == 1
    assert ContentDraft.objects.get(pk=theirs.pk).status == DraftStatus.DRAFT
    assert ContentDraft.objects.get(pk=ours.pk).status == DraftStatus.APPROVED


def test_bulk_generation_for_ids_and_a_category_is_one_job(shop, saleor):
    response = act(saleor, "bulk-generate", {"products": gid("Product", 7), "category": "juices", "kind": "long_description", "tone": "neutral", "length": "short"})
    assert response.status_code == 200 and response.json()["products"] == 2  # 7 named, 8 by its category
    job = Job.objects.get(kind="generate_copy_batch")
    assert True and sorted(job.params["keys"]) == [f"{shop.key_prefix}7", f"{shop.key_prefix}8"]
    assert act(saleor, "bulk-generate", {"products": "not-an-id", "kind": "long_description", "tone": "neutral", "length": "short"}).status_code == 400


def test_jobs_are_retried_and_cancelled_with_the_permission_of_their_work(shop, saleor):
    pending = jobs.enqueue("embed_product", target_type="product", target_id=f"{shop.key_prefix}7")
    failed = jobs.enqueue("ingest_order", target_type="order", target_id=f"{shop.key_prefix}abc")
    Job.objects.filter(pk=failed.pk).update(status=JobStatus.FAILED, last_error="Saleor did not answer.")
    html = page(saleor, "app", tab="jobs").content.decode()
    assert "Saleor did not answer." in html and "Retry" in html and "Cancel" in html
    assert act(saleor, "retry-job", {"job": failed.pk}, permissions=("MANAGE_PRODUCTS",)).status_code == 403  # order work needs MANAGE_ORDERS
    assert act(saleor, "retry-job", {"job": failed.pk}).status_code == 200
    assert Job.objects.filter(kind="ingest_order", status=JobStatus.PENDING).exists()
    assert act(saleor, "cancel-job", {"job": pending.pk}).status_code == 200
    assert Job.objects.get(pk=pending.pk).status == JobStatus.CANCELLED
    assert act(saleor, "cancel-job", {"job": pending.pk}).status_code == 409


def test_reviews_are_moderated_from_the_app_page_and_the_widget(shop, saleor):
    key = f"{shop.key_prefix}7"
    spam = Review.objects.create(product_key=key, customer_key=f"{shop.key_prefix}1", rating=5, text="Buy followers at example.com")
    good = Review.objects.create(product_key=key, customer_key=f"{shop.key_prefix}2", rating=4, title="Light", text="Light and dry.")
    widget = page(saleor, "widget", productId=gid("Product", 7)).content.decode()
    assert "Waiting for moderation (2)" in widget and "Light and dry." in widget
    assert act(saleor, "moderate", {"operation": "spam", "reviews": [spam.pk]}).json()["changed"] == 1
    assert act(saleor, "moderate", {"operation": "approve", "reviews": [good.pk]}).json()["changed"] == 1
    assert Review.objects.get(pk=spam.pk).status == ReviewStatus.SPAM
    reviewed = Review.objects.get(pk=good.pk)
    assert reviewed.status == ReviewStatus.APPROVED and reviewed.moderated_by.username.startswith(f"saleor-{shop.pk}-")
    assert act(saleor, "moderate", {"operation": "delete", "reviews": [good.pk]}).status_code == 400


def test_the_home_widget_counts_todays_work(shop, saleor):
    ContentDraft.objects.create(product_key=f"{shop.key_prefix}7", kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    Review.objects.create(product_key=f"{shop.key_prefix}7", customer_key=f"{shop.key_prefix}1", rating=4, text="Fine.")
    html = page(saleor, "today").content.decode()
    assert '<div class="figure">1</div><div class="muted">draft waiting for approval' in html
    assert "review to moderate (1 new today)" in html


def figures(html: str) -> list[str]:
    """The home widget's figures with what they count: "1 draft waiting for approval"."""
    return [f"{figure} {said.strip()}" for figure, said in re.findall(r'<div class="figure">([^<]*)</div><div class="muted">(.*?)</div></div>', html)]


def test_the_home_widget_agrees_with_each_count(shop, saleor):
    from ecom_ai_plugin.models import Question, QuestionStatus, RecommendationStat, ReviewAlert

    none = figures(page(saleor, "today").content.decode())
    assert none[:6] == [
        "0 drafts waiting for approval", "0 descriptions published today", "0 reviews to moderate (0 new today)",
        "0 customer questions waiting for staff", "0 open review alerts", "0 jobs queued or running",
    ] and none[6].endswith("(0 clicks of 0 items shown)")
    key, now, today = f"{shop.key_prefix}7", timezone.now(), timezone.localdate()
    for count in (1, 2):
        ContentDraft.objects.create(product_key=key, kind="long_description", version=count, text="The Trail Tent weighs 1.4 kg.")
        ContentDraft.objects.create(product_key=key, kind="seo_title", version=count, text="Trail Tent", status=DraftStatus.PUBLISHED, published_at=now)
        Review.objects.create(product_key=key, customer_key=f"{shop.key_prefix}{count}", rating=4, text="Fine.")
        Question.objects.create(product_key=key, text="Does it fit two?", scrubbed_text="Does it fit two?", status=QuestionStatus.ESCALATED)
        ReviewAlert.objects.create(product_key=key, aspect=f"zip {count}", negative_mentions=3, recent_mentions=3, baseline_share=0.0, window_start=now, message="Zip.")
        jobs.enqueue("embed_product", target_type="product", target_id=f"{key}{count}")
        RecommendationStat.objects.update_or_create(scope=shop.key_prefix, day=today, widget="similar", strategy="content", defaults={"impressions": count, "clicks": count})
        said = figures(page(saleor, "today").content.decode())
        if count == 1:
            assert said[:6] == [
                "1 draft waiting for approval", "1 description published today", "1 review to moderate (1 new today)",
                "1 customer question waiting for staff", "1 open review alert", "1 job queued or running",
            ] and said[6].endswith("(1 click of 1 item shown)")
        else:
            assert said[:6] == [
                "2 drafts waiting for approval", "2 descriptions published today", "2 reviews to moderate (2 new today)",
                "2 customer questions waiting for staff", "2 open review alerts", "2 jobs queued or running",
            ] and said[6].endswith("(2 clicks of 2 items shown)")


def test_counts_in_the_app_page_and_the_messages_agree_with_their_nouns(shop, saleor):
    key = f"{shop.key_prefix}7"
    marked = ContentDraft.objects.create(product_key=key, kind="long_description", text="It is loved around the world.", unsupported_claims=[{"text": "loved around the world"}])
    assert ">1 mark</span>" in page(saleor, "app", tab="drafts").content.decode()
    ContentDraft.objects.filter(pk=marked.pk).update(unsupported_claims=[{"text": "loved"}, {"text": "around the world"}])
    assert ">2 marks</span>" in page(saleor, "app", tab="drafts").content.decode()
    ours = ContentDraft.objects.create(product_key=key, kind="long_description", version=2, text="The Trail Tent weighs 1.4 kg.")
    assert act(saleor, "bulk-drafts", {"operation": "approve", "drafts": [ours.pk]}).json()["message"] == "1 draft approved."
    assert act(saleor, "edit", {"draft": marked.pk, "text": "It is loved around the world."}).json()["message"] == (
        "Saved; the check marks 2 things to fix before it can be published."
    )
    assert act(saleor, "edit", {"draft": marked.pk, "text": "The Trail Tent weighs 1.4 kg and is waterproof."}).json()["message"] == (
        "Saved; the check marks 1 thing to fix before it can be published."
    )
    review = Review.objects.create(product_key=key, customer_key=f"{shop.key_prefix}1", rating=4, text="Fine.")
    assert act(saleor, "moderate", {"operation": "approve", "reviews": [review.pk]}).json()["message"] == "1 review approved."
    one = act(saleor, "bulk-generate", {"products": gid("Product", 7), "kind": "long_description", "tone": "neutral", "length": "short"})
    assert one.json()["message"] == "Generating copy for 1 product as one job."
    two = act(saleor, "bulk-generate", {"products": f"{gid('Product', 7)}, {gid('Product', 8)}", "kind": "long_description", "tone": "neutral", "length": "short"})
    assert two.json()["message"] == "Generating copy for 2 products as one job."
    jobs.enqueue("generate_copy_batch", target_type="batch", params={"keys": [key]})  # a batch of one (a category of one product)
    jobs_tab = page(saleor, "app", tab="jobs").content.decode()
    assert '<div class="hint">1 product</div>' in jobs_tab and '<div class="hint">2 products</div>' in jobs_tab
    Job.objects.filter(kind="generate_copy_batch").update(progress_done=0, progress_total=1)
    job = Job.objects.filter(kind="generate_copy").first() or jobs.enqueue("generate_copy", target_type="product", target_id=key)
    Job.objects.filter(pk=job.pk).update(progress_done=0, progress_total=1, status=JobStatus.RUNNING)
    assert "0 of 1 candidate text written" in page(saleor, "generate", productId=gid("Product", 7)).content.decode()


def test_training_and_activating_models(shop, saleor):
    response = act(saleor, "train", {"kind": "sentiment"})
    assert response.status_code == 200 and Job.objects.get(pk=response.json()["job"]).kind == "train_sentiment"
    assert act(saleor, "train", {"kind": "everything"}).status_code == 400
    from ecom_ai_plugin.models import ModelVersion

    version = ModelVersion.objects.create(kind="sentiment", version=1, status="training")
    assert act(saleor, "activate", {"version": version.pk}).status_code == 409  # not ready
    ModelVersion.objects.filter(pk=version.pk).update(status="ready")
    assert act(saleor, "activate", {"version": version.pk}).status_code == 200
    assert ModelVersion.objects.get(pk=version.pk).is_active
    assert "Train recommender" in page(saleor, "app", tab="models").content.decode()


def test_the_insights_tab_shows_this_saleors_stock_risk_only(shop, saleor):
    from ecom_ai_plugin.models import ProductInsight

    common = {"category": "Tents", "stock": 2, "weekly_demand": 7.0, "days_of_stock": 2.0}
    ProductInsight.objects.create(product_key=f"{shop.key_prefix}7", name="Trail Tent", **common)
    ProductInsight.objects.create(product_key=f"{shop.pk + 1000}:7", name="Their Tent", **common)  # another Saleor's
    html = page(saleor, "app", tab="insights").content.decode()
    assert "Trail Tent" in html and "runs out in ~2 days" in html and "Their Tent" not in html
    response = Client().get("/saleor/dashboard/app/fragment/", {"tab": "insights"}, **headers(saleor, permissions=("MANAGE_PRODUCTS",)))
    assert "need the Saleor permission MANAGE_ORDERS" in response.content.decode() and "Trail Tent" not in response.content.decode()


def test_publishing_despite_the_marks_needs_a_reason_and_records_it(shop, saleor):
    draft = ContentDraft.objects.create(
        product_key=f"{shop.key_prefix}7", kind="long_description", text="Made in Italy.",
        unsupported_claims=[{"kind": "origin", "text": "Made in Italy.", "start": 0, "end": 14, "reason": "no origin in the product's facts"}],
    )
    assert 'id="ecom-ai-override"' in page(saleor, "generate", productId=gid("Product", 7)).content.decode()
    response = act(saleor, "publish", {"draft": draft.pk, "override": "1", "reason": " "})
    assert response.status_code == 400 and "reason" in response.json()["error"]
    assert act(saleor, "publish", {"draft": draft.pk, "override": "1", "reason": "The supplier confirmed it."}).status_code == 200
    draft.refresh_from_db()
    assert (draft.status, draft.publish_override, draft.override_reason) == (DraftStatus.PUBLISHED, True, "The supplier confirmed it.")


def suggestion(key: str, name: str, suggested: str = "Tents", confidence: float = 0.9) -> CategorySuggestion:
    return CategorySuggestion.objects.create(product_key=key, product_name=name, current_category="Juices", suggested_category=suggested, confidence=confidence)


def test_category_suggestions_are_accepted_in_saleor_and_rejected_from_the_app_page(shop, saleor):
    saleor.categories[2] = "Tents"
    saleor.categories[3] = "Tents & Tarps"  # Saleor's search matches it too: only the exact name is taken
    other = SaleorInstallation.objects.create(api_url="http://127.0.0.1:9/graphql/", token_encrypted=encrypt_token("t"), app_id="QXBwOjU=")
    theirs = suggestion(f"{other.key_prefix}7", "Their Tent")
    tent_7, tent_8 = suggestion(f"{shop.key_prefix}7", "Trail Tent"), suggestion(f"{shop.key_prefix}8", "Summit Tent", confidence=0.7)
    lost = suggestion(f"{shop.key_prefix}8", "Summit Tent", suggested="Hammocks", confidence=0.6)  # no such category in Saleor
    html = page(saleor, "app", tab="categories").content.decode()
    assert "Their Tent" not in html and html.index("Trail Tent") < html.index("Summit Tent") and "open (3)" in html

    response = act(saleor, "decide-categories", {"operation": "accept", "suggestions": [tent_7.pk, lost.pk, theirs.pk]})
    assert response.status_code == 200, response.content
    assert response.json()["changed"] == 1 and "There is no category 'Hammocks'" in response.json()["message"] and response.json()["saleor_written"]
    assert saleor.products[7]["category"] == {"name": "Tents"}
    [update] = [r for r in saleor.requests if "EcomAIProductCategoryUpdate" in r["query"]]
    assert update["variables"] == {"id": gid("Product", 7), "category": gid("Category", 2)}
    tent_7.refresh_from_db(), lost.refresh_from_db(), theirs.refresh_from_db()
    assert tent_7.status == SuggestionStatus.ACCEPTED and tent_7.decided_by.username == f"saleor-{shop.pk}-{gid('User', 21)}"
    assert lost.status == SuggestionStatus.OPEN and theirs.status == SuggestionStatus.OPEN

    assert act(saleor, "decide-categories", {"operation": "reject", "suggestions": [tent_8.pk]}).status_code == 200
    assert CategorySuggestion.objects.get(pk=tent_8.pk).status == SuggestionStatus.REJECTED and saleor.products[8]["category"] == {"name": "Juices"}
    again = act(saleor, "decide-categories", {"operation": "accept", "suggestions": [tent_7.pk]})
    assert again.status_code == 409 and "already accepted" in again.json()["error"]
    assert act(saleor, "decide-categories", {"operation": "move", "suggestions": [lost.pk]}).status_code == 400
    assert act(saleor, "decide-categories", {"operation": "accept", "suggestions": ["not-a-uuid", theirs.pk]}).status_code == 400
    assert act(saleor, "decide-categories", {"operation": "accept", "suggestions": [lost.pk]}, permissions=["MANAGE_ORDERS"]).status_code == 403
    assert CategorySuggestion.objects.get(pk=lost.pk).status == SuggestionStatus.OPEN

    response = act(saleor, "find-misfiled", {})
    assert response.status_code == 200 and Job.objects.get(pk=response.json()["job"]).kind == "suggest_categories"


def test_each_saleors_products_are_filed_among_its_own_categories(shop, saleor):
    from ecom_ai_plugin.services.insights.categories import suggest_categories
    from tests.saleor.app.fake_saleor import FakeSaleor

    other_saleor = FakeSaleor(token="other-token-" + "y" * 20, app_id="QXBwOjk=").start()
    try:
        other = SaleorInstallation.objects.create(api_url=other_saleor.api_url, token_encrypted=encrypt_token(other_saleor.token), app_id=other_saleor.app_id)
        for fake, pk, name, category in (
            (saleor, 1, "Ridge Tent for two", "Tents"), (saleor, 2, "Tunnel Tent for four", "Tents"), (saleor, 3, "Lightweight Tent for one", None),
            (other_saleor, 1, "Gooseneck Kettle", "Kettles"), (other_saleor, 2, "Stovetop Kettle", "Kettles"), (other_saleor, 3, "Dome Tent for two", None),
        ):
            fake.products[pk] = product_node(pk, name)
            fake.products[pk]["category"] = {"name": category} if category else None
        saleor.products.pop(7), saleor.products.pop(8)
        run = suggest_categories()
        assert run.products == 6 and run.uncategorised == 2
        ours = CategorySuggestion.objects.get(product_key=f"{shop.key_prefix}3")
        theirs = CategorySuggestion.objects.get(product_key=f"{other.key_prefix}3")
        assert ours.suggested_category == "Tents" and all(n["product_key"].startswith(shop.key_prefix) for n in ours.neighbours)
        assert theirs.suggested_category == "Kettles"  # its shop has no tents: never another Saleor's category
        assert all(n["product_key"].startswith(other.key_prefix) for n in theirs.neighbours)
    finally:
        other_saleor.stop()


def visitors(experiment, arm: str, seen: int, clicked: int = 0, bought: int = 0) -> None:
    from django.utils import timezone

    from ecom_ai_plugin.models import ExperimentVisitor

    now = timezone.now()
    ExperimentVisitor.objects.bulk_create(
        ExperimentVisitor(experiment=experiment, visitor=f"{arm}{i}", arm=arm, clicked_at=now if i < clicked else None, converted_at=now if i < bought else None)
        for i in range(seen)
    )


def test_experiments_are_started_listed_and_stopped_from_the_app_page(shop, saleor):
    from ecom_ai_plugin.models import Experiment, ExperimentStatus
    from ecom_ai_plugin.services.insights import experiments
    from ecom_ai_plugin.services.insights.experiments import Rate

    other = SaleorInstallation.objects.create(api_url="http://127.0.0.1:9/graphql/", token_encrypted=encrypt_token("t"), app_id="QXBwOjU=")
    theirs = experiments.start_recommendation_experiment("Their similar test", "similar", "trending", scope=other.key_prefix)
    their_draft = ContentDraft.objects.create(product_key=f"{other.key_prefix}7", kind="long_description", text="Their tent text.")
    recommendation = {"kind": "recommendations", "name": "Similar or bought together", "widget": "similar", "challenger": "bought_together"}

    response = act(saleor, "start-experiment", recommendation)  # another Saleor's test in its own similar slot does not block ours
    assert response.status_code == 200, response.content
    ours = Experiment.objects.get(pk=response.json()["experiment"])
    assert (ours.scope, ours.widget, ours.arm_b, ours.created_by.username) == (shop.key_prefix, "similar", {"widget": "bought_together"}, f"saleor-{shop.pk}-{gid('User', 21)}")
    for data, status, words in (
        (recommendation, 409, "already running in the similar slot"),
        ({**recommendation, "widget": "sidebar"}, 400, "widget: Select a valid choice"),
        ({**recommendation, "challenger": "trending", "widget": "trending"}, 400, "other than the slot's own widget"),
        ({**recommendation, "widget": "trending", "name": "<b>Trending</b> test"}, 400, "leave out HTML tags"),
        ({**recommendation, "widget": "trending", "name": " "}, 400, "name: This field is required"),
        ({"kind": "copy", "name": "Their text", "draft": their_draft.pk}, 400, "Give the id of a description draft"),  # another Saleor's draft: as good as none
        ({"kind": "copy", "name": "No text", "draft": "not-a-uuid"}, 400, "draft"),
        ({"kind": "lottery", "name": "Who knows"}, 400, "kind"),
    ):
        response = act(saleor, "start-experiment", data)
        assert (response.status_code, words in response.json()["error"]) == (status, True), (data, response.content)
    assert Experiment.objects.count() == 2
    assert act(saleor, "start-experiment", {**recommendation, "widget": "trending"}, permissions=("MANAGE_ORDERS",)).status_code == 403
    assert Experiment.objects.count() == 2

    draft = ContentDraft.objects.create(product_key=f"{shop.key_prefix}7", kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    response = act(saleor, "start-experiment", {"kind": "copy", "name": "Trail Tent: weight first", "draft": draft.pk})
    assert response.status_code == 200, response.content
    copy = Experiment.objects.get(pk=response.json()["experiment"])
    assert (copy.scope, copy.product_key, copy.arm_b) == (shop.key_prefix, f"{shop.key_prefix}7", {"draft": str(draft.pk)})

    visitors(ours, "a", 150, clicked=6, bought=3)
    visitors(ours, "b", 150, clicked=30, bought=15)
    html = page(saleor, "app", tab="experiments").content.decode()
    assert "Similar or bought together" in html and "Trail Tent: weight first" in html and "Their similar test" not in html
    assert str(Rate(30, 150)) in html and str(Rate(15, 150)) in html and "does better" in html and "running (2)" in html
    assert f'data-redirect="/products/{gid("Product", 7)}"' in html and "draft v1" in html
    assert f'value="{their_draft.pk}"' not in html  # arm B is chosen among this Saleor's drafts only
    products_only = Client().get("/saleor/dashboard/app/fragment/", {"tab": "experiments"}, **headers(saleor, permissions=("MANAGE_PRODUCTS",))).content.decode()
    assert str(Rate(30, 150)) in products_only and str(Rate(15, 150)) not in products_only and "does better" not in products_only  # purchases need MANAGE_ORDERS

    for data, status in (({"experiment": theirs.pk}, 404), ({"experiment": 10**12}, 404), ({"experiment": "abc"}, 404)):
        assert act(saleor, "stop-experiment", data).status_code == status
    assert Experiment.objects.get(pk=theirs.pk).status == ExperimentStatus.RUNNING
    assert act(saleor, "stop-experiment", {"experiment": ours.pk}, permissions=("MANAGE_ORDERS",)).status_code == 403
    response = act(saleor, "stop-experiment", {"experiment": ours.pk})
    assert response.status_code == 200 and response.json() == {"message": "Stopped; kept B.", "winner": "b"}
    ours.refresh_from_db()
    assert (ours.status, ours.winner) == (ExperimentStatus.STOPPED, "b")
    again = act(saleor, "stop-experiment", {"experiment": ours.pk})
    assert again.status_code == 409 and "already stopped" in again.json()["error"]
    assert Experiment.objects.get(pk=ours.pk).stopped_at == ours.stopped_at

    original = saleor.products[7]["description"]
    response = act(saleor, "stop-experiment", {"experiment": copy.pk})  # too early to tell: A, the current text, stays
    assert response.status_code == 200 and response.json()["winner"] == "a"
    assert saleor.products[7]["description"] == original and ContentDraft.objects.get(pk=draft.pk).status == DraftStatus.DRAFT
    assert "Stopped; kept A." in page(saleor, "app", tab="experiments", status="stopped").content.decode()


def test_a_text_that_wins_is_published_in_saleor_when_its_experiment_stops(shop, saleor):
    from ecom_ai_plugin.models import Experiment

    draft = ContentDraft.objects.create(product_key=f"{shop.key_prefix}7", kind="long_description", text="The Trail Tent weighs 1.4 kg.")
    response = act(saleor, "start-experiment", {"kind": "copy", "name": "Trail Tent: weight first", "draft": draft.pk})
    experiment = Experiment.objects.get(pk=response.json()["experiment"])
    visitors(experiment, "a", 200, clicked=10, bought=4)
    visitors(experiment, "b", 200, clicked=40, bought=30)
    response = act(saleor, "stop-experiment", {"experiment": experiment.pk})
    assert response.status_code == 200 and "its draft is published in Saleor" in response.json()["message"]
    assert json.loads(saleor.products[7]["description"])["blocks"][0]["data"]["text"] == "The Trail Tent weighs 1.4 kg."
    assert ContentDraft.objects.get(pk=draft.pk).status == DraftStatus.PUBLISHED
