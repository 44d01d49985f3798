"""Search by meaning and by words: tokens, typo correction, query understanding, the in-memory index.

Nothing here imports torch or Django models: the web process serves
searches from these pieces (the query encoder is numpy and a small C engine).
"""
