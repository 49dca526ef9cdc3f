"""Migrations upgrade a database made by an earlier version without losing anything."""

import json

from teachback.curricula import publish
from teachback.curricula.db import open_db
from teachback.curricula.migrations import migrations


def test_upgrade_from_the_first_migration_keeps_rows(tmp_path):
    path = tmp_path / "old.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0002_learners_and_attempts")
    old["curricula"].insert({"id": "c", "title": "C", "created_at": "2026-01-01T00:00:00+00:00"})
    old["sources"].insert({"id": "s1", "curriculum_id": "c", "path": "a.md", "text": "Osmosis."})
    old.close()

    upgraded = open_db(path)
    assert [m.name for m in migrations.pending(upgraded)] == []
    assert upgraded["sources"].get("s1")["text"] == "Osmosis."
    assert "attempts" in upgraded.table_names()


def test_fresh_database_has_wal_and_foreign_keys(db):
    assert db.journal_mode == "wal"
    assert db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_upgrade_to_m0003_keeps_rows_and_adds_ingest_columns(tmp_path):
    path = tmp_path / "old2.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0003_ingest_incremental")
    old["curricula"].insert({"id": "c", "title": "C", "created_at": "2026-01-01T00:00:00+00:00"})
    old["sources"].insert({"id": "s1", "curriculum_id": "c", "path": "a.md", "text": "Osmosis."})
    old["passages"].insert(
        {"id": 1, "source_id": "s1", "seq": 0, "start": 0, "end": 8, "text": "Osmosis."}
    )
    old.close()

    upgraded = open_db(path)
    assert upgraded["passages"].get(1)["text"] == "Osmosis."
    assert upgraded["passages"].get(1)["signals"] is None
    assert "meta" in upgraded["sources"].columns_dict
    assert "fingerprint" in upgraded["concepts"].columns_dict


def test_upgrade_to_m0004_keeps_rows_and_adds_classroom_tables(tmp_path):
    path = tmp_path / "old3.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0004_classrooms")
    old["curricula"].insert({"id": "c", "title": "C", "created_at": "2026-01-01T00:00:00+00:00"})
    old["learners"].insert({"id": "l1", "name": "Ada", "created_at": "2026-01-01T00:00:00+00:00"})
    old.close()

    upgraded = open_db(path)
    assert upgraded["learners"].get("l1")["name"] == "Ada"
    assert {"classroom_sessions", "classroom_members", "classroom_events"} <= set(
        upgraded.table_names()
    )
    upgraded["classroom_sessions"].insert(
        {"id": "s", "curriculum_id": "c", "code": "ABC", "status": "active"}
    )
    upgraded["classroom_members"].insert(
        {"session_id": "s", "learner_id": "l1", "display_name": "Ada"}
    )
    assert upgraded["classroom_members"].count == 1


def test_upgrade_to_m0005_keeps_evidence_and_edges_and_never_reuses_their_ids(tmp_path):
    path = tmp_path / "old5.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0005_ids_never_reused")
    old["curricula"].insert({"id": "c", "title": "C", "created_at": "2026-01-01T00:00:00+00:00"})
    for slug in ("a", "b"):
        old["concepts"].insert(
            {"id": f"c/{slug}", "curriculum_id": "c", "slug": slug, "name": slug}
        )
    old["evidence"].insert_all(
        [{"id": i, "concept_id": "c/a", "quote": f"q{i}", "start": i, "end": i + 1} for i in (1, 2)]
    )
    old["edges"].insert(
        {
            "id": 7,
            "curriculum_id": "c",
            "prerequisite": "c/a",
            "concept": "c/b",
            "kind": "prerequisite",
        }
    )
    old.close()

    db = open_db(path)
    assert [r["quote"] for r in db["evidence"].rows_where(order_by="id")] == ["q1", "q2"]
    assert db["edges"].get(7)["concept"] == "c/b"
    assert any(i.unique for i in db["edges"].indexes)  # the unique edge index came along
    db["evidence"].delete(2)
    new_id = db["evidence"].insert({"concept_id": "c/a", "quote": "new"}).last_pk
    assert new_id == 3  # id 2 is not handed out again


def test_upgrade_to_m0006_stores_each_published_item_once(tmp_path):
    path = tmp_path / "old6.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0006_snapshot_items_stored_once")
    old["curricula"].insert({"id": "c", "title": "C", "created_at": "2026-01-01T00:00:00+00:00"})
    source = {"id": "s1", "path": "a.md", "text": "Osmosis moves water. " * 200, "passages": []}
    snapshots = [
        {
            "curriculum": {"id": "c", "published_version": v},
            "concepts": [{"id": str(v)}],
            "sources": [source],
        }
        for v in (1, 2)
    ]
    old["curriculum_versions"].insert_all(
        [
            {
                "curriculum_id": "c",
                "version": v,
                "published_at": "x",
                "published_by": "a",
                "snapshot": json.dumps(snap),
            }
            for v, snap in zip((1, 2), snapshots, strict=True)
        ]
    )
    old.close()

    db = open_db(path)
    # the source is shared by both versions; each version has its own concept
    assert db["snapshot_items"].count == 3
    assert all(len(r["snapshot"]) < 400 for r in db["curriculum_versions"].rows)
    for v, snap in zip((1, 2), snapshots, strict=True):
        assert publish.snapshot(db, "c", v) == snap  # nothing a reader sees changed


def test_upgrade_to_m0007_turns_learner_names_into_accounts(tmp_path):
    path = tmp_path / "before-accounts.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0007_accounts")
    t = "2026-01-01T00:00:00+00:00"
    old["learners"].insert_all(
        [
            {"id": "learner-ada-lovelace", "name": "Ada Lovelace", "created_at": t},
            {"id": "learner-ada-lovelace-k3f9a2", "name": "Ada Lovelace", "created_at": t},
            {"id": "odd id", "name": "Ada.Lovelace", "created_at": t},
            {"id": "learner-", "name": "", "created_at": t},
        ]
    )
    old.close()

    upgraded = open_db(path)
    users = [
        (r["id"], r["username"], r["display_name"], r["role"], r["password_hash"], r["created_by"])
        for r in upgraded.query("select * from users order by id")
    ]
    assert users == [
        ("learner-", "learner", "learner", "learner", None, "migration"),
        ("learner-ada-lovelace", "ada-lovelace", "Ada Lovelace", "learner", None, "migration"),
        ("learner-ada-lovelace-k3f9a2", "ada-lovelace-k3f9a2", "Ada Lovelace", "learner", None,
         "migration"),
        ("odd id", "ada.lovelace", "Ada.Lovelace", "learner", None, "migration"),
    ]  # fmt: skip
    assert upgraded["learners"].count == 4
    assert {"auth_sessions", "sign_in_codes", "sign_in_failures"} <= set(upgraded.table_names())
