"""Learners see only published versions; publishing keeps progress; settings keys; bounded
history; the per-version cache."""

import json
import threading

import pytest
from langgraph.checkpoint.memory import InMemorySaver

from teachback.curricula import edits
from teachback.curricula.publish import publish
from teachback.errors import NotFound
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tutor import answers, learner_model, pacing, published
from teachback.tutor.learner_store import curriculum_settings
from teachback.tutor.session import TutorSessions
from teachback.tutor.session_state import HISTORY_KEEP, HISTORY_SLACK, compact_history


def key(db, payload):
    row = db.execute(
        "select kind, answer from exercises where id = ?", [payload["exercise"]["id"]]
    ).fetchone()
    value = json.loads(row[1])
    return value if row[0] in ("ordering", "matching") else answers.answer_text(value)


def concept_rev(db, cid):
    return db.execute("select rev from concepts where id = ?", [cid]).fetchone()[0]


def test_an_unpublished_curriculum_is_not_offered(db):
    build_fixture_curriculum(db)  # a draft
    tutor = TutorSessions(db, InMemorySaver())
    with pytest.raises(NotFound, match="not published yet"):
        tutor.current("ada", "water")
    publish(db, "water", "Grace")
    assert tutor.current("ada", "water")["type"] == "exercise"


def test_draft_edits_reach_learners_only_when_published(water):
    tutor = TutorSessions(water, InMemorySaver())
    first = tutor.current("ada", "water")
    cid = first["concept"]["id"]
    old = first["concept"]["name"]
    edits.rename_concept(water, cid, "Vaporisation", rev=concept_rev(water, cid), who="Grace")
    # The draft changed; the learner still sees the published name, and so does a new learner.
    assert published.load_curriculum(water, "water").by_id[cid]["name"] == old
    assert tutor.current("bob", "water")["concept"]["name"] == old
    publish(water, "water", "Grace")
    assert published.load_curriculum(water, "water").by_id[cid]["name"] == "Vaporisation"
    # The pending question of ada is the one she was shown; her next step uses version 2.
    assert tutor.current("ada", "water") == first
    nxt = tutor.answer("ada", "water", key(water, first), step=first["step"])
    names = {c["id"]: c["name"] for c in published.load_curriculum(water, "water").concepts}
    assert nxt["concept"]["name"] == names[nxt["concept"]["id"]]
    assert "Vaporisation" in names.values()


def test_publishing_a_new_version_keeps_progress_on_unchanged_concepts(water):
    tutor = TutorSessions(water, InMemorySaver())
    payload = tutor.current("ada", "water")
    first = payload["concept"]["id"]
    while payload["type"] == "exercise" and payload["concept"]["id"] == first:
        payload = tutor.answer("ada", "water", key(water, payload), step=payload["step"])
    cur1 = published.load_curriculum(water, "water")
    before = learner_model.mastery(water, "ada", cur1)
    assert before[first] >= cur1.threshold  # mastered the first concept
    # The instructor renames ANOTHER concept and publishes version 2.
    other = "water/precipitation"
    edits.rename_concept(water, other, "Rainfall", rev=concept_rev(water, other), who="Grace")
    assert publish(water, "water", "Grace") == 2
    cur2 = published.load_curriculum(water, "water")
    assert cur2.version == 2 and cur2 is not cur1
    after = learner_model.mastery(water, "ada", cur2)
    assert after[first] == pytest.approx(before[first])
    assert after[first] >= cur2.threshold
    assert cur2.by_id[other]["name"] == "Rainfall"
    # And the session goes on past the mastered concept rather than starting over.
    assert tutor.answer("ada", "water", "x", step=payload["step"])["concept"]["id"] != first


