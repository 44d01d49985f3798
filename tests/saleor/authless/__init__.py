"""A user model without ``django.contrib.auth``, as Saleor's (for the test project in ``settings.py``)."""
