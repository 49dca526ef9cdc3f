"""The learner's path on the bundled samples, through the real tutor session (graph, store,
checkpoints, grading): where it starts, that a learner who answers everything right finishes,
and that no sentence comes back with another word blanked right after it was shown whole.

The samples are ingested once for the module (the real pipeline, as ``quickstart`` does) and
published; each test drives its own learner.
"""

from __future__ import annotations

from collections import Counter

import pytest

from teachback.config import SAMPLES_DIR
from teachback.curricula.db import open_db
from teachback.curricula.publish import publish
from teachback.tutor.published import exercise_passage, load_curriculum
from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

CURRICULUM = "samples"


@pytest.fixture(scope="module")
def samples(tmp_path_factory):
    from teachback.ingest.pipeline import run_ingest

    path = tmp_path_factory.mktemp("samples") / "samples.db"
    db = open_db(path)
    run_ingest(db, [str(SAMPLES_DIR)], curriculum=CURRICULUM)
    publish(db, CURRICULUM, "quickstart")
    yield db
    db.close()


def _tutor(db) -> TutorSessions:
    path = db.execute("pragma database_list").fetchone()[2]
    return TutorSessions(db, sqlite_checkpointer(sessions_path(path)), prepare=False)


def _right_answer(tutor, learner: str, payload: dict):
    if payload["type"] == "lesson":
        return "read"
    if payload["type"] == "teach_back":
        lesson = payload["lesson"]
        return lesson.get("whole") or lesson["text"]  # the lesson, told back: covers it all
    return tutor.state(learner, CURRICULUM)["exercise"]["answer"]


def drive_all_right(db, learner: str, limit: int = 600) -> tuple[dict, list[dict]]:
    """A learner who answers every question right and reads every lesson, until the tutor
    says done. Returns the last payload and every payload shown on the way."""
    tutor = _tutor(db)
    payload = tutor.current(learner, CURRICULUM)
    shown = []
    for _ in range(limit):
        if payload["type"] == "done":
            break
        shown.append(payload)
        answer = _right_answer(tutor, learner, payload)
        payload = tutor.answer(learner, CURRICULUM, answer, step=payload["step"])
    return payload, shown


@pytest.fixture(scope="module")
def all_right(samples):
    return drive_all_right(samples, "perfect")


@pytest.mark.slow
def test_the_path_starts_at_the_beginning_of_the_course(samples, all_right):
    cur = load_curriculum(samples, CURRICULUM, published_only=True)
    from teachback.tutor.learner_model import concept_graph

    graph = concept_graph(cur)
    start = graph.order[0]
    _, shown = all_right
    placement = [p for p in shown if p.get("action") == "placement"]
    # A placement question is on something built on the course's first concept: knowing it
    # skips the beginning (not a helper function of the last units, unrelated to it).
    for p in placement:
        assert start in graph.ancestors(p["concept"]["id"]), p["concept"]["name"]
    assert len({p["exercise"]["id"] for p in placement}) == len(placement)  # none asked twice
    # The first concept taught is from the first unit that has one of its own to teach (a
    # concept whose lesson is part of another's is taught with that one, not first on its own)
    from teachback.tutor.learner_model import taught_with

    first_taught = next(p for p in shown if p.get("action") in ("learn", "read"))
    units = {c["unit_id"] for c in cur.concepts if c["id"] not in taught_with(cur)}
    first_unit = min(units, key=lambda u: cur.units[u]["position"])
    assert cur.by_id[first_taught["concept"]["id"]]["unit_id"] == first_unit
    assert first_taught["concept"]["id"] not in taught_with(cur)


@pytest.mark.slow
def test_a_learner_who_answers_everything_right_finishes_the_samples(samples, all_right):
    cur = load_curriculum(samples, CURRICULUM, published_only=True)
    done, shown = all_right
    assert done["type"] == "done"
    assert done["reason"] == "every concept is mastered or its lesson read"
    progress = done["progress"]
    assert progress["mastered"] + progress["read"] == progress["total"] == len(cur.concepts)
    answered = sum(1 for p in shown if p["type"] == "exercise")
    assert answered == progress["answered"]
    # Learning (three right answers, or every question of a concept that has fewer), then the
    # final check (each question once, up to three): a few answers per concept, not dozens.
    assert answered <= 5 * len(cur.assessable), answered
    asked = Counter(p["exercise"]["id"] for p in shown if p["type"] == "exercise")
    assert max(asked.values()) == 2  # learning, then once in the final check: never more
    # Mastery moves as the learner answers right: several concepts within the first fifteen
    # steps (a question the lesson above would answer comes some steps later, from memory, so
    # a concept of two questions is mastered a few steps after its lesson, not right away).
    mastered_after = [p["progress"]["mastered"] for p in shown]
    assert mastered_after[15] >= 3, mastered_after[:16]


