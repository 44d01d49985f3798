#!/usr/bin/env bash
# Install what the tests need and run them against the machine's PostgreSQL
# and Redis. Extra arguments go to pytest (e.g. -m slow, tests/test_jobs.py).
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-ml,dev,eval,search-ann,insights} bash scripts/setup_env.sh

# Browser tests drive Debian's Chromium; they are skipped where it is absent.
if ! command -v chromedriver >/dev/null && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "==> chromium and chromium-driver"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null) \
    || echo "    (could not install Chromium: browser tests will be skipped)"
fi

echo "==> tests"
exec "$VENV/bin/python" -m pytest "$@"
