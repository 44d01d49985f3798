#!/usr/bin/env bash
# Set up and start the sandbox shop with its Celery worker (and beat) on
# embedded defaults: SQLite and a file-system broker, no servers needed.
#   PORT  where the shop listens (default 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-.venv}
PORT=${PORT:-8000}
STARTED=$(date +%s)

if [ ! -f sandbox/var/sandbox.sqlite3 ]; then
  echo "==> First start: about 2-3 minutes on a 2-core machine with a warm package cache"
  echo "    (environment about 50 s, then the shop's stages listed below, about 65 s); later starts take seconds."
  echo "    The sentiment fine-tune then runs about 10 minutes in the worker, while the shop is up."
fi
EXTRAS=ml,eval,insights bash scripts/setup_env.sh
PY="$ROOT/$VENV/bin/python"
echo "==> environment ready after $(( $(date +%s) - STARTED )) s"
cd sandbox
mkdir -p var

"$PY" manage.py shop_setup

echo "==> worker, started again whenever it exits (log: sandbox/var/worker.log)"
# Two processes: a long training job never holds up the shop's small jobs.
PY="$PY" bash "$ROOT/scripts/worker.sh" -A sandbox worker -B -Q ecom_ai_gpu,ecom_ai_cpu -c 2 -l info \
  >>var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM

echo "==> shop on http://127.0.0.1:$PORT/ after $(( $(date +%s) - STARTED )) s  (admin: /admin/, user admin / admin12345; customer demo / demo12345; jobs: /admin/ecom_ai_plugin/job/)"
# DEBUG is off (a missing page is the shop's 404): --insecure serves the static files anyway.
"$PY" manage.py runserver --insecure "127.0.0.1:$PORT"
