"""Recommendations.

Shoppers' data comes in through ``interactions`` (orders) and ``tracking``
(views, clicks, searches from the storefront); ``training`` trains the
sequential model; ``lists`` precomputes every widget's list, which ``store``
keeps (database, with a cache in front); ``serving`` reads a list back under
the business rules, with fallbacks; ``storefront`` adds what a widget shows.

    from ecom_ai_plugin.services.recommendations import recommend
    recommend("similar", product_key="17", limit=4)
"""
from ecom_ai_plugin.services.recommendations.serving import WIDGETS, Recommendation, recommend

__all__ = ["WIDGETS", "Recommendation", "recommend"]
