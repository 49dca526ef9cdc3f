"""End-to-end ingest into an on-disk store, export, bad input, incremental re-ingest."""

from __future__ import annotations

import json
from pathlib import Path

from teachback.curricula import repository as repo
from teachback.curricula.db import open_db
from teachback.curricula.export_json import dumps, export_curriculum
from teachback.ingest.pipeline import run_ingest

TABLES = (
    "sources",
    "passages",
    "concepts",
    "aliases",
    "evidence",
    "edges",
    "lessons",
    "exercises",
    "units",
)


def snapshot(db) -> dict:
    """Every row of the curriculum tables, for whole-value comparisons."""
    return {t: [tuple(r.values()) for r in db[t].rows_where(order_by="rowid")] for t in TABLES}


def test_ingest_then_export_has_every_contract_field_and_exact_quotes(tmp_path, corpus, engine):
    db = open_db(tmp_path / "store.db")
    events = []
    summary = run_ingest(db, [corpus], curriculum="bio", engine=engine, on_progress=events.append)
    assert summary.errors == []
    assert summary.sources_read == summary.sources_new == 2
    assert summary.concepts >= 3 and summary.lessons == summary.concepts
    stages = [e["stage"] for e in events]
    for stage in ("read", "chunk", "concepts", "prerequisites", "lessons", "store"):
        assert stage in stages
    assert all({"stage", "done", "total", "message"} <= set(e) for e in events)

    data = export_curriculum(db, "bio")
    assert data["format"] == "teachback-curriculum" and data["format_version"] == 1
    assert data["curriculum"]["id"] == "bio"
    for key in ("concepts", "edges", "units", "lessons", "exercises", "sources"):
        assert isinstance(data[key], list)
    files = {}
    for s in data["sources"]:
        assert {"id", "path", "format", "title", "sha256"} <= set(s)
        assert Path(s["path"]).is_file()
        files[s["id"]] = Path(s["path"]).read_text(encoding="utf-8")
        assert s["text"] == files[s["id"]]  # Markdown: stored text is the file itself
    names = {c["name"].lower() for c in data["concepts"]}
    assert "osmosis" in names
    _assert_concepts_quote_their_sources(data, files)
    for e in data["edges"]:
        assert {"prerequisite", "concept", "kind", "reason", "weight", "status"} <= set(e)
    _assert_lessons_quote_their_sources(data, files)
    for x in data["exercises"]:
        for k in (
            "id",
            "concept",
            "kind",
            "prompt",
            "choices",
            "answer",
            "explanation",
            "difficulty",
            "citations",
            "data",
            "self_check",
            "status",
        ):
            assert k in x
        for cite in x["citations"]:
            assert files[cite["source"]][cite["start"] : cite["end"]] == cite["quote"]
    # deterministic: the same store exports the same bytes
    assert dumps(export_curriculum(db, "bio")) == dumps(data)
    # full-text search over the stored passages
    hits = repo.search_passages(db, "bio", "what is turgor pressure?", limit=3)
    assert hits and "turgor" in hits[0]["text"].lower()
    db.close()


def _assert_concepts_quote_their_sources(data: dict, files: dict[str, str]) -> None:
    checked = 0
    for c in data["concepts"]:
        assert {"id", "name", "aliases", "definition", "importance", "unit", "evidence"} <= set(c)
        assert c["unit"] in {u["id"] for u in data["units"]}
        for ev in c["evidence"]:
            assert {"source", "start", "end", "quote"} <= set(ev)
            assert files[ev["source"]][ev["start"] : ev["end"]] == ev["quote"]
            checked += 1
    assert checked >= len(data["concepts"])


def _assert_lessons_quote_their_sources(data: dict, files: dict[str, str]) -> None:
    concept_ids = {c["id"] for c in data["concepts"]}
    for lesson in data["lessons"]:
        assert lesson["concept"] in concept_ids and lesson["text"].strip()
        assert lesson["citations"], lesson
        for cite in lesson["citations"]:
            assert files[cite["source"]][cite["start"] : cite["end"]] == cite["quote"]


