"""Search by meaning and by words: tokens, typo correction, query understanding, the in-memory index.

Nothing here imports torch or Django models: the web process serves
searches from these pieces (the query encoder is numpy and a small C engine).
This module, ``text`` and ``understanding`` import no numpy either, so
settings checks and URL configurations load without it.
"""

#: how results may be ranked: both signals, words only, meaning only
MODES = ("hybrid", "keyword", "semantic")
#: what happens to products out of stock
OUT_OF_STOCK = ("lower", "last", "hide", "ignore")
