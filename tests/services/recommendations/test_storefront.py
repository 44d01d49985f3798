"""Shared widget answers: kept in the cache as long as proxies may keep them, retired by any change."""
import os

import pytest
from django.conf import settings
from django.test import override_settings

from ecom_ai_plugin.services.recommendations.store import shared_answers_changed
from ecom_ai_plugin.services.recommendations.storefront import shared_answer
from tests.factories import make_product
from tests.recommendation_data import empty_cache  # noqa: F401  (autouse)

pytestmark = pytest.mark.django_db  # a change retires answers again when its transaction commits


class Builder:
    """Builds an answer and counts how often it had to."""

    def __init__(self) -> None:
        self.built = 0

    def __call__(self) -> dict:
        self.built += 1
        return {"answer": self.built}


def test_an_answer_is_built_once_per_query_until_something_changes() -> None:
    build = Builder()
    assert shared_answer("trending", ["limit=3"], build) == shared_answer("trending", ["limit=3"], build) == {"answer": 1}
    assert shared_answer("trending", ["limit=4"], build) == {"answer": 2}, "another query, another answer"
    shared_answers_changed()
    assert shared_answer("trending", ["limit=3"], build) == {"answer": 3}


def test_for_you_and_uncacheable_answers_are_always_built() -> None:
    build = Builder()
    shared_answer("for_you", [], build)
    shared_answer("for_you", [], build)
    assert build.built == 2, "a shopper's own list is never shared"
    with override_settings(ECOM_AI={**settings.ECOM_AI, "STOREFRONT": {"HTTP_CACHE_SECONDS": 0}}):
        shared_answer("similar", ["1"], build)
        shared_answer("similar", ["1"], build)
    assert build.built == 4


REDIS = {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": settings.REDIS_URL, "KEY_PREFIX": f"ecom_ai_tests:{os.getpid()}"}
DEAD = {**REDIS, "LOCATION": "redis://127.0.0.1:1/0", "OPTIONS": {"socket_connect_timeout": 0.5}}


def in_cache(cache: dict):
    return override_settings(
        CACHES={"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}, "recommendations": cache},
        ECOM_AI={**settings.ECOM_AI, "RECOMMENDATIONS": {"CACHE": "recommendations"}},
    )


def test_answers_kept_in_redis_are_retired_by_a_change(django_capture_on_commit_callbacks) -> None:
    build = Builder()
    with in_cache(REDIS):
        from django.core.cache import caches

        caches["recommendations"].clear()
        assert shared_answer("similar", ["7"], build) == shared_answer("similar", ["7"], build) == {"answer": 1}
        with django_capture_on_commit_callbacks(execute=True):
            shared_answers_changed()  # retired now, and again once the change commits
        assert shared_answer("similar", ["7"], build) == {"answer": 2}
        caches["recommendations"].clear()


def test_a_dead_cache_only_costs_building(caplog) -> None:
    build = Builder()
    with in_cache(DEAD):
        shared_answers_changed()
        assert shared_answer("trending", [], build) == {"answer": 1}
        assert shared_answer("trending", [], build) == {"answer": 2}
    assert "recommendation cache unavailable" in caplog.text


def test_a_product_renamed_in_another_process_shows_its_new_name_here_within_a_second():
    """The sandbox's cache is each process's own: another process's rename reaches this one through the database."""
    import time

    from shop.models import Product

    from ecom_ai_plugin.services.recommendations import store

    product = make_product("Old Name Kettle", category="Kitchen")
    key = str(product.pk)
    assert store.product_facts([key])[key].name == "Old Name Kettle"  # now in this process's cache
    # another process saves the rename: its own cache is dropped, the catalog's version bumped
    Product.objects.filter(pk=product.pk).update(name="New Name Kettle")
    store.catalog_changed()  # what that process's product_changed() writes to the database
    store._catalog["read_at"] = time.monotonic()  # as if this process had read the version just before
    assert store.product_facts([key])[key].name == "Old Name Kettle"  # within the second: still the old one
    time.sleep(store.CATALOG_VERSION_SECONDS + 0.1)
    assert store.product_facts([key])[key].name == "New Name Kettle"