def test_broken_notebook_beside_a_good_file(tmp_path, engine):
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "ok.md").write_text(
        "# Osmosis\n\nOsmosis is the movement of water across a semipermeable membrane.\n"
    )
    (folder / "broken.ipynb").write_text('{"cells": [')
    db = open_db(tmp_path / "m.db")
    summary = run_ingest(db, [folder], curriculum="c", engine=engine)
    assert len(summary.errors) == 1 and "broken.ipynb" in summary.errors[0]
    assert "\n" not in summary.errors[0]
    assert "osmosis" in {c["name"].lower() for c in repo.get_concepts(db, "c")}
    rows = {Path(s["path"]).name: s for s in repo.get_sources(db, "c")}
    assert rows["broken.ipynb"]["status"] == "error"
    assert "broken.ipynb" in rows["broken.ipynb"]["error"]
    assert rows["ok.md"]["status"] == "ok"


def test_a_source_that_turns_bad_keeps_everything_stored_for_it(tmp_path, corpus, engine):
    db = open_db(tmp_path / "s.db")
    run_ingest(db, [corpus], curriculum="bio", engine=engine)
    before = snapshot(db)
    (corpus / "cells.md").write_bytes(b"")  # now an empty file: an error
    summary = run_ingest(db, [corpus], curriculum="bio", engine=engine)
    assert len(summary.errors) == 1 and "cells.md" in summary.errors[0]
    after = snapshot(db)
    for table in TABLES:
        if table != "sources":
            assert after[table] == before[table], table
    src = [
        s
        for s in repo.get_sources(db, "bio", include_text=True)
        if s["path"].endswith("cells") or s["path"].endswith("cells.md")
    ][0]
    assert src["status"] == "error" and "cells.md" in src["error"]
    assert src["text"] and "Turgor" in src["text"]  # the text as last ingested is kept


