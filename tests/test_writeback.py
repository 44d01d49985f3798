"""The guard that keeps the plugin's own product writes from re-triggering it."""
from __future__ import annotations

import threading

import pytest

from ecom_ai_plugin.writeback import product_events_suppressed, suppressed_product_events


def test_guard_is_scoped_and_nests():
    assert product_events_suppressed() is False
    with suppressed_product_events():
        assert product_events_suppressed() is True
        with suppressed_product_events():
            assert product_events_suppressed() is True
        assert product_events_suppressed() is True
    assert product_events_suppressed() is False


def test_guard_is_lifted_after_an_exception():
    with pytest.raises(ValueError), suppressed_product_events():
        raise ValueError("write failed")
    assert product_events_suppressed() is False


def test_guard_does_not_leak_into_other_threads():
    seen = []
    with suppressed_product_events():
        thread = threading.Thread(target=lambda: seen.append(product_events_suppressed()))
        thread.start()
        thread.join()
    assert seen == [False]
