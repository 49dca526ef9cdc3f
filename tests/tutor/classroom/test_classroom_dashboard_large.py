"""The dashboard of a real-sized class: a 110-concept curriculum in eight units, 32 learners,
stored in real SQLite through the importer and the attempt log. What a teacher sees must stay
readable: units instead of 110 columns, the learner who needs help first on top, the hardest
concept first, a drill-down into one unit."""

from datetime import UTC, datetime, timedelta

import pytest

from teachback.tests.signin import sign_in_app
from teachback.tutor.attempts import AttemptEvent, record_attempt
from teachback.tutor.classroom import dashboard, sessions
from teachback.tutor.classroom.sessions import Caller
from teachback.tutor.classroom.units import unit_cells

from .conftest import INSTRUCTOR, build_big_curriculum

LEARNERS = 32
HARD = 50  # the concept most of the class gets wrong once
ZED_STUCK_ON = 30
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@pytest.fixture
def big_class(db):
    info = build_big_curriculum(db)
    s = sessions.start_session(db, "big", INSTRUCTOR)
    members = [sessions.join(db, s.code, f"Learner {n:02d}") for n in range(LEARNERS - 1)]
    zed = sessions.join(db, s.code, "Zed")
    n = 0

    def answer(member, k, correct, variant=0):
        nonlocal n
        n += 1
        record_attempt(db, AttemptEvent(
            event_id=f"e{n}", learner_id=member.learner_id, curriculum_id="big",
            exercise_id=info["exercises"][info["concepts"][k]][variant],
            concept_id=info["concepts"][k], correct=correct, answer="" if correct else "dunno",
            at=(START + timedelta(seconds=n)).isoformat()))  # fmt: skip

    for i, m in enumerate(members):
        for k in range(i + 1):  # learner i has worked through the first i+1 concepts
            for v in range(3):
                answer(m, k, True, v)
        if i >= 10:  # 21 of them have reached the hard concept and miss it once
            answer(m, HARD, False)
            answer(m, HARD, True)
    for k in range(ZED_STUCK_ON):
        for v in range(3):
            answer(zed, k, True, v)
    for _ in range(4):
        answer(zed, ZED_STUCK_ON, False)
    return db, s, info, members, zed


def test_a_110_concept_class_of_32_reads_by_unit_and_by_trouble(big_class):
    db, s, info, members, zed = big_class
    view = dashboard.class_view(db, s.id, Caller.instructor(INSTRUCTOR),
                                now=START + timedelta(hours=2))  # fmt: skip
    assert view["assessable"] == 110 and len(view["members"]) == LEARNERS
    assert len(view["heatmap"]) == 110 * LEARNERS  # every cell is still there for drill-downs

    # The overview heatmap: 8 unit columns, not 110 concept columns.
    units = [f"Part {n}" for n in range(1, 9)]
    assert len(view["unit_heatmap"]) == 8 * LEARNERS
    assert list(dict.fromkeys(c["unit"] for c in view["unit_heatmap"])) == units
    zed_part1 = next(c for c in view["unit_heatmap"]
                     if c["learner"] == "Zed" and c["unit"] == "Part 1")  # fmt: skip
    assert (zed_part1["concepts"], zed_part1["mastered"]) == (14, 14)
    assert zed_part1["mastery"] >= view["threshold"]

    # Who needs help first: Zed, four wrong answers in a row.
    first = view["learners"][0]
    assert (first["learner"], first["misses_in_a_row"], first["answers"]) == ("Zed", 4, 94)
    assert first["accuracy"] == 0.6  # 6 of his last 10 answers were right
    assert len(view["learners"]) == LEARNERS
    assert view["learners"][-1]["misses_in_a_row"] == 0

    # The hardest concept first: 21 wrong answers on the hard one.
    hard = view["concept_trouble"][0]
    assert (hard["concept"], hard["unit"], hard["misses"]) == ("Concept 050", "Part 4", 21)
    assert view["concept_trouble"][1]["concept"] == "Concept 030"  # Zed's four misses
    by_unit = {r["unit"]: r for r in view["unit_trouble"]}
    assert [r["unit"] for r in view["unit_trouble"]] == units
    assert (by_unit["Part 4"]["misses"], by_unit["Part 3"]["misses"]) == (21, 4)
    assert by_unit["Part 8"]["concepts"] == 12 and by_unit["Part 8"]["answers"] == 0

    # Drill into unit 4: 14 concept columns for 32 learners.
    part4 = next(u["id"] for u in view["units"] if u["title"] == "Part 4")
    cells = unit_cells(view["heatmap"], view["concepts"], part4)
    assert len(cells) == 14 * LEARNERS
    assert {c["concept"] for c in cells} == {f"Concept {n:03d}" for n in range(42, 56)}

    # Pace: how far each learner got, in the order of who needs help first.
    pace = {r["learner"]: r for r in view["learner_pace"]}
    assert list(pace)[0] == "Zed"
    assert (pace["Zed"]["mastered"], pace["Zed"]["reached"]) == (30, 31)
    assert (pace["Learner 00"]["mastered"], pace["Learner 00"]["reached"]) == (1, 1)
    assert (pace["Learner 30"]["mastered"], pace["Learner 30"]["reached"]) == (31, HARD + 1)


def test_the_live_page_shows_the_big_class_by_unit(big_class, tmp_path, monkeypatch):
    import json

    from streamlit.testing.v1 import AppTest

    db, s, info, members, zed = big_class
    monkeypatch.setenv("TEACHBACK_DB", db.conn.execute("pragma database_list").fetchone()[2])
    at = AppTest.from_string("from teachback.ui.classroom import live\nlive.render()\n",
                             default_timeout=60)  # fmt: skip
    sign_in_app(at, db, INSTRUCTOR, "instructor")  # the class was started under this username
    at = at.run()
    assert not at.exception, at.exception
    assert [t.label for t in at.tabs] == ["Overview", "By unit", "By learner", "Questions"]
    specs = [json.loads(e.proto.spec) for e in at.main if e.type == "vega_lite_chart"]

    def title(spec):
        t = spec.get("title")
        return t.get("text") if isinstance(t, dict) else t

    assert [title(sp) for sp in specs] == [
        "Mastery by unit (learners who need help first)",
        "Pace: concepts mastered (bars) and furthest concept reached (red marks)",
        "Mastery in Part 4 (14 concepts)",  # the unit with the most wrong answers opens first
        "Mastery by unit",  # the learner who needs help first: Zed
    ]
    heat = specs[0]["encoding"]
    assert heat["x"]["title"] == "Unit" and heat["y"]["title"] == "Learner"
    assert heat["x"]["sort"] == [f"Part {n}" for n in range(1, 9)]
    assert heat["y"]["sort"][0] == "Zed" and len(heat["y"]["sort"]) == LEARNERS
    assert heat["color"]["scale"]["domain"] == [0, 1]
    pace_x = specs[1]["layer"][0]["encoding"]["x"]
    assert (pace_x["title"], pace_x["scale"]["domain"]) == ("Concepts (of 110)", [0, 110])
    drill = specs[2]["encoding"]["x"]
    assert drill["sort"] == [f"Concept {n:03d}" for n in range(42, 56)]
    missed = next(df.value for df in at.dataframe if "Question" in df.value.columns)
    assert missed["Question"].iloc[0] == "Fill in the blank (a): Concept 050 is ____."
