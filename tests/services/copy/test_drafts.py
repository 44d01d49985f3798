"""Drafts of generated copy: versions, review, publish with and without override, revert, no loops."""
from __future__ import annotations

import pytest
from django.contrib.auth import get_user_model
from django.test import override_settings

from ecom_ai_plugin import events, jobs
from ecom_ai_plugin.models import BrandVoice, ContentDraft, Job, JobStatus, PublishedText
from ecom_ai_plugin.services.copy import drafts
from ecom_ai_plugin.services.copy.generation import CopyRequest
from ecom_ai_plugin.writeback import suppressed_product_events
from tests.conftest import requires_models
from tests.copy_results import INVENTED_ORIGIN, copy_result
from tests.factories import make_product

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff():
    return get_user_model().objects.create_user("editor", "editor@example.com", "pw", is_staff=True)


@pytest.fixture
def product():
    return make_product(description="Hand-written text.", attributes={"Weight": "1.4 kg", "Colour": "green"})


def draft_for(product, text="A green tent that weighs 1.4 kg.", claims=(), kind="long_description"):
    return drafts.create_draft(copy_result(product.pk, text, request=CopyRequest(kind=kind), claims=claims))


def run_pending(kind: str) -> Job:
    job = Job.objects.get(kind=kind, status=JobStatus.PENDING)
    jobs.execute(str(job.pk))
    job.refresh_from_db()
    return job


# -- requests and jobs --------------------------------------------------------------


def test_one_product_is_one_job_and_its_draft_comes_from_the_handler(product, staff, fake_generation):
    job = drafts.request_generation([str(product.pk)], drafts.build_request({"tone": "friendly", "keywords": "light, green"}), requested_by=staff)
    assert (job.kind, job.target_id, job.queue) == ("generate_copy", str(product.pk), "ecom_ai_gpu")
    assert drafts.request_generation([str(product.pk)], drafts.build_request({"tone": "friendly", "keywords": "light, green"})).pk == job.pk
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    draft = ContentDraft.objects.get()
    assert (draft.job_id, draft.created_by, draft.tone, draft.version, draft.status) == (job.pk, staff, "friendly", 1, "draft")
    assert fake_generation[0][1].keywords == ("light", "green")
    assert draft.unsupported_claims == [
        {"kind": "origin", "text": INVENTED_ORIGIN, "start": draft.text.index(INVENTED_ORIGIN), "end": len(draft.text), "reason": "no origin in the product's facts"}
    ]
    job.refresh_from_db()
    assert (job.result["drafts"], job.result["publishable"]) == ([str(draft.pk)], False)
    assert job.result["problem"] == draft.problem and "failed the check" in draft.problem


def test_many_products_are_one_batched_job_with_progress(fake_generation):
    products = [make_product(f"Tent {i}") for i in range(10)]
    job = drafts.request_generation([str(p.pk) for p in products] + ["999999"], CopyRequest())
    assert job.kind == "generate_copy_batch"
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total) == (10, 10)  # candidates of the products that exist
    assert job.result["missing"] == ["999999"] and len(job.result["drafts"]) == 10
    assert ContentDraft.objects.filter(job=job).count() == 10


def test_bad_requests_are_refused_before_any_job():
    with pytest.raises(ValueError):
        drafts.build_request({"tone": "sarcastic"})
    with pytest.raises(ValueError, match="brand voice"):
        drafts.build_request({"brand_voice": "Nope"})
    with pytest.raises(LookupError):
        drafts.request_generation(["999999"], CopyRequest())
    with pytest.raises(ValueError):
        drafts.request_generation([], CopyRequest())
    assert not Job.objects.exists()


def test_brand_voice_by_name_or_the_default():
    BrandVoice.objects.create(name="Calm", text="Short calm sentences.", is_default=True)
    BrandVoice.objects.create(name="Loud", text="Exclamations!")
    assert drafts.build_request({}).brand_voice == "Short calm sentences."
    assert drafts.build_request({"brand_voice": "Loud"}).brand_voice == "Exclamations!"


def test_a_missing_product_fails_the_job_clearly(product, fake_generation):
    job = drafts.request_generation([str(product.pk)], CopyRequest())
    product.delete()
    assert jobs.execute(str(job.pk)) == JobStatus.FAILED
    job.refresh_from_db()
    assert "does not exist" in job.last_error and job.attempts == 1


# -- versions ---------------------------------------------------------------------------


def test_a_new_draft_supersedes_open_drafts_of_the_same_product_and_kind(product):
    first = draft_for(product)
    drafts.approve(first)
    seo = draft_for(product, "Green tent", kind="seo_title")
    second = draft_for(product)
    first.refresh_from_db()
    seo.refresh_from_db()
    assert (first.status, second.status, second.version) == ("superseded", "draft", 2)
    assert seo.status == "draft" and seo.version == 1


