"""The instructor's edits as pure operations over a real store: effects, undo, conflicts."""

import json

import pytest

from teachback.curricula import edits
from teachback.curricula.db import open_db
from teachback.errors import CycleError, EditConflict, InvalidEdit, NotFound

WHO = "alice"


def rev(db, table, key):
    pk = "concept_id" if table == "lessons" else "id"
    return db.execute(f"SELECT rev FROM {table} WHERE {pk} = ?", [key]).fetchone()[0]


def c(db, cid):
    return db["concepts"].get(cid)


# --------------------------------------------------------------------------- every edit, undone
def _do_rename(db, k):
    edits.rename_concept(db, k["osmosis"], "Water osmosis", rev=1, who=WHO)


def _do_update(db, k):
    edits.update_concept(
        db, k["osmosis"], rev=1, who=WHO, definition="New.", importance=0.9, aliases=["osmo"]
    )


def _do_add_concept(db, k):
    edits.add_concept(db, "bio", "Turgor", who=WHO, definition="Pressure.", aliases=["turgidity"])


def _do_merge(db, k):
    edits.merge_concepts(db, k["osmosis"], k["diffusion"], keep_rev=1, absorb_rev=1, who=WHO)


def _do_split(db, k):
    ev = [r["id"] for r in db["evidence"].rows_where("concept_id = ?", [k["membrane"]])]
    edits.split_concept(
        db,
        k["membrane"],
        "Plasma membrane",
        rev=1,
        who=WHO,
        evidence_ids=ev[:1],
        aliases=["plasma membrane"],
        exercise_ids=["membrane-x0"],
    )


def _do_delete(db, k):
    edits.delete_concept(db, k["diffusion"], rev=1, who=WHO)


def _do_add_edge(db, k):
    edits.add_edge(db, k["cell"], k["active"], who=WHO, reason="needs cells")


def _do_remove_edge(db, k):
    (eid,) = [r["id"] for r in db["edges"].rows_where("concept = ?", [k["osmosis"]])]
    edits.remove_edge(db, eid, who=WHO)


def _do_reorder(db, k):
    order = edits.unit_order(db, "bio")
    edits.reorder_units(db, "bio", order[::-1], expected=order, who=WHO)


def _do_move(db, k):
    edits.move_concept(db, k["osmosis"], unit_id=k["units"][0], index=0, rev=1, who=WHO)


def _do_edit_lesson(db, k):
    edits.edit_lesson(db, k["osmosis"], "Osmosis, *rewritten*.", rev=1, who=WHO)


def _do_approve(db, k):
    edits.approve_exercise(db, "osmosis-x0", rev=1, who=WHO)


def _do_reject(db, k):
    edits.reject_exercise(db, "osmosis-x1", rev=1, who=WHO, reason="too easy")


def _do_edit_exercise(db, k):
    edits.edit_exercise(db, "osmosis-x0", rev=1, who=WHO, prompt="What is osmosis, exactly?")


def _do_add_exercise(db, k):
    edits.add_exercise(
        db,
        k["osmosis"],
        who=WHO,
        kind="short_answer",
        prompt="Explain osmosis.",
        answer="water moves across a membrane",
    )


ALL_EDITS = [
    _do_rename,
    _do_update,
    _do_add_concept,
    _do_merge,
    _do_split,
    _do_delete,
    _do_add_edge,
    _do_remove_edge,
    _do_reorder,
    _do_move,
    _do_edit_lesson,
    _do_approve,
    _do_reject,
    _do_edit_exercise,
    _do_add_exercise,
]


@pytest.mark.parametrize("do", ALL_EDITS, ids=lambda f: f.__name__[4:])
def test_every_edit_is_recorded_and_undo_restores_every_row(db, course, snapshot, do):
    before = snapshot(db)
    do(db, course)
    changed = snapshot(db)
    assert changed != before  # the edit did something
    (entry,) = edits.history(db, "bio")
    assert entry["who"] == WHO and entry["at"] and not entry["undone"]

    undo_id = edits.undo(db, entry["id"], who="bob")

    assert snapshot(db) == before  # whole rows, apart from rev/updated_at
    hist = edits.history(db, "bio")
    assert [h["op"] for h in hist] == ["undo", entry["op"]]
    assert hist[1]["undone"] is True and hist[0]["who"] == "bob"
    # undoing the undo redoes the edit
    edits.undo(db, undo_id, who="bob")
    assert snapshot(db) == changed


