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
