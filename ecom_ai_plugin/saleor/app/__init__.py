"""App mode: the plugin as a Saleor App, running beside Saleor in its own environment.

Saleor recommends apps over plugins for new integrations. The app server is
a Django project shipped here (``project/``) and started by one command
(``server.py``). Saleor installs it from its manifest (``manifest.py``),
sends its app token on install (``installations.py``) and signed webhooks
(``webhooks.py``, verified by ``signatures.py``); the ``saleor_app`` host
adapter (``ecom_ai_plugin/hosts/saleor_app.py``) reads and writes Saleor
through GraphQL (``graphql.py``). ``views.py`` and ``urls.py`` are the HTTP side.
"""