def test_undo_bumps_rev_so_an_editor_holding_the_old_rev_conflicts(db, course):
    e = edits.rename_concept(db, course["osmosis"], "Water osmosis", rev=1, who=WHO)
    assert rev(db, "concepts", course["osmosis"]) == 2
    edits.undo(db, e, who=WHO)
    assert c(db, course["osmosis"])["name"] == "Osmosis"
    assert rev(db, "concepts", course["osmosis"]) == 3
    with pytest.raises(EditConflict):
        edits.rename_concept(db, course["osmosis"], "Other", rev=2, who="bob")


def test_undo_refuses_when_a_later_edit_touched_the_same_rows(db, course, snapshot):
    first = edits.rename_concept(db, course["osmosis"], "Water osmosis", rev=1, who=WHO)
    edits.rename_concept(db, course["osmosis"], "Osmosis (water)", rev=2, who="bob")
    state = snapshot(db)
    with pytest.raises(EditConflict, match=r"rename, bob"):
        edits.undo(db, first, who=WHO)
    assert snapshot(db) == state
    with pytest.raises(InvalidEdit, match="already undone"):
        e = edits.history(db, "bio")[0]["id"]
        edits.undo(db, e, who=WHO)
        edits.undo(db, e, who=WHO)


# --------------------------------------------------------------------------- effects
def test_rename_keeps_id_and_old_name_as_alias_and_marks_edited(db, course):
    edits.rename_concept(db, course["membrane"], "Plasma membrane", rev=1, who=WHO)
    row = c(db, course["membrane"])
    assert (row["id"], row["name"], row["edited"], row["rev"]) == (
        "bio/membrane",
        "Plasma membrane",
        1,
        2,
    )
    aliases = {r["alias"] for r in db["aliases"].rows_where("concept_id = ?", ["bio/membrane"])}
    # "plasma membrane" was an alias: it is the name now; the old name became an alias
    assert aliases == {"membrane", "Cell membrane"}


def test_merge_keeps_aliases_evidence_exercises_and_repoints_attempts(db, course):
    keep, gone = course["osmosis"], course["diffusion"]
    ev_before = {r["id"] for r in db["evidence"].rows_where("concept_id in (?, ?)", [keep, gone])}
    attempts_before = {r["id"]: r for r in db["attempts"].rows}
    gone_attempts = {r["id"] for r in db["attempts"].rows_where("concept_id = ?", [gone])}
    assert gone_attempts

    edits.merge_concepts(db, keep, gone, keep_rev=1, absorb_rev=1, who=WHO)

    assert db["concepts"].count_where("id = ?", [gone]) == 0
    assert {r["id"] for r in db["evidence"].rows_where("concept_id = ?", [keep])} == ev_before
    assert {r["alias"] for r in db["aliases"].rows_where("concept_id = ?", [keep])} == {"Diffusion"}
    assert {r["id"] for r in db["exercises"].rows_where("concept_id = ?", [keep])} == {
        "osmosis-x0",
        "osmosis-x1",
        "diffusion-x0",
        "diffusion-x1",
    }
    after = {r["id"]: r for r in db["attempts"].rows}
    assert after.keys() == attempts_before.keys()  # no attempt lost
    for aid, row in after.items():
        expected = dict(attempts_before[aid])
        if aid in gone_attempts:
            expected["concept_id"] = keep
        assert row == expected
    # membrane -> diffusion became membrane -> osmosis; diffusion -> osmosis (a self-loop) went
    edges = {(r["prerequisite"], r["concept"], r["kind"]) for r in db["edges"].rows}
    assert edges == {
        (course["cell"], course["membrane"], "prerequisite"),
        (course["membrane"], keep, "prerequisite"),
        (keep, course["active"], "related"),
    }


