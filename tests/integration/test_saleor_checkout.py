"""The plugin inside a real Saleor checkout.

Skipped unless ``ECOM_AI_SALEOR_PATH`` names a Saleor checkout whose Python
can import ``saleor``. The checks themselves (``saleor_checks.py``) run in a
subprocess with Saleor's interpreter and settings, on a throw-away test
database, and each check below reports one of them:

- the ``saleor.plugins`` entry point puts ``ecom_ai_plugin`` in
  ``INSTALLED_APPS`` and ``EcomAIPlugin`` in ``PLUGINS``;
- the plugin's migrations apply next to Saleor's, and match its models;
- Saleor's ``PluginsManager`` hooks record jobs (a created product gives an
  ``embed_product`` job for ``str(product.pk)``, also when it is created by
  a staff ``productCreate`` GraphQL mutation), a write inside
  ``suppressed_product_events()`` records none, the dashboard switch turns
  product hooks off, ``/plugins/global/ecom_ai.plugin/health`` answers;
- ``SaleorHost`` maps real products, orders and customers, without N+1
  queries, and a description written by the plugin passes Saleor's EditorJS
  validation.

How to run it::

    # a Saleor checkout (3.24 needs Python 3.12) with its dependencies, by Saleor's README
    git clone https://github.com/saleor/saleor.git /tmp/saleor && cd /tmp/saleor
    uv sync
    # the plugin, installed into Saleor's environment so that its entry point exists
    # (uv's .venv has no pip; `uv sync` removes the plugin again: install it after each)
    uv pip install -e /path/to/ecom_ai_plugin
    # then, from the plugin's checkout
    export ECOM_AI_SALEOR_PATH=/tmp/saleor
    export DATABASE_URL=postgres://postgres@127.0.0.1:5432/saleor   # Saleor's own variable
    pytest tests/integration/test_saleor_checkout.py

The database named in ``DATABASE_URL`` is not touched: ``test_<name>`` is
created beside it (the user needs CREATEDB) and dropped afterwards. Creating
it runs all of Saleor's migrations (about 13 minutes on two cores); set
``ECOM_AI_SALEOR_KEEPDB=1`` to keep it between runs (a ``test_<name>`` made
with ``createdb -T`` from a migrated Saleor database is used as it is, only
the plugin's migrations are applied). ``ECOM_AI_SALEOR_PYTHON`` picks the
interpreter when it is not ``$ECOM_AI_SALEOR_PATH/.venv/bin/python``.
Saleor's ``main`` branch imports ``pytest`` at runtime; ``uv sync`` installs it (the dev group is installed by default).
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

CHECKS_SCRIPT = Path(__file__).resolve().parent / "saleor_checks.py"
BEGIN, END = "=== ecom_ai saleor checks ===", "=== end ==="
TIMEOUT_SECONDS = int(os.environ.get("ECOM_AI_SALEOR_TIMEOUT", "1800"))


def saleor_checkout() -> Path | None:
    value = os.environ.get("ECOM_AI_SALEOR_PATH")
    return Path(value).expanduser().resolve() if value else None


def saleor_python(checkout: Path) -> str | None:
    explicit = os.environ.get("ECOM_AI_SALEOR_PYTHON")
    if explicit:
        return explicit
    for candidate in (checkout / ".venv" / "bin" / "python", checkout / "venv" / "bin" / "python"):
        if candidate.exists():
            return str(candidate)
    return shutil.which("python3")


def saleor_env(checkout: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_SETTINGS_MODULE", "PYTHONPATH")}
    env["DJANGO_SETTINGS_MODULE"] = os.environ.get("ECOM_AI_SALEOR_SETTINGS", "saleor.settings")
    # Saleor is run from its checkout, not installed as a package.
    env["PYTHONPATH"] = str(checkout)
    env.setdefault("SECRET_KEY", "ecom-ai-integration-tests")
    return env


def why_not_runnable() -> str | None:
    checkout = saleor_checkout()
    if checkout is None:
        return "set ECOM_AI_SALEOR_PATH to a Saleor checkout to run the Saleor integration suite"
    if not (checkout / "saleor").is_dir():
        return f"ECOM_AI_SALEOR_PATH={checkout} is not a Saleor checkout (no saleor/ package)"
    python = saleor_python(checkout)
    if python is None:
        return f"no Python found for the Saleor checkout {checkout}"
    probe = subprocess.run(
        [python, "-c", "import saleor"], cwd=checkout, env=saleor_env(checkout), capture_output=True, text=True, timeout=120
    )
    if probe.returncode != 0:
        return f"{python} cannot import saleor: {probe.stderr.strip().splitlines()[-1:]}"
    return None


SKIP_REASON = why_not_runnable()
pytestmark = pytest.mark.skipif(SKIP_REASON is not None, reason=SKIP_REASON or "")


@pytest.fixture(scope="module")
def results() -> dict[str, dict]:
    """Run every check once inside Saleor; ``{check name: {"ok", "detail"}}``."""
    checkout = saleor_checkout()
    assert checkout is not None
    python = saleor_python(checkout)
    installed = subprocess.run(
        [python, "-c", "import importlib.metadata as m; m.distribution('ecom-ai-plugin')"],
        cwd=checkout, env=saleor_env(checkout), capture_output=True, text=True, timeout=120,
    )
    if installed.returncode != 0:
        pytest.fail(f"ecom_ai_plugin is not installed in Saleor's environment: run `uv pip install --python {python} -e <this checkout>`")
    run = subprocess.run(
        [python, str(CHECKS_SCRIPT)],
        cwd=checkout, env=saleor_env(checkout), capture_output=True, text=True, timeout=TIMEOUT_SECONDS,
    )
    lines = run.stdout.splitlines()
    if BEGIN not in lines:
        pytest.fail(f"the checks did not start (exit {run.returncode}):\n{run.stdout[-3000:]}\n{run.stderr[-6000:]}")
    body = lines[lines.index(BEGIN) + 1 : lines.index(END) if END in lines else len(lines)]
    found = {}
    for line in body:
        if line.startswith("{"):
            item = json.loads(line)
            found[item["check"]] = item
    return found


def expect_check(results: dict[str, dict], name: str) -> None:
    assert name in results, f"check {name} did not run; ran: {sorted(results)}"
    assert results[name]["ok"], results[name]["detail"]


def test_entry_point_registers_app_and_plugin(results):
    expect_check(results, "entry_point_registers_app_and_plugin")


def test_plugin_migrations_apply(results):
    expect_check(results, "plugin_migrations_apply")


def test_models_match_migrations_under_saleor(results):
    expect_check(results, "no_missing_migrations")


def test_product_created_hook_records_embed_job(results):
    expect_check(results, "product_created_hook_records_embed_job")


def test_graphql_product_create_records_embed_job(results):
    expect_check(results, "graphql_product_create_records_embed_job")


def test_hooks_cover_products_orders_and_customers(results):
    expect_check(results, "hooks_cover_products_orders_and_customers")


def test_writeback_suppresses_product_hooks(results):
    expect_check(results, "writeback_suppresses_product_hooks")


def test_configuration_switch_gates_product_hooks(results):
    expect_check(results, "configuration_switch_gates_product_hooks")


def test_health_endpoint(results):
    expect_check(results, "health_endpoint")


def test_saleor_host_maps_a_real_product(results):
    expect_check(results, "saleor_host_maps_a_real_product")


def test_saleor_host_maps_real_orders_and_customers(results):
    expect_check(results, "saleor_host_maps_real_orders_and_customers")


def test_storefront_endpoints_answer_inside_saleor(results):
    expect_check(results, "storefront_endpoints_answer_inside_saleor")
