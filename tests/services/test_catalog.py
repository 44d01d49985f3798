"""The catalog walk that indexing and embedding share."""
import pytest

from ecom_ai_plugin.services.catalog import walk_catalog
from tests.factories import make_product

pytestmark = pytest.mark.django_db


def test_the_whole_catalog_in_batches_in_key_order_with_progress():
    products = [make_product(f"Enamel Camping Mug {n}") for n in range(5)]
    batches, progress = [], []
    walk = walk_catalog(None, lambda batch: batches.append([p.key for p in batch]), batch_size=2, progress=lambda done, total: progress.append((done, total)))
    keys = [str(p.pk) for p in products]
    assert batches == [keys[0:2], keys[2:4], keys[4:]]
    assert progress == [(2, 5), (4, 5), (5, 5)]
    assert walk.whole and walk.seen == set(keys) and walk.missing == set()


def test_given_keys_and_the_ones_the_shop_no_longer_has():
    kept = make_product("Titanium Spork")
    gone = make_product("Folding Camp Stool")
    gone_key = str(gone.pk)
    gone.delete()
    seen = []
    walk = walk_catalog([kept.pk, gone_key, "not-a-key"], lambda batch: seen.extend(p.name for p in batch), batch_size=10)
    assert seen == ["Titanium Spork"]
    assert not walk.whole and walk.seen == {str(kept.pk)} and walk.missing == {gone_key, "not-a-key"}


def test_nothing_to_walk_calls_nothing():
    calls = []
    walk = walk_catalog([], calls.append, batch_size=3, progress=lambda done, total: calls.append((done, total)))
    assert calls == [] and walk.seen == set() and walk.missing == set()
    with pytest.raises(ValueError, match="batch_size"):
        walk_catalog(None, calls.append, batch_size=0)