def test_split_moves_evidence_aliases_exercises_and_their_attempts(db, course):
    m = course["membrane"]
    ev = [r["id"] for r in db["evidence"].rows_where("concept_id = ?", [m], order_by="id")]
    moved_attempts = {r["id"] for r in db["attempts"].rows_where("exercise_id = 'membrane-x0'")}
    kept_attempts = {r["id"] for r in db["attempts"].rows_where("exercise_id = 'membrane-x1'")}
    assert moved_attempts and kept_attempts
    n_attempts = db["attempts"].count

    new = edits.split_concept(
        db,
        m,
        "Plasma membrane",
        rev=1,
        who=WHO,
        evidence_ids=[ev[1]],
        aliases=["plasma membrane"],
        exercise_ids=["membrane-x0"],
    )

    assert new == "bio/plasma-membrane"
    assert [r["id"] for r in db["evidence"].rows_where("concept_id = ?", [new])] == [ev[1]]
    assert [r["id"] for r in db["evidence"].rows_where("concept_id = ?", [m])] == [ev[0]]
    assert [r["alias"] for r in db["aliases"].rows_where("concept_id = ?", [m])] == ["membrane"]
    assert db["attempts"].count == n_attempts
    assert {r["id"] for r in db["attempts"].rows_where("concept_id = ?", [new])} == moved_attempts
    assert kept_attempts <= {r["id"] for r in db["attempts"].rows_where("concept_id = ?", [m])}
    # inherits the prerequisite cell -> membrane; placed right after the original
    assert db["edges"].count_where("prerequisite = ? AND concept = ?", [course["cell"], new]) == 1
    assert c(db, new)["position"] == c(db, m)["position"] + 1
    assert c(db, course["diffusion"])["position"] == 3
    lesson = db["lessons"].get(new)
    assert json.loads(lesson["citations"])[0]["start"] == db["evidence"].get(ev[1])["start"]


def test_delete_keeps_learner_attempts(db, course):
    n = db["attempts"].count
    edits.delete_concept(db, course["diffusion"], rev=1, who=WHO)
    assert db["concepts"].count_where("id = ?", [course["diffusion"]]) == 0
    assert db["exercises"].count_where("concept_id = ?", [course["diffusion"]]) == 0
    assert db["attempts"].count == n
    assert edits.instructor_overrides(db, "bio")["deleted"] == ["Diffusion"]


def test_review_exercise_status_and_reason(db, course):
    edits.approve_exercise(db, "osmosis-x0", rev=1, who=WHO)
    edits.reject_exercise(db, "osmosis-x1", rev=1, who=WHO, reason="gives the answer away")
    assert db["exercises"].get("osmosis-x0")["status"] == "approved"
    x1 = db["exercises"].get("osmosis-x1")
    assert (x1["status"], x1["edited"]) == ("rejected", 1)
    assert json.loads(x1["self_check"])["instructor"]["reason"] == "gives the answer away"


def test_reorder_units_and_lesson_edit(db, course):
    u1, u2 = course["units"]
    edits.reorder_units(db, "bio", [u2, u1], expected=[u1, u2], who=WHO)
    assert edits.unit_order(db, "bio") == [u2, u1]
    edits.edit_lesson(db, course["cell"], "Cells are *small*.", rev=1, who=WHO)
    row = db["lessons"].get(course["cell"])
    assert (row["text"], row["edited"], row["rev"]) == ("Cells are *small*.", 1, 2)


