"""Small notebooks and evidence spans the lesson tests build their sources from."""

from __future__ import annotations

import json

from teachback.engine.protocol import Evidence
from teachback.ingest.readers import read_bytes


def cell(source: str, shown: str | None = None) -> dict:
    """A code cell, with ``shown`` as its recorded output when given."""
    outputs = []
    if shown is not None:
        data = {"text/plain": shown}
        outputs.append({"output_type": "execute_result", "data": data, "metadata": {}})
    return {"cell_type": "code", "source": source, "execution_count": 1, "outputs": outputs}


def md(source: str) -> dict:
    return {"cell_type": "markdown", "source": source}


def notebook(tmp_path, cells, name: str = "frames.ipynb"):
    nb = {"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    return read_bytes(str(tmp_path / name), json.dumps(nb).encode())


def evidence(doc, quote: str, role: str = "mention") -> Evidence:
    at = doc.text.index(quote)
    return Evidence(source=doc.path, start=at, end=at + len(quote), quote=quote, role=role)
