#!/usr/bin/env bash
# Set up and start the sandbox shop with its Celery worker (and beat) on
# embedded defaults: SQLite and a file-system broker, no servers needed.
#   PORT  where the shop listens (default 8000)
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
VENV=${VENV:-.venv}
PORT=${PORT:-8000}

EXTRAS=ml bash scripts/setup_env.sh
PY="$ROOT/$VENV/bin/python"
cd sandbox
mkdir -p var

echo "==> database"
"$PY" manage.py migrate --noinput -v 0
FRESH=$("$PY" manage.py shell -v 0 -c 'from shop.models import Product; print(not Product.objects.exists())')
if [ "$FRESH" = "True" ]; then
  echo "==> demo data"
  "$PY" manage.py shop_demo_data
  "$PY" manage.py ecom_ai_backfill interactions --no-progress
fi
if [ "$("$PY" manage.py shell -v 0 -c 'from ecom_ai_plugin.services.model_versions import active_version; print(active_version("sentiment") is not None)')" = "False" ]; then
  echo "==> review sentiment (a quick first version from the demo reviews; retrain with ecom_ai_train sentiment)"
  "$PY" manage.py ecom_ai_train sentiment --quick --activate
fi
if [ "$FRESH" = "True" ]; then
  echo "==> review analysis and summaries"
  "$PY" manage.py ecom_ai_reviews analyse
fi
echo "==> embeddings"
"$PY" manage.py ecom_ai_backfill embeddings
echo "==> search index"
"$PY" manage.py ecom_ai_backfill search
if [ "$("$PY" manage.py shell -v 0 -c 'from ecom_ai_plugin.services.model_versions import active_version; print(active_version("recommender") is not None)')" = "False" ]; then
  echo "==> recommender (first training; the worker retrains nightly)"
  "$PY" manage.py ecom_ai_train recommender --max-seconds 30
fi

echo "==> worker (log: sandbox/var/worker.log)"
"$PY" -m celery -A sandbox worker -B -Q ecom_ai_gpu,ecom_ai_cpu -c 1 -l info \
  >var/worker.log 2>&1 &
WORKER=$!
trap 'kill $WORKER 2>/dev/null; wait $WORKER 2>/dev/null' EXIT INT TERM

echo "==> shop on http://127.0.0.1:$PORT/  (admin: /admin/, user admin / admin12345; customer demo / demo12345)"
"$PY" manage.py runserver "127.0.0.1:$PORT"
