"""Fixtures the review tests share: import them into a test module to use them."""
import pytest
from django.core.cache import cache

from tests.factories import make_product


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters live in the cache: every test starts with none."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def product():
    return make_product("Trail Tent", attributes={"Material": "Ripstop nylon"})
