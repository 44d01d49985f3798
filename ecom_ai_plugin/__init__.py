"""AI operations for Saleor and Django shops.

Importing the package (and running ``manage.py check``) never imports torch:
model code lives in :mod:`ecom_ai_plugin.ml` and is imported lazily by workers.
"""

__version__ = "0.1.0"
