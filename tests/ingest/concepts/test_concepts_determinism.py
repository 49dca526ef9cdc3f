"""The concept extractor gives the same concepts whatever the process's hash seed.

Each run is a separate Python process with its own ``PYTHONHASHSEED``, so any dependence on set
or dict-of-str iteration order (which the seed changes) would show as a difference. The input
mixes the bundled samples (Markdown, a notebook, a Python package) with a generated Markdown
corpus like the one ``teachback bench ingest`` uses.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"

CHILD = r"""
import json, sys
from pathlib import Path
from teachback.benchmarks.ingest_throughput import generate_corpus
from teachback.ingest.concepts import extract_concepts
from teachback.ingest.pipeline import chunk_document
from teachback.ingest.readers import load_sources

samples, corpus = sys.argv[1], Path(sys.argv[2])
if not corpus.exists():
    generate_corpus(corpus, 0.06)
docs = load_sources([samples, str(corpus)]).documents
docs = sorted((chunk_document(d) for d in docs), key=lambda d: d.path)
concepts = extract_concepts(docs)
# A control: the order of a set of strings, which the hash seed does change.
control = list({"alpha", "beta", "gamma", "delta", "epsilon", "zeta", "eta", "theta"})
print(json.dumps({"concepts": [c.model_dump() for c in concepts], "control": control}))
"""


def _run(seed: int, corpus: Path) -> dict:
    env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONWARNINGS": "ignore"}
    p = subprocess.run(
        [sys.executable, "-c", CHILD, str(SAMPLES), str(corpus)],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert p.returncode == 0, p.stderr[-2000:]
    return json.loads(p.stdout.strip().splitlines()[-1])


def test_same_concepts_under_different_hash_seeds(tmp_path):
    corpus = tmp_path / "corpus"
    first = _run(1, corpus)
    second = _run(2, corpus)
    # The seeds really differ in these processes (else the comparison below proves nothing).
    assert first["control"] != second["control"]
    assert len(first["concepts"]) > 50
    names = [c["name"] for c in first["concepts"]]
    assert names == [c["name"] for c in second["concepts"]]
    # Whole drafts: aliases, definitions, importance, evidence spans, first_seen.
    assert first["concepts"] == second["concepts"]