def test_an_unusable_result_is_kept_but_hides_nothing(product):
    good = draft_for(product)
    failed = drafts.create_draft(copy_result(product.pk, "", problem="No candidate stayed with the product's facts."))
    good.refresh_from_db()
    assert good.status == "draft"
    assert (failed.text, failed.problem, failed.version) == ("", "No candidate stayed with the product's facts.", 2)
    with pytest.raises(drafts.DraftError, match="no text"):
        drafts.approve(failed)


def test_a_failed_text_is_kept_with_its_marks_and_cannot_be_approved_or_published(product, staff):
    text = f"A green tent that weighs 1.4 kg. {INVENTED_ORIGIN}"
    draft = drafts.create_draft(copy_result(product.pk, text, claims=[INVENTED_ORIGIN]))
    assert draft.text == text and draft.unsupported_count == 1  # staff see what failed and why
    assert [item["text"] for item in drafts.failed_sentences(draft)] == [INVENTED_ORIGIN]
    for action in (drafts.approve, drafts.publish):
        with pytest.raises(drafts.DraftError, match="1 mark"):
            action(draft, user=staff)
    product.refresh_from_db()
    assert product.description == "Hand-written text."
    # an approval over the marks is an override with a reason, recorded; publishing it then is allowed
    with pytest.raises(drafts.DraftError, match="reason"):
        drafts.approve(draft, user=staff, override=True)
    drafts.approve(draft, user=staff, override=True, reason="Origin confirmed by the supplier.")
    assert (draft.status, draft.publish_override, draft.override_by, draft.override_reason) == ("approved", True, staff, "Origin confirmed by the supplier.")
    drafts.publish(draft, user=staff)
    product.refresh_from_db()
    assert product.description == text


def test_an_edit_that_passes_the_gate_makes_a_failed_draft_publishable(product, staff):
    draft = drafts.create_draft(copy_result(product.pk, f"A green tent. {INVENTED_ORIGIN}", claims=[INVENTED_ORIGIN]))
    drafts.edit(draft, "The tent is green and weighs 1.4 kg. Designed by a team of experts, it is loved around the world.", user=staff)
    reasons = {mark["kind"] for mark in draft.unsupported_claims}
    assert "unverifiable" in reasons and draft.problem  # staff edits are judged by the same gate
    assert [item["text"] for item in drafts.failed_sentences(draft)] == ["Designed by a team of experts, it is loved around the world."]
    with pytest.raises(drafts.DraftError):
        drafts.publish(draft, user=staff)
    drafts.edit(draft, "The tent is green and weighs 1.4 kg.", user=staff)
    assert draft.unsupported_claims == [] and draft.problem == ""
    drafts.approve(draft, user=staff)
    drafts.publish(draft, user=staff)
    assert draft.status == "published" and not draft.publish_override


def test_an_empty_result_keeps_its_problem(product):
    draft = drafts.create_draft(copy_result(product.pk, "", problem="The model produced nothing."))
    assert (draft.text, draft.unsupported_claims, draft.problem) == ("", [], "The model produced nothing.")


def test_generated_html_is_stored_as_plain_text(product):
    draft = draft_for(product, "A <b>green</b> tent.<script>alert(1)</script>\n\nWeighs 1.4&nbsp;kg.")
    assert draft.text == "A green tent.\n\nWeighs 1.4 kg."


# -- review -------------------------------------------------------------------------------


def test_editing_re_runs_the_grounding_check(product, staff):
    draft = draft_for(product, f"A green tent that weighs 1.4 kg. {INVENTED_ORIGIN}", claims=[INVENTED_ORIGIN])
    drafts.approve(draft, user=staff, override=True, reason="Checked.")
    drafts.edit(draft, "A green tent that weighs 1.4 kg.", user=staff)
    draft.refresh_from_db()
    assert draft.unsupported_claims == []
    assert (draft.status, draft.approved_by, draft.edited_by) == ("draft", None, staff)  # re-approval needed
    assert draft.generated_text.endswith(INVENTED_ORIGIN)
    drafts.edit(draft, "A green tent that weighs 1.4 kg, made in Italy from titanium.", user=staff)
    draft.refresh_from_db()
    flagged = " ".join(c["text"] for c in draft.unsupported_claims)
    assert "Italy" in flagged and "titanium" in flagged
    for claim in draft.unsupported_claims:
        assert draft.text[claim["start"] : claim["end"]] == claim["text"]


def test_edits_are_validated(product):
    draft = draft_for(product)
    with pytest.raises(drafts.DraftError, match="empty"):
        drafts.edit(draft, "  <p></p> ")
    with pytest.raises(drafts.DraftError, match="at most"):
        drafts.edit(draft, "x" * (drafts.MAX_TEXT_CHARS + 1))
    seo = draft_for(product, "Green tent", kind="seo_title")
    with pytest.raises(drafts.DraftError, match="70"):
        drafts.edit(seo, "x" * 71)


