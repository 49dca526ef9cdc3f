"""Shared helpers for benchmark output: a readable report, then one JSON line last."""

from __future__ import annotations

import json
import os
import platform

import click


def machine() -> dict:
    """What the figures were measured on, for docs/benchmarks.md."""
    return {
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "machine": platform.machine(),
    }


def emit(figures: dict) -> None:
    """Print the figures as the final line: one JSON object, nothing after it."""
    click.echo(json.dumps(figures, sort_keys=True))
