"""Search: documents synced from the shop, the index each serving process holds, ranking, learning from use.

Public entry points: :func:`serving.search`, :func:`serving.suggest`,
:func:`serving.relevant_passages` (for features that retrieve a product's
facts for a question), :func:`documents.index_products`.
"""