def test_state_changes_are_checked(product):
    draft = draft_for(product)
    drafts.reject(draft)
    for action in (drafts.approve, drafts.publish, drafts.reject, drafts.revert):
        with pytest.raises(drafts.DraftError, match="rejected draft cannot be"):
            action(draft)
    with pytest.raises(drafts.DraftError):
        drafts.edit(draft, "New words.")


# -- publishing -------------------------------------------------------------------------------


def test_publish_writes_the_product_keeps_the_old_text_and_records_no_loop(product, staff):
    Job.objects.all().delete()
    draft = draft_for(product)
    drafts.publish(draft, user=staff)
    product.refresh_from_db()
    assert product.description == "A green tent that weighs 1.4 kg."
    assert (draft.status, draft.published_by, draft.approved_by, draft.publish_override) == ("published", staff, staff, False)
    history = PublishedText.objects.get()
    assert (history.field, history.previous_value, history.new_value, history.draft) == ("description", "Hand-written text.", draft.text, draft)
    # The shop's save event was suppressed: no generation, only the explicit re-embedding.
    assert list(Job.objects.values_list("kind", "target_id")) == [("embed_product", str(product.pk))]


def test_unsupported_claims_block_publishing_unless_overridden_with_a_reason(product, staff):
    text = f"A green tent. {INVENTED_ORIGIN}"
    draft = draft_for(product, text, claims=[INVENTED_ORIGIN])
    with pytest.raises(drafts.DraftError, match="1 mark"):
        drafts.publish(draft, user=staff)
    with pytest.raises(drafts.DraftError, match="reason"):
        drafts.publish(draft, user=staff, override=True, reason="  ")
    product.refresh_from_db()
    assert product.description == "Hand-written text."
    drafts.publish(draft, user=staff, override=True, reason="The farm is in Iowa; attribute pending.")
    draft.refresh_from_db()
    assert (draft.publish_override, draft.override_by, draft.override_reason) == (True, staff, "The farm is in Iowa; attribute pending.")
    assert draft.override_at is not None


def test_seo_copy_goes_to_its_field_and_marketing_copy_is_not_written(product, client):
    drafts.publish(draft_for(product, "Green 1.4 kg tent", kind="seo_title"))
    drafts.publish(draft_for(product, "Green & light: 1.4 kg.", kind="seo_description"))
    product.refresh_from_db()
    assert product.seo_title == "Green 1.4 kg tent" and product.description == "Hand-written text."
    page = client.get(product.get_absolute_url()).content.decode()
    assert "<title>Green 1.4 kg tent · Sandbox Shop</title>" in page
    assert '<meta name="description" content="Green &amp; light: 1.4 kg.">' in page
    with pytest.raises(drafts.DraftError, match="not written to the product"):
        drafts.publish(draft_for(product, "Sleep green.", kind="ad_copy"))
    with pytest.raises(drafts.DraftError, match="no short description field"):
        drafts.publish(draft_for(product, "Green tent.", kind="short_description"))


def test_revert_restores_the_previous_text_step_by_step(product, staff):
    first = draft_for(product, "First text.")
    drafts.publish(first)
    second = draft_for(product, "Second text.")
    drafts.publish(second)
    first.refresh_from_db()
    assert first.status == "superseded"
    with pytest.raises(drafts.DraftError):
        drafts.revert(first)
    drafts.revert(second, user=staff)
    product.refresh_from_db()
    first.refresh_from_db()
    assert product.description == "First text."
    assert (second.status, first.status) == ("reverted", "published")
    assert second.reverted_by == staff
    assert second.reverted_at is not None and str(second) == "Long description v2 (reverted)"
    assert PublishedText.objects.get(draft=second).reverted_by == staff
    drafts.publish(second, user=staff)  # a reverted draft can be published again
    second.refresh_from_db()
    assert second.status == "published"
    drafts.revert(second, user=staff)
    drafts.revert(first)
    product.refresh_from_db()
    assert product.description == "Hand-written text."


def test_revert_refuses_to_overwrite_a_later_edit_in_the_shop(product):
    draft = draft_for(product)
    drafts.publish(draft)
    product.description = "Edited by hand in the shop."
    product.save()
    with pytest.raises(drafts.DraftError, match="changed in the shop"):
        drafts.revert(draft)
    product.refresh_from_db()
    assert product.description == "Edited by hand in the shop."


