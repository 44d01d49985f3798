"""``{% load ecom_ai %}``: every storefront widget of the plugin in one library."""
from django import template

from ecom_ai_plugin.widgets import answers, experiments, recommendations, reviews, search

register = template.Library()
for feature in (answers, experiments, recommendations, reviews, search):
    register.tags.update(feature.register.tags)
    register.filters.update(feature.register.filters)
