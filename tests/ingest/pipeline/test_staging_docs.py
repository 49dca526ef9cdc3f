"""Which documents a concept's lesson is written from (``StagedRun.docs_for``)."""

from __future__ import annotations

from pathlib import Path

from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.pipeline.codec import doc_to_json
from teachback.ingest.pipeline.staging import StagedRun, Staging
from teachback.ingest.readers import load_sources

SAMPLES = Path(__file__).resolve().parents[3] / "data" / "samples"


def _run() -> tuple[StagedRun, dict[str, str]]:
    docs = load_sources([str(SAMPLES)]).documents
    run = StagedRun(Staging(None), "t")
    run.put("docs", [doc_to_json(d) for d in docs])
    return run, {Path(d.path).name: d.path for d in docs}


def _evidence(path: str) -> list[Evidence]:
    return [Evidence(source=path, start=0, end=3, quote="def", role="code")]


def test_a_code_concept_gets_the_notes_that_name_it_as_prose_spells_it():
    run, path = _run()
    fnv1a = ConceptDraft(
        name="fnv1a",
        aliases=["hashkit.hashing.fnv1a"],
        kind="code",
        evidence=_evidence(path["hashing.py"]),
    )
    # "**FNV-1a**" in the Markdown notes, "FNV-1a" in the notebook's prose
    assert [Path(d.path).name for d in run.docs_for(fnv1a)] == [
        "hashing.py",
        "hash_tables.md",
        "hash_tables_in_practice.ipynb",
    ]


def test_a_term_keeps_the_documents_of_its_evidence_only():
    run, path = _run()
    term = ConceptDraft(name="fnv1a", kind="term", evidence=_evidence(path["hashing.py"]))
    assert [Path(d.path).name for d in run.docs_for(term)] == ["hashing.py"]


def test_a_code_concept_gets_the_code_files_that_call_it():
    run, path = _run()
    # bucket_index is defined in hashing.py and called by the tables of chaining.py and
    # probing.py: where its lesson finds its uses
    index = ConceptDraft(name="bucket_index", kind="code", evidence=_evidence(path["hashing.py"]))
    names = [Path(d.path).name for d in run.docs_for(index)]
    assert names[0] == "hashing.py"
    assert {"chaining.py", "probing.py"} <= set(names)
