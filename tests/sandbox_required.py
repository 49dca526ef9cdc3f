"""Tests that run code in the sandbox (``teachback.sandbox``: bubblewrap) call
``require_sandbox()`` first. Where the sandbox cannot start they skip, except under
TEACHBACK_STRICT=1 (as ``make test`` runs), where a missing sandbox is a failure: a green run
must not hide a missing install step."""

from __future__ import annotations

import os

import pytest

from teachback import sandbox


def require_sandbox() -> None:
    why = sandbox.available()
    if not why:
        return
    if os.environ.get("TEACHBACK_STRICT") == "1":
        pytest.fail(f"no sandbox: {why} (scripts/install-system-deps.sh)", pytrace=False)
    pytest.skip(f"no sandbox here: {why}")
