"""Points a product's customers agree on, for copy generation and question answering.

Read from the product's review summary (see :mod:`.summaries`): an
aspect counts as a fact when at least ``min_mentions`` distinct approved
reviews say the same about it and clearly more reviews agree than
disagree. The text is a customer's own sentence, PII-scrubbed.
"""
from __future__ import annotations

from dataclasses import dataclass

from ecom_ai_plugin.models import ProductReviewSummary

#: the polarity a fact states must have at least this share of the aspect's polar mentions
AGREEMENT = 2 / 3


@dataclass(frozen=True)
class CustomerFact:
    aspect: str  # "quality", "size and fit", ..., or a product attribute name
    polarity: str  # "positive" | "negative"
    text: str  # a short representative sentence customers wrote (PII scrubbed)
    mentions: int  # how many distinct approved reviews agree


def confirmed_facts(product_key: str, *, min_mentions: int = 2) -> list[CustomerFact]:
    """Points a product's approved reviews agree on, strongest first; [] when none."""
    summary = ProductReviewSummary.objects.filter(product_key=str(product_key)).first()
    if summary is None:
        return []
    by_aspect: dict[str, dict[str, int]] = {}
    for point in summary.points or []:
        by_aspect.setdefault(point["aspect"], {})[point["polarity"]] = point["mentions"]
    facts = []
    for point in summary.points or []:
        counts = by_aspect[point["aspect"]]
        polar = counts.get("positive", 0) + counts.get("negative", 0)
        if point["mentions"] >= min_mentions and point["mentions"] >= AGREEMENT * polar:
            facts.append(CustomerFact(point["aspect"], point["polarity"], point["text"], point["mentions"]))
    facts.sort(key=lambda fact: (-fact.mentions, fact.polarity != "positive", fact.aspect))
    return facts
