"""How the plugin's tables refer to the shop's objects.

Shop objects are referenced by key (a string column holding the shop's primary
key, so integers and UUIDs both fit), never by foreign key: one set of
migrations then serves Saleor and any Django shop.
"""

KEY_LENGTH = 64


def is_valid_pk(model: type, key: object) -> bool:
    """Whether ``key`` can be a primary key of ``model``: of its type and, for integers, within the
    database column's range (SQLite cannot even bind an integer of 2**63: an ``OverflowError``)."""
    field = model._meta.pk
    try:
        field.run_validators(field.to_python(key))
    except Exception:
        return False
    return True


#: Where a key's scope ends: the app server's keys are ``"<installation>:<Saleor id>"``.
SCOPE_SEPARATOR = ":"
#: The longest scope stored (an installation id and the separator).
SCOPE_LENGTH = 24


def key_scope(key: object) -> str:
    """The shop a key belongs to on a server that serves several: its text up to the first ``:``, with it.

    ``"3:165"`` is installation 3's (``"3:"``); a key without ``:`` (a Django
    shop's, Saleor's in-process) has the empty scope. Aggregates that mix
    keys (sales per day, review aspects, click-through) are stored per scope
    so each Saleor's dashboard reads its own.
    """
    text = str(key or "")
    head, sep, _ = text.partition(SCOPE_SEPARATOR)
    return head + sep if sep and len(head) < SCOPE_LENGTH else ""
