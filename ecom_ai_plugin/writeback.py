"""Telling our own product writes apart from the shop's.

When the plugin writes to a product (publishing an approved description,
reverting one), the shop reports that save like any other: Saleor calls the
``product_updated`` hook, Django sends ``post_save``. Without a guard that
would queue new work for text we just produced, which may produce a new
draft, and so on. Code that writes products wraps the write in
:func:`suppressed_product_events`; every event source checks
:func:`product_events_suppressed` before recording anything.

A context variable (not a global flag) keeps the guard local to the thread or
task doing the write, so another request saving the same product at the same
moment is still seen.

Saleor calls its hooks on commit when a transaction is open, so the block
must enclose the whole transaction (``with suppressed_product_events():``
outside ``with transaction.atomic():``), or the hooks run after the guard
is gone.
"""
from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

_suppressed: contextvars.ContextVar[int] = contextvars.ContextVar("ecom_ai_product_events_suppressed", default=0)


@contextlib.contextmanager
def suppressed_product_events() -> Iterator[None]:
    """Ignore product events raised by the code inside the block.

    Nests safely: the guard is lifted when the outermost block exits, also
    when it exits with an exception.
    """
    token = _suppressed.set(_suppressed.get() + 1)
    try:
        yield
    finally:
        _suppressed.reset(token)


def product_events_suppressed() -> bool:
    """Whether the current code runs inside :func:`suppressed_product_events`."""
    return _suppressed.get() > 0