# --------------------------------------------------------------------------- bad input
def test_two_instructors_edit_the_same_concept_second_gets_conflict(db, course, tmp_path):
    other = open_db(tmp_path / "test.db")  # a second connection: another instructor's session
    try:
        read_by_alice = c(db, course["osmosis"])["rev"]
        read_by_bob = other["concepts"].get(course["osmosis"])["rev"]
        edits.rename_concept(db, course["osmosis"], "Water osmosis", rev=read_by_alice, who=WHO)
        with pytest.raises(EditConflict, match="alice") as err:
            edits.rename_concept(other, course["osmosis"], "Osmose", rev=read_by_bob, who="bob")
        assert "nothing was changed" in str(err.value)
        assert c(db, course["osmosis"])["name"] == "Water osmosis"
        assert len(edits.history(db, "bio")) == 1
    finally:
        other.close()


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (
            lambda db, k: edits.rename_concept(db, k["cell"], "   ", rev=1, who=WHO),
            InvalidEdit,
            "name is empty",
        ),
        (
            lambda db, k: edits.rename_concept(db, k["cell"], "osmosis", rev=1, who=WHO),
            InvalidEdit,
            "already exists",
        ),
        (
            lambda db, k: edits.rename_concept(db, "bio/nope", "X", rev=1, who=WHO),
            NotFound,
            "bio/nope",
        ),
        (lambda db, k: edits.rename_concept(db, k["cell"], "X", rev=1, who=""), InvalidEdit, "who"),
        (
            lambda db, k: edits.merge_concepts(
                db, k["cell"], k["cell"], keep_rev=1, absorb_rev=1, who=WHO
            ),
            InvalidEdit,
            "into itself",
        ),
        (
            lambda db, k: edits.merge_concepts(
                db, k["cell"], "bio/ghost", keep_rev=1, absorb_rev=1, who=WHO
            ),
            NotFound,
            "bio/ghost",
        ),
        (
            lambda db, k: edits.add_edge(db, k["cell"], k["cell"], who=WHO),
            InvalidEdit,
            "own prerequisite",
        ),
        (
            lambda db, k: edits.add_edge(db, k["cell"], k["membrane"], who=WHO),
            InvalidEdit,
            "already exists",
        ),
        (lambda db, k: edits.add_edge(db, k["cell"], "bio/ghost", who=WHO), NotFound, "ghost"),
        (lambda db, k: edits.remove_edge(db, 9999, who=WHO), NotFound, "9999"),
        (
            lambda db, k: edits.split_concept(db, k["cell"], "Cell", rev=1, who=WHO),
            InvalidEdit,
            "already exists",
        ),
        (
            lambda db, k: edits.split_concept(
                db, k["cell"], "Nucleus", rev=1, who=WHO, evidence_ids=[12345]
            ),
            InvalidEdit,
            "12345",
        ),
        (
            lambda db, k: edits.edit_lesson(db, k["cell"], "  ", rev=1, who=WHO),
            InvalidEdit,
            "empty",
        ),
        (
            lambda db, k: edits.edit_exercise(db, "cell-x0", rev=1, who=WHO, answer="nope"),
            InvalidEdit,
            "one of the choices",
        ),
        (
            lambda db, k: edits.add_exercise(
                db, k["cell"], who=WHO, kind="essay", prompt="Q", answer="A"
            ),
            InvalidEdit,
            "unknown exercise kind",
        ),
        (
            lambda db, k: edits.reorder_units(
                db, "bio", [k["units"][0]], expected=k["units"], who=WHO
            ),
            InvalidEdit,
            "every unit",
        ),
        (
            lambda db, k: edits.reorder_units(
                db, "bio", k["units"][::-1], expected=k["units"][::-1], who=WHO
            ),
            EditConflict,
            "reordered",
        ),
        (lambda db, k: edits.undo(db, 777, who=WHO), NotFound, "#777"),
    ],
)
def test_invalid_edits_are_refused_with_a_clear_message_and_change_nothing(
    db, course, snapshot, bad, error, message
):
    before = snapshot(db, drop=())
    with pytest.raises(error, match=message):
        bad(db, course)
    assert snapshot(db, drop=()) == before
    assert edits.history(db, "bio") == []


def test_an_edge_that_closes_a_cycle_is_refused_with_the_cycle_shown(db, course, snapshot):
    before = snapshot(db, drop=())
    with pytest.raises(CycleError) as err:
        edits.add_edge(db, course["osmosis"], course["cell"], who=WHO)
    assert err.value.cycle == ["Osmosis", "Cell", "Cell membrane", "Diffusion", "Osmosis"]
    assert "Osmosis -> Cell -> Cell membrane -> Diffusion -> Osmosis" in str(err.value)
    assert snapshot(db, drop=()) == before
    # a "related" edge does not order anything, so it may point backwards
    edits.add_edge(db, course["osmosis"], course["cell"], who=WHO, kind="related")


def test_a_merge_that_closes_a_cycle_is_refused(db, course, snapshot):
    # cell -> membrane -> diffusion: merging cell into diffusion would make diffusion need itself
    # through membrane.
    before = snapshot(db, drop=())
    with pytest.raises(CycleError) as err:
        edits.merge_concepts(
            db, course["diffusion"], course["cell"], keep_rev=1, absorb_rev=1, who=WHO
        )
    assert err.value.cycle[0] == err.value.cycle[-1]
    assert set(err.value.cycle) == {"Diffusion", "Cell membrane"}
    assert snapshot(db, drop=()) == before


def test_removed_edge_can_be_added_back(db, course):
    (eid,) = [r["id"] for r in db["edges"].rows_where("concept = ?", [course["osmosis"]])]
    edits.remove_edge(db, eid, who=WHO)
    with pytest.raises(EditConflict, match="already removed"):
        edits.remove_edge(db, eid, who="bob")
    assert edits.add_edge(db, course["diffusion"], course["osmosis"], who=WHO) == eid
    assert db["edges"].get(eid)["status"] == "active"


