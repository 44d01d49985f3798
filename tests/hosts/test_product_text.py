"""Writing product text through the host adapters: the generic host on the sandbox, Saleor on stand-ins."""
from __future__ import annotations

import json
from types import SimpleNamespace

import pytest
from django.test import override_settings

from ecom_ai_plugin.hosts import get_host
from ecom_ai_plugin.hosts.base import UnsupportedFieldError
from ecom_ai_plugin.hosts.editorjs import editorjs_to_text
from ecom_ai_plugin.hosts.saleor import SaleorHost, apply_product_text, stored_product_text
from ecom_ai_plugin.models import Job
from ecom_ai_plugin.writeback import suppressed_product_events
from tests.factories import make_product

# -- generic ----------------------------------------------------------------------


@pytest.mark.django_db
def test_generic_host_writes_mapped_fields_and_returns_previous_values():
    product = make_product(description="Old text.")
    host = get_host()
    assert set(host.writable_text_fields()) == {"description", "seo_title", "seo_description"}
    previous = host.write_product_text(str(product.pk), {"description": "New text.", "seo_title": "Tent"})
    assert previous == {"description": "Old text.", "seo_title": ""}
    product.refresh_from_db()
    assert (product.description, product.seo_title) == ("New text.", "Tent")
    assert host.read_product_text(str(product.pk), ["description"]) == {"description": "New text."}


@pytest.mark.django_db
def test_generic_host_refuses_unknown_fields_missing_products_and_text_over_the_field_limit():
    product = make_product()
    host = get_host()
    with pytest.raises(UnsupportedFieldError, match="short_description"):
        host.write_product_text(str(product.pk), {"short_description": "x"})
    with pytest.raises(LookupError):
        host.write_product_text("999999", {"description": "x"})
    with pytest.raises(LookupError):
        host.write_product_text("not-a-key", {"description": "x"})
    with pytest.raises(ValueError, match="allows 70"):
        host.write_product_text(str(product.pk), {"seo_title": "x" * 71})


@pytest.mark.django_db
def test_generic_host_explains_a_mapping_to_a_missing_model_field():
    product = make_product()
    with override_settings(ECOM_AI={"GENERIC_HOST": {"PRODUCT_MODEL": "shop.Product", "WRITABLE_FIELDS": {"seo_title": "meta_title"}}}):
        with pytest.raises(UnsupportedFieldError, match="meta_title"):
            get_host().write_product_text(str(product.pk), {"seo_title": "x"})


@pytest.mark.django_db
def test_a_suppressed_write_records_no_job():
    product = make_product()
    Job.objects.all().delete()
    with suppressed_product_events():
        get_host().write_product_text(str(product.pk), {"description": "Written by the plugin."})
    assert not Job.objects.exists()


# -- Saleor (stand-ins shaped like saleor.product.models.Product) ---------------------


def saleor_product(description=None, seo_title=None, seo_description=None):
    return SimpleNamespace(
        pk=5, description=description, description_plaintext="", search_index_dirty=False,
        seo_title=seo_title, seo_description=seo_description,
    )


def test_saleor_description_becomes_editorjs_with_plaintext_and_a_dirty_search_index():
    original = {"time": 1, "version": "2.24.3", "blocks": [{"id": "x", "type": "header", "data": {"text": "Old <b>rich</b>", "level": 2}}]}
    product = saleor_product(description=original)
    previous, update_fields = apply_product_text(product, {"description": "Warm & dry.\n\nPacks small <really>."})
    assert json.loads(previous["description"]) == original
    assert [b["data"]["text"] for b in product.description["blocks"]] == ["Warm &amp; dry.", "Packs small &lt;really&gt;."]
    assert editorjs_to_text(product.description) == "Warm & dry.\n\nPacks small <really>."
    assert product.description_plaintext == "Warm & dry. Packs small <really>."
    assert product.search_index_dirty is True
    assert set(update_fields) == {"description", "description_plaintext", "search_index_dirty", "updated_at"}


def test_saleor_restore_puts_the_stored_document_back_verbatim():
    original = {"time": 1, "version": "2.24.3", "blocks": [{"id": "x", "type": "header", "data": {"text": "Old", "level": 2}}]}
    product = saleor_product(description=original)
    previous, _ = apply_product_text(product, {"description": "New."})
    apply_product_text(product, previous, stored=True)
    assert product.description == original
    empty = saleor_product()
    previous, _ = apply_product_text(empty, {"description": "New."})
    assert previous == {"description": ""}
    apply_product_text(empty, previous, stored=True)
    assert empty.description is None and empty.description_plaintext == ""


def test_saleor_seo_fields_keep_saleors_limits():
    product = saleor_product(seo_title="Old title")
    previous, update_fields = apply_product_text(product, {"seo_title": "T" * 70, "seo_description": "D" * 300})
    assert previous == {"seo_title": "Old title", "seo_description": ""}
    assert (product.seo_title, product.seo_description) == ("T" * 70, "D" * 300)
    assert set(update_fields) == {"seo_title", "seo_description", "updated_at"}
    with pytest.raises(ValueError, match="70"):
        apply_product_text(product, {"seo_title": "T" * 71})
    with pytest.raises(ValueError, match="300"):
        apply_product_text(product, {"seo_description": "D" * 301})
    assert stored_product_text(product, "seo_title") == "T" * 70


def test_saleor_has_no_short_description():
    host = SaleorHost()
    assert "short_description" not in host.writable_text_fields()
    with pytest.raises(UnsupportedFieldError, match="short_description"):
        host.write_product_text("5", {"short_description": "x"})
