"""A published curriculum whose every question is the real write-the-code exercise of the
bundled sample's ``hashkit.hashing.bucket_index`` (made and verified by the ingest code in the
real sandbox), on the fixture curriculum "water" (its concepts and order). Every concept's
lesson is the one ingest writes for ``bucket_index``: its source in full (the body the exercise
asks for included, as stored), cited in ``hashkit/hashing.py``.

Import it as ``from teachback.tests.write_code_curriculum import build``."""

from __future__ import annotations

import json
from pathlib import Path

from teachback.curricula.publish import publish
from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.exercises import generate_checked
from teachback.ingest.lessons import write_lesson
from teachback.ingest.readers import load_sources
from teachback.tests.session_fixture import build_fixture_curriculum

HASHKIT = Path(__file__).resolve().parents[1] / "data" / "samples" / "hashkit"
SYMBOL = "hashkit.hashing.bucket_index"
RIGHT = "if capacity <= 0:\n    raise ValueError('no')\nreturn fnv1a(key) % capacity"
WRONG = "return 3"
BODY_LINE = "return fnv1a(key) % capacity"  # the last line of the body the learner writes


def exercise():
    docs = load_sources([str(HASHKIT)]).documents
    concept = ConceptDraft(name=SYMBOL, kind="code")
    kept, _ = generate_checked(concept, [concept], docs)
    (ex,) = [x for x in kept if x.kind == "write_code" and x.data["symbol"] == SYMBOL]
    return ex


def lesson():
    """The lesson ingest writes for ``bucket_index`` (its own source leads it)."""
    docs = load_sources([str(HASHKIT)]).documents
    (doc,) = [d for d in docs if d.path.endswith("hashing.py")]
    start = doc.text.index("def bucket_index")
    end = doc.text.index(BODY_LINE) + len(BODY_LINE)
    evidence = Evidence(
        source=doc.path, start=start, end=end, quote=doc.text[start:end], role="code"
    )
    concept = ConceptDraft(name=SYMBOL, kind="code", evidence=[evidence])
    return doc, write_lesson(concept, docs)


def _store_lesson(db, curriculum: str) -> None:
    doc, written = lesson()
    source = f"{curriculum}-hashing-py"
    db["sources"].insert(
        {"id": source, "curriculum_id": curriculum, "path": "hashkit/hashing.py",
         "format": "code", "title": "hashkit/hashing.py", "sha256": "", "size": len(doc.text),
         "text": doc.text, "language": "python", "status": "ok", "error": "",
         "ingested_at": "2026-01-01T00:00:00+00:00"}
    )  # fmt: skip
    citations = [{**c.model_dump(), "source": source} for c in written.citations]
    for row in db.query("select concept_id from lessons l join concepts c on c.id = l.concept_id "
                        "where c.curriculum_id = ?", [curriculum]):  # fmt: skip
        db["lessons"].update(
            row["concept_id"], {"text": written.text, "citations": json.dumps(citations)}
        )


def build(db, curriculum: str = "water") -> str:
    build_fixture_curriculum(db, curriculum)
    _store_lesson(db, curriculum)
    ex = exercise()
    rows = list(db.query("select id from exercises where curriculum_id = ?", [curriculum]))
    for n, row in enumerate(rows):
        db["exercises"].update(
            row["id"],
            {
                "kind": "write_code",
                "prompt": ("\u200b" * n) + ex.prompt,  # (one per row: prompts stay distinct)
                "choices": "[]",
                "answer": json.dumps(ex.answer),
                "data": json.dumps(ex.data),
                "difficulty": 0.5,
            },
        )
    publish(db, curriculum, "test")
    return curriculum
