"""A published curriculum whose every question is the real write-the-code exercise of the
bundled sample's ``hashkit.hashing.bucket_index`` (made and verified by the ingest code in the
real sandbox), on the fixture curriculum "water" (its concepts, lessons and order).

Import it as ``from teachback.tests.write_code_curriculum import build``."""

from __future__ import annotations

import json
from pathlib import Path

from teachback.curricula.publish import publish
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import generate_checked
from teachback.ingest.readers import load_sources
from teachback.tests.session_fixture import build_fixture_curriculum

HASHKIT = Path(__file__).resolve().parents[1] / "data" / "samples" / "hashkit"
SYMBOL = "hashkit.hashing.bucket_index"
RIGHT = "if capacity <= 0:\n    raise ValueError('no')\nreturn fnv1a(key) % capacity"
WRONG = "return 3"


def exercise():
    docs = load_sources([str(HASHKIT)]).documents
    concept = ConceptDraft(name=SYMBOL, kind="code")
    kept, _ = generate_checked(concept, [concept], docs)
    (ex,) = [x for x in kept if x.kind == "write_code" and x.data["symbol"] == SYMBOL]
    return ex


def build(db, curriculum: str = "water") -> str:
    build_fixture_curriculum(db, curriculum)
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
