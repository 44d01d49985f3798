"""The storefront endpoints and the dashboard pages answer inside a project without ``django.contrib.auth``
and ``django.contrib.admin``, as Saleor is.

DRF's default anonymous user lives in ``django.contrib.auth.models``; Saleor
installs no such app, so anything that builds it answers 500. The project of
``tests/saleor/authless/settings.py`` has no auth app, no sessions and DRF's
defaults; a subprocess migrates it and calls each storefront endpoint
and the dashboard pages (their manifest and shells; a fragment asked without
a token) through the Saleor plugin's webhook. Importing ``ecom_ai_plugin.admin``
there would fail: the pages must not need it.
"""
import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = r"""
import json
import django
django.setup()
from django.core.management import call_command
from django.test import RequestFactory
call_command("migrate", run_syncdb=True, verbosity=0)
call_command("check")
from shop.models import Category, Product
from ecom_ai_plugin.saleor.plugin import EcomAIPlugin
category = Category.objects.create(name="Tents", slug="tents")
product = Product.objects.create(name="Ridge Tent", slug="ridge-tent", category=category, price="120.00", stock=4)
key = str(product.pk)
plugin = EcomAIPlugin(configuration=[], active=True)

def call(method, path, body=None, query=None, **headers):
    factory = RequestFactory()
    url = "/plugins/global/ecom_ai.plugin/" + path
    if body is None:
        request = getattr(factory, method)(url, data=query, **headers)
    else:
        request = getattr(factory, method)(url, data=json.dumps(body), content_type="application/json", **headers)
    response = plugin.webhook(request, path, previous_value=None)
    return response.status_code

statuses = {
    "for_you": call("get", "recommendations/for_you/"),
    "trending": call("get", "recommendations/trending/"),
    "similar": call("get", "recommendations/similar/", query={"product": key}),
    "event": call("post", "recommendations/events/", {"type": "view", "product": key}),
    "event_visitor": call("post", "recommendations/events/", {"type": "view", "product": key, "visitor": "v" * 20}),
    "bad_event": call("post", "recommendations/events/", {"type": "view"}),
    "reviews": call("get", f"products/{key}/reviews/"),
    "post_review": call("post", f"products/{key}/reviews/", {"rating": 5, "text": "Great"}),
    "own_review": call("get", f"products/{key}/reviews/mine/"),
    "summary": call("get", f"products/{key}/review-summary/"),
    "unknown_product": call("get", "products/999999/reviews/"),
    "bad_token": call("post", "recommendations/events/", {"type": "view", "product": key, "visitor": "w" * 20}, HTTP_AUTHORIZATION="Bearer not-a-token"),
    "manifest": call("get", "manifest/"),
    "generate_page": call("get", "extensions/generate/"),
    "widget_page": call("get", "extensions/product-widget/"),
    "today_page": call("get", "extensions/today/"),
    "app_page": call("get", "app/"),
    "fragment_without_token": call("get", "dashboard/generate/fragment/"),
}
print("STATUSES " + json.dumps(statuses))
"""


def test_storefront_and_dashboard_answer_without_contrib_auth_and_admin(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.saleor.authless.settings",
        "ECOM_AI_AUTHLESS_DB": str(tmp_path / "db.sqlite3"),
        "SANDBOX_VAR_DIR": str(tmp_path),
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "sandbox")]),
    }
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-4000:]
    line = next(line for line in done.stdout.splitlines() if line.startswith("STATUSES "))
    statuses = json.loads(line.removeprefix("STATUSES "))
    assert statuses == {
        "for_you": 200,
        "trending": 200,
        "similar": 200,
        "event": 400,  # no session to fall back on: the storefront must send a visitor id or a token
        "event_visitor": 202,
        "bad_event": 400,
        "reviews": 200,
        "post_review": 403,  # nobody signed in: refused, not a crash
        "own_review": 403,
        "summary": 200,
        "unknown_product": 404,
        "bad_token": 202,  # a Django shop has no customer tokens: the header is not its business
        "manifest": 200,
        "generate_page": 200,
        "widget_page": 200,
        "today_page": 200,
        "app_page": 200,
        "fragment_without_token": 401,
    }, done.stderr[-4000:]


def test_no_dashboard_or_plugin_module_imports_the_admin():
    """A fragment asked with a token runs code the script above cannot reach: no import of ``admin/`` anywhere in it."""
    import ast

    offenders = []
    for path in sorted((ROOT / "ecom_ai_plugin" / "saleor").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = [node.module or ""] if isinstance(node, ast.ImportFrom) else [a.name for a in node.names] if isinstance(node, ast.Import) else []
            offenders += [f"{path.relative_to(ROOT)}: {name}" for name in names if name == "ecom_ai_plugin.admin" or name.startswith(("ecom_ai_plugin.admin.", "django.contrib.admin"))]
    assert offenders == []
