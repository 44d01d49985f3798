"""Storefront widgets, one module of template tags per feature.

``{% load ecom_ai %}`` gives a template all of them: the library in
``templatetags/ecom_ai.py`` gathers the tags of the modules listed there.
"""
