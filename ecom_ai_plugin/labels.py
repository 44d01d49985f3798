"""Codes as words, wherever staff read them (the Django admin, the Saleor Dashboard pages).

Outside ``admin/`` because importing that package registers the ModelAdmins,
and a project without ``django.contrib.admin`` (Saleor) must still show labels.
"""
from __future__ import annotations

import re
from typing import Any

#: words shown in capitals or as written here wherever a code becomes a label
_WORDS = {
    "seo": "SEO", "ndcg": "NDCG", "hr": "HR", "id": "ID", "ids": "IDs", "url": "URL", "api": "API", "gpu": "GPU", "cpu": "CPU",
    "f1": "F1", "tfidf": "TF-IDF", "lexicon": "word lists", "zh": "Chinese", "en": "English", "mb": "MB",
}
#: codes with a label of their own
_LABELS = {
    "macro_f1": "macro-F1",
    "other": "English and other reviews",
    "chinese": "Chinese reviews",
    "sentence_accuracy": "accuracy on the labelled sentences",
    "train_seconds": "training time",
    "seconds": "time",
    "item_knn": "Item-kNN",
    "copurchase": "Co-purchase",
    "buy_again": "Buy it again",
    "sequential": "Sequential model",
}


def label(code: Any) -> str:
    """A code as words: ``"macro_f1"`` → "macro-F1", ``"valid_ndcg_at_10"`` → "Valid NDCG@10", ``"seo_title"`` → "SEO title"."""
    code = str(code)
    if code in _LABELS:
        return _LABELS[code]
    words = [_WORDS.get(word, word) for word in code.replace("-", "_").split("_") if word]
    text = re.sub(r" at (\d+)", r"@\1", " ".join(words))
    return text[:1].upper() + text[1:]
