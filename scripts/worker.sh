#!/usr/bin/env bash
# Keep a Celery worker running: start it, and start it again whenever it exits
# (a crash, a kill, an unrecoverable broker error), after a short pause that
# doubles while it keeps failing at once. SIGTERM or SIGINT stops the worker
# and this loop. Arguments go to `celery`; run from the project folder:
#   bash scripts/worker.sh -A sandbox worker -Q ecom_ai_gpu,ecom_ai_cpu -c 1 -l info
set -uo pipefail
PY=${PY:-python}
PAUSE=${RESTART_PAUSE:-2}
child=""
stopping=0
stop() {
  stopping=1
  if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child" 2>/dev/null; fi
  exit 0
}
trap stop TERM INT
pause=$PAUSE
while [ "$stopping" = 0 ]; do
  started=$(date +%s)
  "$PY" -m celery "$@" &
  child=$!
  wait "$child"
  code=$?
  child=""
  [ "$stopping" = 1 ] && break
  if [ $(( $(date +%s) - started )) -gt 60 ]; then pause=$PAUSE; fi
  echo "worker.sh: the worker exited with status $code; starting it again in ${pause}s" >&2
  sleep "$pause" & wait $!
  pause=$(( pause < 60 ? pause * 2 : 60 ))
done
