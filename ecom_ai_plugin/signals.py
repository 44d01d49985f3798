"""Signals the plugin sends, for features and shops to hook into."""
from django.dispatch import Signal

#: Sent with ``review`` (an :class:`ecom_ai_plugin.models.Review`) after a
#: review is posted or edited.
review_posted = Signal()