@pytest.mark.parametrize("seed", range(6))
def test_random_edit_sequences_undo_back_to_the_start(db, course, snapshot, seed):
    """Any mix of edits, undone newest first, gives back the original store (whole rows)."""
    import random

    from teachback.errors import TeachbackError

    rng = random.Random(seed)
    start = snapshot(db)

    def pick_concept():
        return rng.choice(list(db["concepts"].rows))

    def pick_exercise():
        return rng.choice(list(db["exercises"].rows))

    ops = [
        lambda: edits.rename_concept(
            db, (c := pick_concept())["id"], f"N{rng.randint(0, 999)}", rev=c["rev"], who=WHO
        ),
        lambda: edits.merge_concepts(
            db,
            (a := pick_concept())["id"],
            (b := pick_concept())["id"],
            keep_rev=a["rev"],
            absorb_rev=b["rev"],
            who=WHO,
        ),
        lambda: edits.split_concept(
            db,
            (c := pick_concept())["id"],
            f"S{rng.randint(0, 999)}",
            rev=c["rev"],
            who=WHO,
            evidence_ids=[r["id"] for r in db["evidence"].rows_where("concept_id = ?", [c["id"]])][
                :1
            ],
        ),
        lambda: edits.delete_concept(db, (c := pick_concept())["id"], rev=c["rev"], who=WHO),
        lambda: edits.add_edge(db, pick_concept()["id"], pick_concept()["id"], who=WHO),
        lambda: edits.reject_exercise(db, (x := pick_exercise())["id"], rev=x["rev"], who=WHO),
        lambda: edits.edit_exercise(
            db, (x := pick_exercise())["id"], rev=x["rev"], who=WHO, explanation=f"E{seed}"
        ),
        lambda: edits.add_concept(db, "bio", f"A{rng.randint(0, 999)}", who=WHO),
        lambda: edits.move_concept(
            db,
            (c := pick_concept())["id"],
            unit_id=rng.choice(course["units"]),
            index=0,
            rev=c["rev"],
            who=WHO,
        ),
        lambda: edits.edit_lesson(
            db,
            (c := pick_concept())["id"],
            f"L{rng.random()}",
            rev=(
                db["lessons"].get(c["id"])["rev"]
                if db["lessons"].count_where("concept_id = ?", [c["id"]])
                else 0
            ),
            who=WHO,
        ),
    ]
    applied = 0
    for _ in range(25):
        try:
            rng.choice(ops)()
            applied += 1
        except TeachbackError:
            pass  # refused edits change nothing (checked elsewhere)
    assert applied >= 10
    for entry in edits.history(db, "bio"):  # newest first
        if not entry["undone"] and entry["op"] != "undo":
            edits.undo(db, entry["id"], who=WHO)
    assert snapshot(db) == start


def test_move_concept_into_another_unit_renumbers_teaching_order(db, course):
    u1, u2 = course["units"]
    edits.move_concept(db, course["osmosis"], unit_id=u1, index=1, rev=1, who=WHO)
    order = [r["id"] for r in db["concepts"].rows_where(order_by="position")]
    assert order == ["bio/cell", "bio/osmosis", "bio/membrane", "bio/diffusion", "bio/active"]
    assert c(db, course["osmosis"])["unit_id"] == u1
    with pytest.raises(InvalidEdit, match="outside unit"):
        edits.move_concept(db, course["cell"], unit_id=u2, index=7, rev=1, who=WHO)
    with pytest.raises(NotFound, match="unit 999"):
        edits.move_concept(db, course["cell"], unit_id=999, rev=1, who=WHO)


def test_simultaneous_edits_from_two_connections_one_wins_one_conflicts(db, course, tmp_path):
    import threading

    barrier = threading.Barrier(2)
    outcomes = {}

    def edit(who, name):
        conn = open_db(tmp_path / "test.db")
        try:
            barrier.wait()
            edits.rename_concept(conn, course["osmosis"], name, rev=1, who=who)
            outcomes[who] = "ok"
        except EditConflict as err:
            outcomes[who] = str(err)
        finally:
            conn.close()

    threads = [threading.Thread(target=edit, args=(w, n)) for w, n in [("ann", "A"), ("bob", "B")]]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    winners = [w for w, o in outcomes.items() if o == "ok"]
    (loser,) = set(outcomes) - set(winners)
    assert len(winners) == 1 and f"changed by {winners[0]}" in outcomes[loser]
    assert c(db, course["osmosis"])["name"] == {"ann": "A", "bob": "B"}[winners[0]]
    assert len(edits.history(db, "bio")) == 1