@pytest.mark.slow
def test_no_sentence_is_asked_again_blanked_right_after_it_was_shown_whole(samples, all_right):
    """Unless the concept has no other question left (a concept with one or two questions must
    repeat one to be mastered): then the one seen longest ago comes back."""
    cur = load_curriculum(samples, CURRICULUM, published_only=True)
    rows = {r["id"]: r for items in cur.exercise_rows.values() for r in items}
    _, shown = all_right
    asked = [rows[p["exercise"]["id"]] for p in shown if p["type"] == "exercise"]
    seen_at: dict[str, int] = {}  # passage -> the answer whose feedback last showed it
    seen: set[str] = set()  # exercises asked, or made of a passage already shown
    repeats = []
    for i, row in enumerate(asked):
        passage = exercise_passage(row)
        fresh = [
            r
            for r in cur.exercises_of(row["concept_id"])
            if r["id"] not in seen
            and not (
                exercise_passage(r)["from_passage"] and exercise_passage(r)["passage"] in seen_at
            )
        ]
        before = seen_at.get(passage["passage"])
        if passage["from_passage"] and before is not None and fresh:
            repeats.append((i - before, row["concept_id"], row["prompt"][:80]))
        seen.add(row["id"])
        if passage["passage"]:
            seen_at[passage["passage"]] = i
    assert repeats == [], "\n".join(map(str, repeats))


@pytest.mark.slow
def test_each_concept_is_taught_by_its_whole_lesson_first_and_no_passage_twice_in_a_row(
    samples, all_right
):
    """Teach first: the first step on a concept shows its lesson whole -- not withheld because
    a question would be answered by it, not cut to its one-line reminder because the learner
    is doing well -- unless every passage of it was just shown with a concept met before.
    And no step shows the same lesson text whole as the step before it."""
    from teachback.tutor.learner_model import taught_already
    from teachback.tutor.session_lesson import gives_away, untitled

    cur = load_curriculum(samples, CURRICULUM, published_only=True)
    _, shown = all_right
    met: set[str] = set()
    withheld, cut, given_away = [], [], []
    for p in shown:
        cid = p["concept"]["id"]
        if p["action"] in ("learn", "read") and cid not in met:
            lesson = p.get("lesson")
            if not lesson:
                withheld.append(cur.by_id[cid]["name"])
            elif lesson.get("brief") and not taught_already(cur, cid, met):
                cut.append(cur.by_id[cid]["name"])
            if p["type"] == "exercise" and lesson:
                ex = next(r for r in cur.exercises_of(cid) if r["id"] == p["exercise"]["id"])
                if gives_away(ex, lesson):
                    given_away.append(cur.by_id[cid]["name"])
        if p["action"] in ("learn", "read", "reexplain"):  # a check is asked without it
            met.add(cid)
    assert (withheld, cut, given_away) == ([], [], [])
    texts = [
        " ".join(untitled(p["lesson"], p["concept"]["name"])["text"].split())
        if p.get("lesson") and not p["lesson"].get("brief")
        else None
        for p in shown
    ]
    twice = [
        (i, shown[i]["concept"]["name"])
        for i in range(1, len(texts))
        if texts[i] and texts[i] == texts[i - 1]
    ]
    assert twice == []


@pytest.mark.slow
def test_the_main_line_comes_before_a_side_topic(samples):
    """Review 17: "cryptographic hash" (a contrast remark in the hash functions section,
    nothing builds on it) came between hash functions and collisions; the course's main
    concepts come first, the aside after the main concept that follows it."""
    from teachback.tutor.learner_model import concept_graph

    cur = load_curriculum(samples, CURRICULUM, published_only=True)
    at = {cur.by_id[c]["name"]: i for i, c in enumerate(concept_graph(cur).order)}
    assert at["hash function"] < at["bucket"] < at["collision"] < at["cryptographic hash"]