def test_reingest_unchanged_is_a_noop(tmp_path, corpus, double_engine):
    db = open_db(tmp_path / "n.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    before = snapshot(db)
    calls = dict(double_engine.calls)
    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert summary.sources_unchanged == 2 and summary.sources_new == summary.sources_changed == 0
    assert summary.lessons_written == 0 and summary.exercises_kept == 0
    assert double_engine.calls == calls  # nothing recomputed
    assert snapshot(db) == before  # no duplicate rows, nothing rewritten


def test_reingest_changed_source_redoes_only_what_depends_on_it(tmp_path, corpus, double_engine):
    db = open_db(tmp_path / "c.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    osmosis_src = repo.source_id("bio", str(corpus / "osmosis.md"))
    passages_before = repo.get_passages(db, osmosis_src)
    lesson_before = repo.get_lesson(db, "bio/osmosis")
    turgor_before = repo.get_lesson(db, "bio/turgor")
    lessons_before = double_engine.calls["lesson"]

    text = (corpus / "cells.md").read_text()
    (corpus / "cells.md").write_text(
        text.replace("Turgor is the pressure of water", "Turgor is the outward pressure of water")
    )
    summary = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert summary.sources_changed == 1 and summary.sources_unchanged == 1
    # only the concept whose evidence changed got a new lesson
    assert double_engine.calls["lesson"] - lessons_before == summary.lessons_written == 1
    assert repo.get_passages(db, osmosis_src) == passages_before
    assert repo.get_lesson(db, "bio/osmosis") == lesson_before
    turgor = repo.get_concept(db, "bio/turgor")
    assert "outward pressure" in turgor["definition"]
    assert turgor["rev"] == 2
    assert repo.get_lesson(db, "bio/turgor") != turgor_before
    # one row per concept, per source: nothing duplicated
    assert db["concepts"].count == 4 and db["sources"].count == 2
    assert db["exercises"].count_where("status = 'kept'") == 4


def test_instructor_edits_survive_a_reingest(tmp_path, corpus, double_engine):
    db = open_db(tmp_path / "e.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    with db.atomic():
        db["concepts"].update("bio/turgor", {"definition": "Instructor's own words.", "edited": 1})
        db["lessons"].update(
            "bio/osmosis", {"text": "A lesson the instructor rewrote.", "edited": 1}
        )
        ex = repo.get_exercises(db, "bio", "bio/diffusion")[0]
        db["exercises"].update(ex["id"], {"prompt": "Edited prompt?", "edited": 1})
        db["concepts"].insert(
            {
                "id": "bio/water",
                "curriculum_id": "bio",
                "slug": "water",
                "name": "Water",
                "definition": "H2O.",
                "origin": "instructor",
                "edited": 1,
                "rev": 1,
            }
        )
        db["edges"].insert(
            {
                "curriculum_id": "bio",
                "prerequisite": "bio/water",
                "concept": "bio/osmosis",
                "kind": "prerequisite",
                "weight": 1.0,
                "reason": "instructor",
                "origin": "instructor",
                "status": "active",
            }
        )
    turgor_evidence = repo.get_concept(db, "bio/turgor")["evidence"]

    # every source changes a little: everything not protected is recomputed
    for f in corpus.glob("*.md"):
        f.write_text("Preface line added.\n\n" + f.read_text())
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)

    turgor = repo.get_concept(db, "bio/turgor")
    assert turgor["definition"] == "Instructor's own words." and turgor["edited"] == 1
    # its evidence was re-anchored by quote into the changed source (shifted by the preface)
    shift = len("Preface line added.\n\n")
    assert [(e["start"], e["quote"]) for e in turgor["evidence"]] == [
        (e["start"] + shift, e["quote"]) for e in turgor_evidence
    ]
    text = repo.get_source(db, turgor["evidence"][0]["source"])["text"]
    assert all(text[e["start"] : e["end"]] == e["quote"] for e in turgor["evidence"])
    assert repo.get_lesson(db, "bio/osmosis")["text"] == "A lesson the instructor rewrote."
    assert repo.get_exercise(db, ex["id"])["prompt"] == "Edited prompt?"
    assert repo.get_concept(db, "bio/water")["definition"] == "H2O."
    edges = repo.get_edges(db, "bio")
    assert any(e["prerequisite"] == "bio/water" and e["origin"] == "instructor" for e in edges)


def test_export_of_an_empty_store_curriculum_lists_nothing(db):
    repo.ensure_curriculum(db, "empty")
    data = export_curriculum(db, "empty")
    assert [data[k] for k in ("concepts", "edges", "units", "lessons", "exercises", "sources")] == [
        [],
        [],
        [],
        [],
        [],
        [],
    ]
    assert json.loads(dumps(data)) == data


def test_lessons_only_run_then_a_run_that_adds_the_exercises(tmp_path, corpus, double_engine):
    db = open_db(tmp_path / "p.db")
    first = run_ingest(db, [corpus], curriculum="bio", engine=double_engine, exercises=False)
    assert first.lessons == 4 and db["exercises"].count == 0
    assert first.exercises_skipped == "turned off for this run"
    lessons = repo.get_lessons(db, "bio")
    # nothing changed on disk, but the concepts still lack exercises: this run makes them
    second = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert second.exercises_kept == 4 and second.lessons_written == 4
    assert [(x["concept_id"], x["text"]) for x in repo.get_lessons(db, "bio")] == [
        (x["concept_id"], x["text"]) for x in lessons
    ]
    # and now the curriculum is complete: a third run is a no-op
    before = snapshot(db)
    third = run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert third.lessons_written == 0 and snapshot(db) == before


def test_ingest_edge_that_would_close_a_cycle_with_an_instructor_edge_is_removed(
    tmp_path, corpus, double_engine, monkeypatch
):
    from teachback.engine.protocol import EdgeDraft

    def link(concepts, documents):
        return [EdgeDraft(prerequisite="Osmosis", concept="Turgor", reason="turgor uses it")]

    monkeypatch.setattr(double_engine, "link_prerequisites", link)
    db = open_db(tmp_path / "cy.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert [(e["prerequisite"], e["concept"]) for e in repo.get_edges(db, "bio")] == [
        ("bio/osmosis", "bio/turgor")
    ]
    with db.atomic():
        db.execute("delete from edges")
        db["edges"].insert(
            {
                "curriculum_id": "bio",
                "prerequisite": "bio/turgor",
                "concept": "bio/osmosis",
                "kind": "prerequisite",
                "weight": 1.0,
                "reason": "instructor",
                "origin": "instructor",
                "status": "active",
            }
        )
    (corpus / "cells.md").write_text((corpus / "cells.md").read_text() + "\nMore.\n")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    edges = {(e["prerequisite"], e["concept"]): e for e in repo.get_edges(db, "bio", statuses=None)}
    assert edges[("bio/turgor", "bio/osmosis")]["status"] == "active"
    removed = edges[("bio/osmosis", "bio/turgor")]
    assert removed["status"] == "removed" and "cycle" in removed["reason"]


def _touch_sources(corpus, line: str) -> None:
    """Every source changes a little, so every concept is proposed again."""
    for f in corpus.glob("*.md"):
        f.write_text(line + "\n\n" + f.read_text())


def test_a_concept_the_instructor_deleted_stays_deleted_after_a_reingest(
    tmp_path, corpus, double_engine
):
    from teachback.curricula import edits

    db = open_db(tmp_path / "d.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    turgor = repo.get_concept(db, "bio/turgor")
    edits.delete_concept(db, "bio/turgor", rev=turgor["rev"], who="ines")
    _touch_sources(corpus, "Preface line added.")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    ids = {c["id"] for c in repo.get_concepts(db, "bio")}
    assert "bio/turgor" not in ids
    assert "bio/osmosis" in ids  # the rest came through


def test_an_undone_delete_lets_the_reingest_keep_the_concept(tmp_path, corpus, double_engine):
    from teachback.curricula import edits

    db = open_db(tmp_path / "u.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    turgor = repo.get_concept(db, "bio/turgor")
    deleted = edits.delete_concept(db, "bio/turgor", rev=turgor["rev"], who="ines")
    edits.undo(db, deleted, who="ines")
    _touch_sources(corpus, "Another line.")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    assert repo.get_concept(db, "bio/turgor")["name"].lower() == "turgor"  # still there


def test_a_delete_can_be_undone_after_a_reingest(tmp_path, corpus, double_engine):
    from teachback.curricula import edits

    db = open_db(tmp_path / "r.db")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)
    turgor = repo.get_concept(db, "bio/turgor")
    deleted = edits.delete_concept(db, "bio/turgor", rev=turgor["rev"], who="ines")
    _touch_sources(corpus, "Preface line added.")
    run_ingest(db, [corpus], curriculum="bio", engine=double_engine)  # new evidence rows
    edits.undo(db, deleted, who="ines")  # the deleted rows' ids were not handed out again
    back = repo.get_concept(db, "bio/turgor")
    assert back["name"].lower() == "turgor" and back["evidence"] == turgor["evidence"]


def test_an_ingest_runs_with_a_larger_young_generation_and_restores_it(tmp_path, corpus, engine):
    import gc

    from teachback.ingest.pipeline import INGEST_GC_THRESHOLD0

    before = gc.get_threshold()
    during = []
    run_ingest(
        open_db(tmp_path / "store.db"),
        [corpus],
        curriculum="bio",
        engine=engine,
        on_progress=lambda e: during.append(gc.get_threshold()),
    )
    assert during and all(t[0] == max(INGEST_GC_THRESHOLD0, before[0]) for t in during)
    assert gc.get_threshold() == before
