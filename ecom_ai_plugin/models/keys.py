"""How the plugin's tables refer to the shop's objects.

Shop objects are referenced by key (a string column holding the shop's primary
key, so integers and UUIDs both fit), never by foreign key: one set of
migrations then serves Saleor and any Django shop.
"""

KEY_LENGTH = 64
