"""The draft review admin and the product admin's "Generate description"."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from ecom_ai_plugin import jobs
from ecom_ai_plugin.admin.copy import highlight_claims
from ecom_ai_plugin.models import ContentDraft, Job
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import CopyRequest
from tests.copy_results import INVENTED_ORIGIN, copy_result
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def product():
    return make_product(description="Old words.", attributes={"Weight": "1.4 kg"})


def make_draft(product, text=f"It weighs 1.4 kg. {INVENTED_ORIGIN}", claims=(INVENTED_ORIGIN,)):
    return drafts.create_draft(copy_result(product.pk, text, request=CopyRequest(), claims=claims))


def change_url(draft) -> str:
    return reverse("admin:ecom_ai_plugin_contentdraft_change", args=[draft.pk])


def test_highlighting_escapes_everything_and_marks_claims():
    text = "<b>Bold</b> & made in Spain."
    start = text.index("Spain")
    html = highlight_claims(text, [
        {"kind": "origin", "text": "Spain", "start": start, "end": start + 5, "reason": 'no "origin"'},
        {"kind": "x", "text": "?", "start": 2, "end": 999, "reason": "out of range"},
        {"kind": "x", "text": "?", "start": start + 1, "end": start + 3, "reason": "overlaps"},
    ])
    assert "&lt;b&gt;Bold&lt;/b&gt; &amp; made in " in html
    assert '<mark class="ecom-ai-claim" data-kind="origin" title="no &quot;origin&quot;">Spain</mark>.' in html
    assert html.count("<mark") == 1


def test_changelist_shows_status_kind_and_unsupported_count(admin_client, product):
    make_draft(product)
    response = admin_client.get(reverse("admin:ecom_ai_plugin_contentdraft_changelist"), {"status__exact": "draft"})
    assert response.status_code == 200
    content = response.content.decode()
    assert "ecom-ai-draft-status-draft" in content and "Long description v1" in content and ">long_description<" not in content
    assert f'title="product {product.pk}">{product.name}</a>' in content and "for product" not in content
    assert admin_client.get(reverse("admin:ecom_ai_plugin_contentdraft_changelist"), {"q": "weighs"}).status_code == 200


def test_the_list_reads_its_products_in_one_batch(admin_client, product, django_assert_max_num_queries):
    """As many queries for 12 drafts of 12 products as for 2: no read per row."""
    url = reverse("admin:ecom_ai_plugin_contentdraft_changelist")

    def count_queries() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get(url).status_code == 200
        return len(queries)

    make_draft(make_product("Second Tent"))
    few = count_queries()
    for index in range(10):
        make_draft(make_product(f"Tent {index}"))
    page = admin_client.get(url).content.decode()
    assert "Tent 9" in page and "Second Tent" in page
    assert count_queries() == few


def test_seo_labels_and_small_tables_on_the_change_page(admin_client, product):
    draft = drafts.create_draft(copy_result(product.pk, "Green 1.4 kg tent", request=CopyRequest(kind="seo_title"), claims=()))
    content = admin_client.get(change_url(draft)).content.decode()
    assert "SEO title v1 (draft) for" in content and "Seo title" not in content
    assert 'class="ecom-ai-values"' in content and '{"' not in content.split('id="content-main"')[1].split("</form>")[0]
    form = admin_client.get(reverse("admin:ecom_ai_plugin_contentdraft_changelist")).content.decode()
    assert "Seo title" not in form


def test_change_page_highlights_claims_and_offers_the_right_buttons(admin_client, product):
    draft = make_draft(product)
    content = admin_client.get(change_url(draft)).content.decode()
    assert f'<a href="{product.get_absolute_url()}" title="product {product.pk}">{product.name}</a> ({product.pk})' in content
    assert f'title="no origin in the product&#x27;s facts">{INVENTED_ORIGIN}</mark>' in content
    for button in ("_approve_override", "_reject", "_regenerate", "_publish_override", "override_reason"):
        assert f'name="{button}"' in content
    for button in ("_approve", "_publish", "_revert"):  # a draft with marks is never approved or published plainly
        assert f'name="{button}"' not in content
    assert "sentences that failed" in content.lower() and "no origin in the product" in content


def test_bulk_approve_and_publish_take_only_drafts_that_pass(admin_client, product):
    good = make_draft(product, "It weighs 1.4 kg.", claims=())
    other = make_product("Other tent", description="Old.", attributes={"Weight": "2 kg"})
    failed = make_draft(other)
    changelist = reverse("admin:ecom_ai_plugin_contentdraft_changelist")
    response = admin_client.post(changelist, {"action": "publish_selected", "_selected_action": [good.pk, failed.pk]}, follow=True)
    content = response.content.decode()
    assert "1 draft(s) published" in content and "mark(s)" in content
    good.refresh_from_db()
    failed.refresh_from_db()
    other.refresh_from_db()
    assert (good.status, failed.status, other.description) == ("published", "draft", "Old.")
    admin_client.post(changelist, {"action": "approve_selected", "_selected_action": [failed.pk]})
    failed.refresh_from_db()
    assert failed.status == "draft"


def test_approve_with_override_records_the_reason(admin_client, product):
    draft = make_draft(product)
    admin_client.post(change_url(draft), {"text": draft.text, "_approve_override": "1", "override_reason": "Supplier says so."})
    draft.refresh_from_db()
    assert (draft.status, draft.publish_override, draft.override_reason) == ("approved", True, "Supplier says so.")
    assert 'name="_publish"' in admin_client.get(change_url(draft)).content.decode()


def test_edit_then_publish_from_the_change_page(admin_client, product):
    draft = make_draft(product)
    response = admin_client.post(change_url(draft), {"text": "It weighs 1.4 kg.", "_publish": "1"})
    assert response.status_code == 302
    draft.refresh_from_db()
    product.refresh_from_db()
    assert (draft.status, draft.unsupported_claims, product.description) == ("published", [], "It weighs 1.4 kg.")
    content = admin_client.get(change_url(draft)).content.decode()
    assert 'name="_revert"' in content and 'name="text"' not in content
    response = admin_client.post(change_url(draft), {"_revert": "1"}, follow=True)
    product.refresh_from_db()
    assert product.description == "Old words."
    page = response.content.decode()
    assert "Reverted: the product shows its previous text again" in page
    assert "ecom-ai-draft-status-reverted" in page and "is now approved" not in page
    draft.refresh_from_db()
    assert draft.status == "reverted" and draft.reverted_by.username == "admin"


def test_publish_with_override_needs_a_reason(admin_client, product):
    draft = make_draft(product)
    response = admin_client.post(change_url(draft), {"text": draft.text, "_publish_override": "1", "override_reason": ""}, follow=True)
    assert "needs a reason" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"
    admin_client.post(change_url(draft), {"text": draft.text, "_publish_override": "1", "override_reason": "Supplier confirmed."})
    draft.refresh_from_db()
    assert (draft.status, draft.override_reason) == ("published", "Supplier confirmed.")


def test_a_plain_publish_is_refused_while_claims_remain(admin_client, product):
    draft = make_draft(product)
    response = admin_client.post(change_url(draft), {"text": draft.text, "_publish": "1"}, follow=True)
    assert "not available" in response.content.decode()
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_staff_without_publish_permission_cannot_publish(client, product):
    from django.contrib.auth.models import Permission

    user = get_user_model().objects.create_user("editor", password="pw", is_staff=True)
    user.user_permissions.add(*Permission.objects.filter(codename__in=["view_contentdraft", "change_contentdraft"]))
    client.force_login(user)
    draft = make_draft(product, "It weighs 1.4 kg.", claims=())
    assert 'name="_publish"' not in client.get(change_url(draft)).content.decode()
    client.post(change_url(draft), {"text": draft.text, "_publish": "1"})
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_a_draft_without_usable_text_shows_the_problem_and_can_be_rejected(admin_client, product):
    draft = drafts.create_draft(copy_result(product.pk, "", problem="The model produced no usable text."))
    content = admin_client.get(change_url(draft)).content.decode()
    assert "The model produced no usable text." in content and 'name="_approve"' not in content
    admin_client.post(change_url(draft), {"text": "", "_reject": "1"})
    draft.refresh_from_db()
    assert draft.status == "rejected"


def test_regenerate_redirects_to_the_job_page(admin_client, product):
    draft = make_draft(product)
    response = admin_client.post(change_url(draft), {"text": draft.text, "_regenerate": "1"})
    job = Job.objects.get(kind="generate_copy")
    assert response["Location"] == reverse("admin:ecom_ai_plugin_contentdraft_job", args=[job.pk])


def test_generate_description_from_the_product_admin(admin_client, product, fake_generation):
    change = reverse("admin:shop_product_change", args=[product.pk])
    generate = reverse("admin:shop_product_generate_copy", args=[product.pk])
    assert generate in admin_client.get(change).content.decode()
    form = admin_client.get(generate).content.decode()
    assert 'name="tone"' in form and 'name="brand_voice"' in form
    assert '<option value="seo_title">SEO title</option>' in form and 'SEO meta description' in form and "Seo title" not in form
    bad = admin_client.post(generate, {"kind": "poem", "tone": "neutral", "length": "medium"})
    assert bad.status_code == 200 and not Job.objects.filter(kind="generate_copy").exists()
    response = admin_client.post(generate, {"kind": "long_description", "tone": "friendly", "length": "short", "keywords": "light, green"})
    job = Job.objects.get(kind="generate_copy")
    assert response["Location"] == reverse("admin:ecom_ai_plugin_contentdraft_job", args=[job.pk])
    page = admin_client.get(response["Location"]).content.decode()
    assert "job_progress.js" in page
    status_url = reverse("admin:ecom_ai_plugin_contentdraft_job_status", args=[job.pk])
    assert admin_client.get(status_url).json()["status"] == "pending"
    jobs.execute(str(job.pk))
    status = admin_client.get(status_url).json()
    draft = ContentDraft.objects.get(job=job)
    assert status["finished"] and status["drafts"][0]["url"] == change_url(draft)
    assert status["drafts"][0]["unsupported"] == 1


def test_bulk_action_is_one_batched_job(admin_client, fake_generation):
    products = [make_product(f"Tent {i}") for i in range(3)]
    response = admin_client.post(
        reverse("admin:shop_product_changelist"),
        {"action": "generate_copy_for_selected", "_selected_action": [p.pk for p in products]},
        follow=True,
    )
    assert "as one job" in response.content.decode()
    job = Job.objects.get(kind="generate_copy_batch")
    assert sorted(job.params["keys"]) == sorted(str(p.pk) for p in products)


def test_job_pages_need_permission_and_a_copy_job(client, admin_client):
    other = jobs.enqueue("tests.sleep", target_id="x")
    assert admin_client.get(reverse("admin:ecom_ai_plugin_contentdraft_job_status", args=[other.pk])).status_code == 404
    staff = get_user_model().objects.create_user("plain", password="pw", is_staff=True)
    client.force_login(staff)
    assert client.get(reverse("admin:ecom_ai_plugin_contentdraft_job_status", args=[other.pk])).status_code == 403
