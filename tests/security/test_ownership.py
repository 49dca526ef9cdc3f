"""Probes: one instructor reaching into another's curriculum (edit, publish, re-ingest, start a
class, read the learners), through the store functions the web UI and the CLI call, and the
migration of stores made before curricula had owners.

The attack first: instructor Bob, signed in, acts on Alice's curriculum with the very calls the
pages make (``edits.*``, ``publish.publish``, ``export_learners.mastery_csv``,
``sessions.start_session``, ``ownership.prepare`` before an ingest). Each is refused with one
message naming the owner, and nothing changes. Real SQLite; no doubles.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from teachback.cli import cli
from teachback.curricula import edits, ownership
from teachback.curricula.db import open_db
from teachback.curricula.migrations import migrations
from teachback.curricula.publish import publish, versions
from teachback.errors import NotFound
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tests.signin import make_user
from teachback.tutor.classroom import sessions
from teachback.tutor.export_learners import mastery_csv, mastery_rows

from .test_accounts import ada_answered

REFUSED = (
    "curriculum 'water' belongs to Alice (alice): only its owner and the instructors they "
    "share it with can {verb} it"
)


@pytest.fixture
def two(served):
    """The fixture curriculum, Alice (the first instructor: it is hers) and Bob."""
    make_user(served, "alice", "instructor", name="Alice")
    make_user(served, "bob", "instructor", name="Bob")
    return served


def concept(db, cid="water/evaporation") -> dict:
    return dict(db["concepts"].get(cid))


def test_another_instructor_cannot_edit_publish_teach_or_read_the_learners(two):
    db = two
    ada_answered(db)
    before = concept(db)
    edits_before = db["edits"].count
    assert ownership.owner_of(db, "water").username == "alice"

    with pytest.raises(ownership.NotOwner) as refused:
        edits.rename_concept(db, before["id"], "Hacked", rev=before["rev"], who="bob")
    assert str(refused.value) == REFUSED.format(verb="edit")
    with pytest.raises(ownership.NotOwner):
        edits.add_concept(db, "water", "Planted", who="bob")
    with pytest.raises(ownership.NotOwner) as refused:
        publish(db, "water", "bob")
    assert str(refused.value) == REFUSED.format(verb="publish")
    with pytest.raises(ownership.NotOwner) as refused:
        mastery_csv(db, "water", who="bob")
    assert str(refused.value) == REFUSED.format(verb="see the learners of")
    with pytest.raises(ownership.NotOwner) as refused:
        sessions.start_session(db, "water", "bob")
    assert str(refused.value) == REFUSED.format(verb="start a class on")
    with pytest.raises(ownership.NotOwner) as refused:
        ownership.prepare(db, "water", "bob")  # what the Library page does before an ingest
    assert str(refused.value) == REFUSED.format(verb="add sources to or re-ingest")
    with pytest.raises(ownership.NotOwner):
        ownership.share(db, "water", "bob", who="bob")  # nor let himself in

    assert concept(db) == before
    assert db["edits"].count == edits_before
    assert [v["version"] for v in versions(db, "water")] == [1]
    assert db["classroom_sessions"].count == 0
    assert ownership.owner_of(db, "water").username == "alice"
    assert ownership.editors_of(db, "water") == []

    # The owner does all of it.
    edits.rename_concept(db, before["id"], "Evaporating", rev=before["rev"], who="alice")
    assert publish(db, "water", "alice") == 2
    assert [r["learner_id"] for r in mastery_rows(db, "water", who="alice")] == ["learner-ada"]
    assert sessions.start_session(db, "water", "alice").instructor == "alice"


def test_learners_and_names_that_are_no_account_cannot_act_on_an_owned_curriculum(two):
    db = two
    make_user(db, "ada", name="Ada")
    c = concept(db)
    with pytest.raises(ownership.NotOwner) as refused:
        edits.rename_concept(db, c["id"], "Hacked", rev=c["rev"], who="ada")
    assert str(refused.value) == "only instructors can edit a curriculum"
    with pytest.raises(ownership.NotOwner) as refused:
        publish(db, "water", "Somebody Typed")  # a name, not an account: not the owner
    assert str(refused.value) == REFUSED.format(verb="publish")
    assert concept(db) == c


def test_sharing_lets_a_co_owner_in_and_taking_it_back_shuts_them_out(two):
    db = two
    c = concept(db)
    with pytest.raises(NotFound):
        ownership.share(db, "water", "ada", who="alice")  # no such account
    make_user(db, "lea", name="Lea")
    with pytest.raises(ownership.accounts.AccountError):
        ownership.share(db, "water", "lea", who="alice")  # a learner cannot co-own
    assert ownership.share(db, "water", "bob", who="alice").username == "bob"
    assert [u.username for u in ownership.editors_of(db, "water")] == ["bob"]
    assert ownership.access(db, "water", "bob").mine is True
    edits.rename_concept(db, c["id"], "Evaporating", rev=c["rev"], who="bob")
    assert publish(db, "water", "bob") == 2
    assert ownership.unshare(db, "water", "bob", who="alice") is True
    c = concept(db)
    with pytest.raises(ownership.NotOwner):
        edits.rename_concept(db, c["id"], "Again", rev=c["rev"], who="bob")
    assert concept(db)["name"] == "Evaporating"
    assert ownership.access(db, "water", "bob").mine is False
    assert ownership.access(db, "water", "bob").owner_name == "Alice"


def test_an_unowned_curriculum_is_claimed_by_the_first_instructor_who_changes_it(tmp_path):
    db = open_db(tmp_path / "s.db")
    make_user(db, "alice", "instructor", name="Alice")
    make_user(db, "bob", "instructor", name="Bob")
    build_fixture_curriculum(db)  # made by a script with two instructors about: nobody's yet
    assert ownership.owner_of(db, "water") is None
    assert ownership.access(db, "water", "alice").mine is True  # anyone may claim it
    c = concept(db)
    edits.rename_concept(db, c["id"], "Evaporating", rev=c["rev"], who="bob")
    assert ownership.owner_of(db, "water").username == "bob"
    with pytest.raises(ownership.NotOwner):
        publish(db, "water", "alice")
    # A refused change claims nothing.
    build_fixture_curriculum(db, "rain")
    make_user(db, "lea", name="Lea")
    rain = concept(db, "rain/evaporation")
    with pytest.raises(ownership.NotOwner):
        edits.rename_concept(db, rain["id"], "X", rev=rain["rev"], who="lea")
    assert ownership.owner_of(db, "rain") is None
    assert concept(db, "rain/evaporation") == rain
    db.close()


def _class_row(db, sid: str, instructor: str) -> None:
    db["classroom_sessions"].insert(
        {"id": sid, "curriculum_id": "water", "version": 1, "instructor": instructor,
         "code": f"CODE{sid}", "code_expires_at": "2026-01-01T00:00:00+00:00",
         "status": "ended", "created_at": "2025-12-01T09:00:00+00:00"}
    )  # fmt: skip


def test_an_old_store_gives_its_curricula_to_the_first_instructor_and_maps_typed_names(tmp_path):
    path = tmp_path / "before-owners.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0011_curriculum_owners")
    build_fixture_curriculum(old, publish=True)
    make_user(old, "grace", "instructor", name="Grace Hopper")
    make_user(old, "ines", "instructor", name="Ines")
    _class_row(old, "c1", "Grace Hopper")  # typed before accounts existed
    _class_row(old, "c2", "Someone Gone")  # no account of that name
    old.close()

    db = open_db(path)  # the upgrade
    assert ownership.owner_of(db, "water").username == "grace"
    rows = db.execute("select id, instructor from classroom_sessions order by id").fetchall()
    assert rows == [("c1", "grace"), ("c2", "Someone Gone")]
    assert [s.id for s in sessions.sessions_of(db, sessions.Caller.instructor("grace"))] == ["c1"]
    db.close()


def test_a_store_without_instructors_waits_for_the_first_one(tmp_path):
    db = open_db(tmp_path / "s.db")
    build_fixture_curriculum(db, publish=True)
    _class_row(db, "c1", "Ines Park")
    assert ownership.owner_of(db, "water") is None
    make_user(db, "ines", "instructor", name="Ines Park")  # the first instructor
    make_user(db, "otto", "instructor", name="Otto")
    assert ownership.owner_of(db, "water").username == "ines"
    assert db.execute("select instructor from classroom_sessions").fetchall() == [("ines",)]
    db.close()


def _cli(db_file, *args):
    return CliRunner().invoke(cli, [*args, "--db", str(db_file)])


def test_the_cli_sets_the_owner_refuses_another_and_shares(tmp_path):
    db_file = tmp_path / "t.db"
    notes = tmp_path / "notes"
    notes.mkdir()
    (notes / "osmosis.md").write_text(
        "# Osmosis\n\nOsmosis is the movement of water through a membrane from the dilute side "
        "to the concentrated side.\n",
        encoding="utf-8",
    )
    db = open_db(db_file)
    make_user(db, "alice", "instructor", name="Alice")
    make_user(db, "bob", "instructor", name="Bob")
    db.close()

    made = _cli(db_file, "ingest", str(notes), "--curriculum", "bio", "--owner", "alice",
                "--no-progress", "--no-exercises")  # fmt: skip
    assert made.exit_code == 0, made.output
    other = _cli(db_file, "ingest", str(notes), "--curriculum", "bio", "--owner", "bob",
                 "--no-progress", "--no-exercises")  # fmt: skip
    assert other.exit_code == 1  # `teachback` prints it as one "Error: ..." line
    assert isinstance(other.exception, ownership.NotOwner)
    assert str(other.exception) == (
        "curriculum 'bio' belongs to Alice (alice): only its owner and the instructors "
        "they share it with can add sources to or re-ingest it"
    )
    shown = _cli(db_file, "users", "owner", "bio")
    assert shown.output == "bio belongs to alice (Alice).\n"
    shared = _cli(db_file, "users", "share", "bio", "bob")
    assert shared.output == "bob (Bob) can now change bio.\n"
    assert _cli(db_file, "users", "owner", "bio").output == (
        "bio belongs to alice (Alice).\nShared with: bob (Bob)\n"
    )
    again = _cli(db_file, "ingest", str(notes), "--curriculum", "bio", "--owner", "bob",
                 "--no-progress", "--no-exercises")  # fmt: skip
    assert again.exit_code == 0, again.output
    unowned = _cli(db_file, "ingest", str(notes), "--curriculum", "chem", "--no-progress",
                   "--no-exercises")  # fmt: skip
    assert unowned.exit_code == 0, unowned.output
    assert "note: nobody owns 'chem' yet" in unowned.output
    db = open_db(db_file)
    assert ownership.owner_of(db, "chem") is None
    db.close()

    # An import names its owner too (here into another store, where only Bob teaches).
    exported = tmp_path / "bio.json"
    assert _cli(db_file, "export", "--curriculum", "bio", "-o", str(exported)).exit_code == 0
    other = tmp_path / "other.db"
    db = open_db(other)
    make_user(db, "bob", "instructor", name="Bob")
    db.close()
    imported = _cli(other, "import", str(exported))
    assert imported.exit_code == 0, imported.output
    db = open_db(other)
    assert ownership.owner_of(db, "bio").username == "bob"  # the only instructor there
    db.close()
