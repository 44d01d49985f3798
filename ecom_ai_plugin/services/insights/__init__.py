"""Insights for staff.

``sales`` turns the shop's orders into daily and weekly aggregates;
``forecasting`` forecasts weekly demand and when stock runs out; ``reviews``
and ``search`` keep the weekly review-aspect and search-query figures;
``dashboard`` reads all of them back, filtered, for the insights page (and
any other page: it returns data, ``charts`` draws it as SVG); ``digest``
writes the weekly digest; ``categories`` suggests categories;
``experiments`` runs A/B tests. Jobs (``tasks/insights.py``) compute
everything, nightly through beat and on demand.
"""