def test_rejected_exercises_and_removed_edges_stay_out(water):
    rejected = water.execute(
        "select id from exercises where concept_id = 'water/evaporation' limit 1"
    ).fetchone()[0]
    water.execute("update exercises set status = 'rejected' where id = ?", [rejected])
    water.execute("update edges set status = 'removed' where concept = 'water/condensation'")
    water.conn.commit()
    publish(water, "water", "Grace")
    cur = published.load_curriculum(water, "water")
    assert rejected not in {e["id"] for e in cur.exercises}
    assert rejected not in {e["id"] for e in cur.exercises_of("water/evaporation")}
    assert cur.prerequisites["water/condensation"] == []


def test_the_published_view_is_parsed_once_per_version_and_shared_by_threads(water):
    first = published.load_curriculum(water, "water")
    assert published.load_curriculum(water, "water") is first
    published._CURRICULA.pop(water, None)  # as after a restart: threads race to parse it
    seen, barrier = [], threading.Barrier(6)

    def load():
        barrier.wait()
        seen.append(published.load_curriculum(water, "water"))

    threads = [threading.Thread(target=load) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(seen) == 6 and all(c is seen[0] for c in seen)
    publish(water, "water", "Grace")
    assert published.load_curriculum(water, "water") is not seen[0]


@pytest.mark.parametrize(
    "settings, cap",
    [
        ({"cap_concept": "water/condensation"}, "water/condensation"),
        ({"cap": "water/condensation"}, "water/condensation"),  # the legacy key
        ({"cap": "water/runoff", "cap_concept": "water/condensation"}, "water/condensation"),
        ({}, None),
    ],
)
def test_cap_setting_and_its_legacy_alias_are_read_alike(water, settings, cap):
    water.execute(
        "update curricula set settings = ? where id = 'water'",
        [json.dumps({**settings, "mastery_threshold": 0.9})],
    )
    water.conn.commit()
    cur = published.load_curriculum(water, "water")
    assert (cur.cap, cur.threshold) == (cap, 0.9)
    assert curriculum_settings(water, "water") == pacing.PacingSettings(
        threshold=0.9, cap_concept=cap
    )


def test_a_capped_learner_is_not_taken_past_the_cap(water):
    water.execute("update curricula set settings = ? where id = 'water'",
                  [json.dumps({"cap": "water/evaporation"})])  # fmt: skip
    water.conn.commit()
    tutor = TutorSessions(water, InMemorySaver())
    payload = tutor.current("ada", "water")
    asked = set()
    for _ in range(40):
        if payload["type"] != "exercise":
            break
        asked.add(payload["concept"]["id"])
        payload = tutor.answer("ada", "water", key(water, payload), step=payload["step"])
    assert asked == {"water/evaporation"}
    assert payload["type"] in ("done", "teach_back")


def _rights(history):
    """The pacing final check's rule: right reviews per concept since its last miss."""
    out = {}
    for kind, concept, _e, correct in history:
        if kind == "review" and correct:
            out[concept] = out.get(concept, 0) + 1
        elif correct is False:
            out.pop(concept, None)
    return out


def test_the_step_history_stays_bounded_and_keeps_what_the_policy_reads():
    import random

    rng = random.Random(3)
    concepts = [f"c/{i}" for i in range(12)]
    history = []
    for n in range(3000):
        kind = rng.choice(["learn", "review", "review", "test_out", "reexplain"])
        correct = None if kind == "reexplain" else rng.random() < 0.8
        history.append([kind, rng.choice(concepts), f"e{n}", correct])
        history = compact_history(history)
        assert len(history) <= HISTORY_KEEP + HISTORY_SLACK + 4 * len(concepts)
    full = history  # compare with the uncompacted tail rule on a fresh long run
    long = [["review", "c/0", "e", True]] * 400 + [["learn", "c/1", "e", False]] * 400
    short = compact_history(long)
    assert len(short) < len(long)
    assert {c: min(n, 3) for c, n in _rights(long).items()} == _rights(short)
    assert short[-HISTORY_KEEP:] == long[-HISTORY_KEEP:]
    assert all(len(item) == 4 for item in full)
    tested = compact_history([["test_out", "c/5", "e", True]] + [["learn", "c/1", "e", True]] * 300)
    assert ["test_out", "c/5", None, None] in tested  # one test-out per unit is remembered
