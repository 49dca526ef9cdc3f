"""A published curriculum in a fresh on-disk store, and helpers for classroom tests.

The curriculum is the tutor's hand-built fixture (``tests/session_fixture.py``: four water-cycle
concepts in a chain, 13 exercises), published through the real ``publish``.
"""

import pytest

from teachback.curricula.publish import publish
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tutor.classroom import sessions

INSTRUCTOR = "grace"  # an instructor username: classes belong to it


@pytest.fixture
def published(db):
    curriculum = build_fixture_curriculum(db)
    publish(db, curriculum, INSTRUCTOR)
    return db, curriculum


@pytest.fixture
def klass(published):
    """``(db, session)``: a class started by Grace on the published water curriculum."""
    db, curriculum = published
    return db, sessions.start_session(db, curriculum, INSTRUCTOR)


def build_big_curriculum(db, curriculum: str = "big", units: int = 8, concepts: int = 110) -> dict:
    """A published curriculum of ``concepts`` concepts in ``units`` units (three cloze exercises
    each), made from the water fixture's JSON export and stored by the real importer. Returns
    ``{"concepts": [ids in teaching order], "exercises": {concept id: [exercise ids]},
    "units": [[ids of unit 1], ...]}``."""
    import copy

    from teachback.curricula.db import open_db
    from teachback.curricula.export_json import export_curriculum
    from teachback.curricula.import_json import import_curriculum

    scratch = open_db(None)
    build_fixture_curriculum(scratch, "seed")
    data = export_curriculum(scratch, "seed")
    scratch.close()
    template = next(x for x in data["exercises"] if x["kind"] == "cloze")
    base = data["concepts"][0]
    data["curriculum"] = {**data["curriculum"], "id": curriculum, "title": "A big course"}
    data["concepts"], data["exercises"], data["lessons"], data["edges"] = [], [], [], []
    data["units"] = []
    per_unit = -(-concepts // units)
    for n in range(concepts):
        unit, pos = divmod(n, per_unit)
        cid, name = f"{curriculum}/c{n:03d}", f"Concept {n:03d}"
        if pos == 0:
            data["units"].append({"id": unit + 1, "title": f"Part {unit + 1}",
                                  "position": unit + 1, "concepts": []})  # fmt: skip
        data["units"][-1]["concepts"].append(cid)
        data["concepts"].append({**copy.deepcopy(base), "id": cid, "slug": f"c{n:03d}",
                                 "name": name, "unit": unit + 1, "position": pos + 1})  # fmt: skip
        data["exercises"] += [{**copy.deepcopy(template), "id": f"x{n:03d}{v}", "concept": cid,
                               "prompt": f"Fill in the blank ({v}): **{name}** is ____.",
                               "answer": name.lower()} for v in "abc"]  # fmt: skip
    import_curriculum(db, data, name="big.json")
    publish(db, curriculum, INSTRUCTOR)
    ids = [c["id"] for c in data["concepts"]]
    return {
        "concepts": ids,
        "exercises": {c: [x["id"] for x in data["exercises"] if x["concept"] == c] for c in ids},
        "units": [u["concepts"] for u in data["units"]],
    }