def test_regenerate_asks_again_with_the_same_request_or_changes(product, fake_generation):
    draft = drafts.create_draft(copy_result(product.pk, "A green tent.", request=CopyRequest(tone="premium", brand_voice="Calm.")))
    job = drafts.regenerate(draft)
    assert CopyRequest.from_dict(job.params["request"]) == CopyRequest(tone="premium", brand_voice="Calm.")
    jobs.execute(str(job.pk))
    draft.refresh_from_db()
    assert draft.status == "superseded" and ContentDraft.objects.get(job=job).version == 2
    other = drafts.regenerate(ContentDraft.objects.get(job=job), changes={"tone": "playful"})
    assert other.params["request"]["tone"] == "playful" and other.params["request"]["brand_voice"] == "Calm."


# -- automatic drafts -------------------------------------------------------------------------


def test_auto_drafts_are_off_by_default():
    make_product(description="")
    assert not Job.objects.filter(kind="generate_copy").exists()


@override_settings(ECOM_AI={"AUTO_DRAFT_NEW_PRODUCTS": True, "GENERIC_HOST": {"PRODUCT_MODEL": "shop.Product"}})
def test_a_new_product_without_description_gets_one_draft_and_no_loop(fake_generation):
    empty = make_product("Empty tent", description="")
    described = make_product("Described tent", description="Has words.")
    later = make_product("Filled later", description="")
    later.description = "Written before the job ran."
    later.save()
    jobs_ = {job.target_id: job for job in Job.objects.filter(kind="generate_copy")}
    assert set(jobs_) == {str(empty.pk), str(described.pk), str(later.pk)}
    for job in jobs_.values():
        jobs.execute(str(job.pk))
    assert list(ContentDraft.objects.values_list("product_key", flat=True)) == [str(empty.pk)]
    assert Job.objects.get(target_id=str(described.pk), kind="generate_copy").result == {"skipped": "the product has a description"}
    # Publishing the draft saves the product: no new generation job follows.
    drafts.publish(ContentDraft.objects.get(), override=True, reason="test")
    assert not Job.objects.filter(kind="generate_copy", status=JobStatus.PENDING).exists()
    # Saving an existing product never asks for a draft.
    empty.save()
    assert not Job.objects.filter(kind="generate_copy", status=JobStatus.PENDING).exists()


@override_settings(ECOM_AI={"AUTO_DRAFT_NEW_PRODUCTS": True, "GENERIC_HOST": {"PRODUCT_MODEL": "shop.Product"}})
def test_product_created_event_is_suppressed_for_our_own_writes():
    with suppressed_product_events():
        assert events.product_created("5") is None
    assert events.product_created("5").kind == "generate_copy"


def test_saleor_asks_for_a_draft_only_when_a_product_is_created():
    from types import SimpleNamespace
    from unittest import mock

    from ecom_ai_plugin.saleor.plugin import EcomAIPlugin

    plugin = EcomAIPlugin(configuration=[], active=True)
    saleor_product = SimpleNamespace(pk=165, id=165)
    with mock.patch("ecom_ai_plugin.events.product_created") as created, mock.patch("ecom_ai_plugin.events.product_changed"):
        plugin.product_created(saleor_product, previous_value=None, webhooks=None)
        plugin.product_updated(saleor_product, previous_value=None, webhooks=None)
        with suppressed_product_events():
            plugin.product_created(saleor_product, previous_value=None, webhooks=None)
    assert [call.args for call in created.call_args_list] == [("165",)]


# -- the real model, end to end ---------------------------------------------------------------


@requires_models
def test_real_model_generates_a_grounded_draft_that_staff_can_publish(staff):
    product = make_product(
        "Organic Apple Juice", category="Drinks", description="",
        attributes={"Volume": "1 l", "Origin": "Poland", "Flavour": "apple"},
    )
    job = drafts.request_generation([str(product.pk)], CopyRequest(length="short", candidates=2), requested_by=staff)
    assert jobs.execute(str(job.pk)) == JobStatus.SUCCEEDED
    draft = ContentDraft.objects.get(job=job)
    assert draft.model_name and draft.prompt_version
    assert "<" not in draft.text
    for claim in draft.unsupported_claims:
        assert draft.text[claim["start"] : claim["end"]] == claim["text"]
    if not draft.text:
        assert draft.problem  # said clearly, not offered
        return
    if draft.unsupported_claims:
        with pytest.raises(drafts.DraftError):
            drafts.publish(draft, user=staff)
        drafts.edit(draft, "Organic apple juice from Poland, 1 l.", user=staff)
    drafts.publish(draft, user=staff)
    assert draft.status == "published"


def test_a_draft_of_a_kind_this_version_does_not_write_can_still_be_edited(product, staff):
    # an older draft (its kind renamed or dropped since) is checked for claims, without a length to judge by
    old = draft_for(product, "A green tent.", kind="description")
    drafts.edit(old, "A green tent, made in Italy.", user=staff)
    old.refresh_from_db()
    assert old.text == "A green tent, made in Italy." and "Italy" in " ".join(c["text"] for c in old.unsupported_claims)
