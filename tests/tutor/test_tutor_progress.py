"""Progress page data: the mastery-coloured graph, mastery over time, the summary."""

import pytest

from teachback.curricula.publish import publish
from teachback.tutor import bkt
from teachback.tutor.progress import (
    concept_map,
    progress_data,
    summary,
    timeline,
    timeline_table,
)

CONCEPTS = [
    {"id": "c/a", "name": "Alpha", "unit_id": 1},
    {"id": "c/b", "name": "Beta", "unit_id": 1},
    {"id": "c/c", "name": 'Gamma "<b>bold</b>"', "unit_id": 2},
]
EDGES = [{"prerequisite": "c/a", "concept": "c/b"}, {"prerequisite": "c/b", "concept": "c/zzz"}]


def test_map_gives_each_concept_its_status_and_keeps_known_prerequisites():
    data = concept_map(
        CONCEPTS + [{"id": "c/d", "name": "Delta", "unit_id": 2}],
        EDGES + [{"prerequisite": "c/b", "concept": "c/d"}],
        {"c/a": 0.99, "c/b": 0.6, "c/c": 0.1, "c/d": 0.2}, 0.95,
        units={1: {"title": "One"}, 2: {"title": "Two"}}, due=["c/a"],
    )  # fmt: skip
    status = {c["id"]: c["status"] for c in data["concepts"]}
    assert status == {"c/a": "due", "c/b": "learning", "c/c": "ready", "c/d": "locked"}
    assert data["edges"] == [("c/a", "c/b"), ("c/b", "c/d")]  # the unknown "c/zzz" left out
    assert [c["name"] for c in data["concepts"]][2] == 'Gamma "<b>bold</b>"'  # text, as is
    assert data["units"] == [
        {"id": 1, "title": "One", "concepts": ["c/a", "c/b"], "mastered": 1, "total": 2,
         "read": 0, "ready": 1},
        {"id": 2, "title": "Two", "concepts": ["c/c", "c/d"], "mastered": 0, "total": 2,
         "read": 0, "ready": 1},
    ]  # fmt: skip


def test_map_unit_titles_are_readable_and_tell_units_apart():
    concepts = [
        {"id": "a", "name": "hash table", "unit_id": 1, "importance": 3},
        {"id": "b", "name": "key", "unit_id": 1, "importance": 1},
        {"id": "c", "name": "collision", "unit_id": 2, "importance": 2},
        {"id": "d", "name": "chaining", "unit_id": 3},
        {"id": "e", "name": "tombstone", "unit_id": 4},
    ]
    units = {1: {"title": "__init__"}, 2: {"title": "hash_tables"},
             3: {"title": "hash_tables (2)"}, 4: {"title": "open-addressing.md"}}  # fmt: skip
    titles = [u["title"] for u in concept_map(concepts, [], {}, units=units)["units"]]
    assert titles == ["Hash table, key", "Hash tables: collision", "Hash tables: chaining",
                      "Open addressing"]  # fmt: skip


def test_timeline_replays_bkt_over_the_log():
    log = [
        {"concept_id": "c/a", "correct": 1, "at": "1"},
        {"concept_id": "c/b", "correct": 0, "at": "2"},
        {"concept_id": "c/a", "correct": 1, "at": "3"},
    ]
    rows = timeline(log, {"c/a": "Alpha", "c/b": "Beta"})
    p1 = bkt.step(bkt.DEFAULT_PARAMS.prior, True)
    assert [r["concept"] for r in rows] == ["Alpha", "Beta", "Alpha"]
    assert rows[0]["p_known"] == pytest.approx(p1, abs=1e-4)
    assert rows[2]["p_known"] == pytest.approx(bkt.step(p1, True), abs=1e-4)
    assert rows[1]["p_known"] < bkt.DEFAULT_PARAMS.prior + bkt.DEFAULT_PARAMS.learn
    table = timeline_table(rows)
    assert table["answer"] == [1, 2, 3]
    assert table["Beta"][0] is None and table["Alpha"][1] == rows[0]["p_known"]


def test_summary_counts_mastered_concepts():
    assert summary({"a": 0.96, "b": 0.5}, 0.95) == {
        "mastered": 1, "read": 0, "total": 2, "share": 0.5
    }  # fmt: skip
    assert summary({}) == {"mastered": 0, "read": 0, "total": 0, "share": 0.0}
    # concepts with nothing to practise count toward the total, and toward finishing once read
    assert summary({"a": 0.96, "b": 0.5}, 0.95, readable=2, read=1) == {
        "mastered": 1, "read": 1, "total": 4, "share": 0.5
    }  # fmt: skip


def test_progress_data_for_a_learner_in_the_store(water):
    data = progress_data(water, "nobody", "water")
    assert data["summary"] == {"mastered": 0, "read": 0, "total": 4, "share": 0.0}
    assert data["timeline"] == [] and data["due"] == []
    assert [c["concept"] for c in data["concepts"]] == [
        "Evaporation", "Condensation", "Precipitation", "Runoff"
    ]  # fmt: skip
    assert ("water/evaporation", "water/condensation") in data["map"]["edges"]
    assert [c["status"] for c in data["map"]["concepts"]][:2] == ["ready", "locked"]


def test_a_concept_with_nothing_to_practise_is_a_lesson_to_read_shown_read_not_mastered(water):
    from teachback.tutor.attempts import LessonRead, record_lesson_read

    water.execute("update exercises set status = 'rejected' where concept_id = 'water/runoff'")
    publish(water, "water", "instructor")  # learners see it once published
    data = progress_data(water, "ada", "water")
    assert data["summary"] == {"mastered": 0, "read": 0, "total": 4, "share": 0.0}
    assert "Runoff" not in [c["concept"] for c in data["concepts"]]
    runoff = next(c for c in data["map"]["concepts"] if c["id"] == "water/runoff")
    assert runoff["status"] == "unpractised" and runoff["p_known"] is None

    record_lesson_read(
        water,
        LessonRead(
            event_id="s:1", learner_id="ada", curriculum_id="water", concept_id="water/runoff",
        ),
    )  # fmt: skip
    data = progress_data(water, "ada", "water")
    assert data["summary"] == {"mastered": 0, "read": 1, "total": 4, "share": 0.25}
    runoff = next(c for c in data["map"]["concepts"] if c["id"] == "water/runoff")
    assert runoff["status"] == "read" and runoff["p_known"] is None
    assert data["timeline"] == []  # marking a lesson read is not an answer
    assert progress_data(water, "bob", "water")["summary"]["read"] == 0  # ada's only
