"""The staff side inside the Saleor Dashboard: extension pages, their token check, their data and actions.

The dashboard loads each page in an iframe and hands it a short-lived JWT
over ``postMessage``; the page's script sends that token with every request
(``authorization-bearer`` and ``saleor-api-url`` headers), and
:mod:`.auth` checks it before anything is read or changed. The pages are
Django templates: a shell (:mod:`.views`), and fragments rendered from
:mod:`.panels` that the script fetches with the token. Actions
(:mod:`.actions`) call the same services as the Django admin.
"""
