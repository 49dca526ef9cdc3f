"""Numbered schema migrations, applied in order by ``sqlite_utils.migrations``.

Rules for whoever adds one:
* never edit a migration that has shipped; add ``mNNNN_what`` at the end instead;
* ``tests/curricula/test_migrations.py`` builds a database with the earlier migrations only,
  stores rows, upgrades it, and checks nothing was lost — extend it with your change.

Conventions: times are ISO-8601 UTC strings; JSON columns hold text; ids of things a user may
name in a URL or export (curricula, concepts, exercises) are short text slugs or hashes.
"""

from __future__ import annotations

import json

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

migrations = Migrations("teachback")


@migrations()
def m0001_foundation(db: Database) -> None:
    """Sources, passages, concepts and their graph, lessons, exercises, versions, edits."""
    db["curricula"].create(
        {
            "id": str,  # slug, e.g. "sample"
            "title": str,
            "created_at": str,
            "published_version": int,  # null until an instructor publishes
            "settings": str,  # JSON: mastery threshold, cap, ...
        },
        pk="id",
    )
    db["sources"].create(
        {
            "id": str,  # stable: hash of curriculum + path
            "curriculum_id": str,
            "path": str,  # as given, absolute where it was a file on disk
            "format": str,
            "title": str,
            "sha256": str,
            "size": int,
            "text": str,  # Document.text: the spans of passages and evidence point into it
            "language": str,
            "status": str,  # "ok" | "error"
            "error": str,
            "ingested_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["passages"].create(
        {
            "id": int,
            "source_id": str,
            "seq": int,
            "kind": str,
            "heading_path": str,  # JSON list
            "locator": str,
            "start": int,
            "end": int,
            "text": str,
        },
        pk="id",
        foreign_keys=[("source_id", "sources", "id")],
    )
    db["passages"].create_index(["source_id", "seq"], unique=True)
    db["units"].create(
        {"id": int, "curriculum_id": str, "position": int, "title": str},
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["concepts"].create(
        {
            "id": str,  # "<curriculum>/<slug>"
            "curriculum_id": str,
            "slug": str,
            "name": str,
            "definition": str,
            "importance": float,  # 0..1
            "unit_id": int,
            "position": int,  # teaching order within the curriculum
            "kind": str,  # "term" | "code"
            "origin": str,  # "ingest" | "instructor"
            "edited": int,  # 1 once an instructor touched it: a re-ingest leaves it alone
            "rev": int,  # bumped on every change; edits carry the rev they read (conflicts)
            "updated_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id"), ("unit_id", "units", "id")],
    )
    db["concepts"].create_index(["curriculum_id", "slug"], unique=True)
    db["aliases"].create(
        {"concept_id": str, "alias": str},
        pk=("concept_id", "alias"),
        foreign_keys=[("concept_id", "concepts", "id")],
    )
    db["evidence"].create(
        {
            "id": int,
            "concept_id": str,
            "source_id": str,
            "passage_id": int,
            "start": int,  # into sources.text
            "end": int,
            "quote": str,
            "role": str,  # "definition" | "mention" | "code"
        },
        pk="id",
        foreign_keys=[
            ("concept_id", "concepts", "id"),
            ("source_id", "sources", "id"),
            ("passage_id", "passages", "id"),
        ],
    )
    db["edges"].create(
        {
            "id": int,
            "curriculum_id": str,
            "prerequisite": str,  # concept id
            "concept": str,  # concept id
            "kind": str,  # "prerequisite" | "related"
            "weight": float,
            "reason": str,
            "origin": str,  # "ingest" | "instructor"
            "status": str,  # "active" | "removed" (e.g. broken to remove a cycle; reason kept)
        },
        pk="id",
        foreign_keys=[
            ("curriculum_id", "curricula", "id"),
            ("prerequisite", "concepts", "id"),
            ("concept", "concepts", "id"),
        ],
    )
    db["edges"].create_index(["curriculum_id", "prerequisite", "concept", "kind"], unique=True)
    db["lessons"].create(
        {
            "concept_id": str,
            "text": str,  # Markdown; rendered with HTML disabled
            "citations": str,  # JSON list of {source, start, end, quote}
            "origin": str,
            "edited": int,
            "rev": int,
            "updated_at": str,
        },
        pk="concept_id",
        foreign_keys=[("concept_id", "concepts", "id")],
    )
    db["exercises"].create(
        {
            "id": str,  # hash of concept + kind + prompt
            "curriculum_id": str,
            "concept_id": str,
            "kind": str,  # registry name: "multiple_choice", "cloze", ...
            "prompt": str,
            "choices": str,  # JSON list (empty for free answers)
            "answer": str,  # JSON: the answer key, shape depends on kind
            "explanation": str,
            "difficulty": float,  # 0 easy .. 1 hard; updated from attempts
            "citations": str,  # JSON list of {source, start, end, quote}
            "data": str,  # JSON: kind-specific extras (rubric, accepted forms, corrected form)
            "self_check": str,  # JSON: {passed, reasons, answered, ...}
            "status": str,  # "kept" | "rejected" | "approved" | "draft"
            "origin": str,
            "edited": int,
            "rev": int,
            "created_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id"), ("concept_id", "concepts", "id")],
    )
    db["curriculum_versions"].create(
        {
            "id": int,
            "curriculum_id": str,
            "version": int,
            "published_at": str,
            "published_by": str,
            "snapshot": str,  # JSON export of the curriculum as published
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["curriculum_versions"].create_index(["curriculum_id", "version"], unique=True)
    db["edits"].create(
        {
            "id": int,
            "curriculum_id": str,
            "at": str,
            "who": str,
            "op": str,  # "rename" | "merge" | "split" | "add_edge" | ...
            "payload": str,  # JSON: what was asked
            "inverse": str,  # JSON: what undoes it
            "undone": int,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["ingest_runs"].create(
        {
            "id": int,
            "curriculum_id": str,
            "started_at": str,
            "finished_at": str,
            "status": str,  # "running" | "done" | "interrupted" | "failed"
            "stats": str,  # JSON
        },
        pk="id",
    )
    db["llm_cache"].create(
        {"key": str, "model": str, "response": str, "tokens": int, "created_at": str},
        pk="key",
        if_not_exists=True,  # the LLM cache makes it in a file it opens first (engine/cache.py)
    )

    db["passages"].enable_fts(["text"], create_triggers=True, tokenize="porter")
    db["concepts"].enable_fts(["name", "definition"], create_triggers=True, tokenize="porter")


@migrations()
def m0002_learners_and_attempts(db: Database) -> None:
    """Learners and the append-only attempt log that mastery is derived from."""
    db["learners"].create({"id": str, "name": str, "created_at": str}, pk="id")
    db["attempts"].create(
        {
            "id": int,
            # Idempotency key chosen by the caller (e.g. session thread + step): the same
            # answer recorded twice (a retried request, a resumed graph) is stored once.
            "event_id": str,
            "learner_id": str,
            "curriculum_id": str,
            "exercise_id": str,
            "concept_id": str,
            "correct": int,
            "score": float,
            "answer": str,
            "time_taken": float,  # seconds
            "hints": int,
            "at": str,
            "session_id": str,
        },
        pk="id",
        foreign_keys=[("learner_id", "learners", "id")],
    )
    db["attempts"].create_index(["event_id"], unique=True)
    db["attempts"].create_index(["learner_id", "curriculum_id", "at"])


@migrations()
def m0003_ingest_incremental(db: Database) -> None:
    """What an incremental re-ingest needs to rebuild its inputs from the store.

    * ``passages.signals``: the reader's structural signals (JSON), so stored passages can be
      turned back into ``Document`` sections for an unchanged source without re-reading it;
    * ``sources.meta``: the reader's ``Document.meta`` (JSON);
    * ``concepts.fingerprint``: hash of what the concept's lesson and exercises were made from;
      an unchanged fingerprint means they are kept as they are.
    """
    db["passages"].add_column("signals", str)
    db["sources"].add_column("meta", str)
    db["concepts"].add_column("fingerprint", str)


@migrations()
def m0004_classrooms(db: Database) -> None:
    """Classroom sessions: one instructor, a published curriculum, a join code, members, and the
    instructor's controls (cap, push, pause, end) as an append-only event log.

    * ``classroom_sessions``: the session and its *current* controls (``cap``/``push`` are
      concept ids or null; ``status`` is "active" | "paused" | "ended"); ``code`` is the short
      join code, valid until ``code_expires_at``;
    * ``classroom_members``: who joined, under which display name (unique per session) and
      which learner id their attempts are recorded under;
    * ``classroom_events``: every control an instructor used and every join, in order.
    """
    db["classroom_sessions"].create(
        {
            "id": str,  # short random hex
            "curriculum_id": str,
            "version": int,  # the published version the session was started on
            "instructor": str,
            "code": str,
            "code_expires_at": str,
            "status": str,
            "cap": str,
            "push": str,
            "push_at": str,  # when the push started (its goal counts answers after it)
            "created_at": str,
            "ended_at": str,
        },
        pk="id",
        foreign_keys=[("curriculum_id", "curricula", "id")],
    )
    db["classroom_sessions"].create_index(["code"], unique=True)
    db["classroom_members"].create(
        {
            "session_id": str,
            "learner_id": str,
            "display_name": str,
            "joined_at": str,
        },
        pk=("session_id", "learner_id"),
        foreign_keys=[("session_id", "classroom_sessions", "id"), ("learner_id", "learners", "id")],
    )
    db["classroom_members"].create_index(["session_id", "display_name"], unique=True)
    db["classroom_members"].create_index(["learner_id"])
    db["classroom_events"].create(
        {"id": int, "session_id": str, "at": str, "who": str, "op": str, "payload": str},
        pk="id",
        foreign_keys=[("session_id", "classroom_sessions", "id")],
    )
    db["classroom_events"].create_index(["session_id", "id"])


@migrations()
def m0005_ids_never_reused(db: Database) -> None:
    """``evidence`` and ``edges`` ids are never reused (``AUTOINCREMENT``).

    A re-ingest deletes the evidence and edges it proposed and inserts new ones. With a plain
    ``INTEGER PRIMARY KEY`` SQLite hands out the freed ids again, so the edit log's record of a
    deleted concept's evidence (by id) then names someone else's row, and undoing the delete
    is refused as a conflict. With ``AUTOINCREMENT`` a freed id is never handed out again.
    SQLite cannot add it to an existing table, so each table is rebuilt with its rows and
    indexes (nothing references these ids by foreign key).
    """
    for table in ("evidence", "edges"):
        sql = db.execute(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [table]
        ).fetchone()[0]
        if "AUTOINCREMENT" in sql.upper():
            continue
        indexes = [
            row[0]
            for row in db.execute(
                "SELECT sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                "AND sql IS NOT NULL",
                [table],
            )
        ]
        rebuilt = sql.replace(f'"{table}"', f'"{table}_rebuilt"', 1).replace(
            '"id" INTEGER PRIMARY KEY', '"id" INTEGER PRIMARY KEY AUTOINCREMENT', 1
        )
        assert "AUTOINCREMENT" in rebuilt, f"unexpected schema for {table}: {sql}"
        db.execute(rebuilt)
        db.execute(f'INSERT INTO "{table}_rebuilt" SELECT * FROM "{table}"')
        db.execute(f'DROP TABLE "{table}"')
        db.execute(f'ALTER TABLE "{table}_rebuilt" RENAME TO "{table}"')
        for index in indexes:
            db.execute(index)


@migrations()
def m0006_snapshot_items_stored_once(db: Database) -> None:
    """A published version's items are stored once, by content hash, not copied into every version.

    Until now every ``curriculum_versions.snapshot`` was a whole JSON export: publishing a
    78-concept curriculum five times stored five copies of its 438 exercises, lessons and source
    text (≈ 1 MB each), though a publish usually follows a few edits. Now each list of a snapshot
    (sources, units, concepts, edges, lessons, exercises) is stored as ``{"$items": [sha256,
    ...]}`` and the items live once in ``snapshot_items`` (``snapshots.pack_snapshot`` /
    ``snapshots.unpack_snapshot``). Existing versions are rewritten the same way; what
    ``publish.snapshot`` returns for them does not change.
    """
    db["snapshot_items"].create(
        {"sha256": str, "body": str},  # body: the item's JSON, as in the export
        pk="sha256",
        if_not_exists=True,
    )
    from teachback.curricula.snapshots import pack_snapshot  # the same code publish uses

    rows = db.execute("SELECT id, snapshot FROM curriculum_versions").fetchall()
    for version_id, text in rows:
        packed = pack_snapshot(db, json.loads(text))
        db.execute(
            "UPDATE curriculum_versions SET snapshot = ? WHERE id = ?",
            [json.dumps(packed, ensure_ascii=False), version_id],
        )


@migrations()
def m0010_images(db: Database) -> None:
    """Figures from the sources (image files a Markdown source links to, notebook outputs),
    stored once by the SHA-256 of their bytes; lessons show them as ``teachback-image:<key>``.
    Only images an ingest read from inside the ingested folder or a notebook are ever stored
    (``ingest.readers.images``)."""
    db["images"].create(
        {"key": str, "mime": str, "alt": str, "bytes": int, "data": bytes},
        pk="key",
        if_not_exists=True,
    )


@migrations()
def m0007_accounts(db: Database) -> None:
    """Accounts with a role, server-side sign-in sessions, one-time sign-in codes, and the
    failed sign-ins that throttle guessing (``curricula/accounts.py``).

    Until now a learner was a typed name: every existing ``learners`` row becomes a learner
    account with the same id (so its attempts stay its own) and no password. It cannot be
    signed into until an instructor hands out a one-time code for it (``teachback users
    invite``); the learner then sets a password of their own.
    """
    db["users"].create(
        {
            "id": str,  # a learner's id is its ``learners.id``: attempts are keyed by it
            "username": str,  # unique, lower case: what a person types to sign in
            "display_name": str,
            "role": str,  # "instructor" | "learner"
            "password_hash": str,  # argon2id; null: signs in with a one-time code only
            "created_at": str,
            "created_by": str,
            "disabled": int,
        },
        pk="id",
        if_not_exists=True,
    )
    db["users"].create_index(["username"], unique=True, if_not_exists=True)
    db["auth_sessions"].create(
        {"token_hash": str, "user_id": str, "created_at": str, "expires_at": str, "client": str},
        pk="token_hash",  # sha256 of the token: a copy of the store signs no one in
        foreign_keys=[("user_id", "users", "id")],
        if_not_exists=True,
    )
    db["sign_in_codes"].create(
        {"code_hash": str, "user_id": str, "created_at": str, "expires_at": str, "created_by": str},
        pk="code_hash",
        foreign_keys=[("user_id", "users", "id")],
        if_not_exists=True,
    )
    db["sign_in_failures"].create({"id": int, "key": str, "at": str}, pk="id", if_not_exists=True)
    db["sign_in_failures"].create_index(["key", "at"], if_not_exists=True)

    taken: set[str] = set()
    rows = db.execute("SELECT id, name, created_at FROM learners ORDER BY created_at, id")
    for learner_id, name, created_at in rows.fetchall():
        base = _m0007_username(learner_id, name)
        username, n = base, 1
        while username in taken:
            n += 1
            username = f"{base}-{n}"
        taken.add(username)
        db["users"].insert(
            {
                "id": learner_id,
                "username": username,
                "display_name": (name or username).strip() or username,
                "role": "learner",
                "password_hash": None,
                "created_at": created_at,
                "created_by": "migration",
                "disabled": 0,
            },
            ignore=True,
        )


def _m0007_username(learner_id: str, name: str | None) -> str:
    """``("learner-ada-lovelace", "Ada Lovelace")`` -> ``"ada-lovelace"`` (frozen with m0007)."""
    import re

    text = learner_id.removeprefix("learner-") if learner_id.startswith("learner-") else ""
    text = text or (name or "")
    slug = re.sub(r"[^a-z0-9._-]+", "-", text.lower()).strip("-._")[:40]
    return slug or "learner"


@migrations()
def m0011_curriculum_owners(db: Database) -> None:
    """Each curriculum has an owner instructor and may be shared with co-owners
    (``curricula/ownership.py``).

    * ``curricula.owner_id``: the owner's account id; null: nobody owns it yet (claimable);
    * ``curriculum_editors``: the instructors it is shared with.

    Existing curricula go to the store's first instructor (the earliest made); with no
    instructor yet they stay unowned and the first instructor account made later adopts them
    (``accounts.create_user``). Classes started before accounts keep the instructor's typed
    name: each is pointed at the instructor account of that username or display name when
    exactly one matches (``accounts.map_legacy_classes``, also run when an instructor is made).
    """
    if "owner_id" not in db["curricula"].columns_dict:
        db["curricula"].add_column("owner_id", str)
    db["curriculum_editors"].create(
        {"curriculum_id": str, "user_id": str, "added_at": str, "added_by": str},
        pk=("curriculum_id", "user_id"),
        foreign_keys=[("curriculum_id", "curricula", "id"), ("user_id", "users", "id")],
        if_not_exists=True,
    )
    db["curriculum_editors"].create_index(["user_id"], if_not_exists=True)
    first = db.execute(
        "SELECT id FROM users WHERE role = 'instructor' AND disabled = 0 "
        "ORDER BY created_at, username LIMIT 1"
    ).fetchone()
    if first:
        db.execute("UPDATE curricula SET owner_id = ? WHERE owner_id IS NULL", [first[0]])
    from teachback.curricula.accounts import map_legacy_classes  # also run for a new instructor

    map_legacy_classes(db)


@migrations()
def m0012_lesson_reads(db: Database) -> None:
    """Lessons marked read get a table of their own (``curricula/lesson_reads.py``).

    Until now a read was stored as an attempt whose ``exercise_id`` was ``lesson-read:<concept>``
    and every reader of answers had to leave those out (one did not: item difficulties counted
    reads as right answers). Existing reads move here, in the order they were stored, and leave
    the attempt log. An instructor's edit that re-pointed such a read (a merge) names it in its
    undo record; that record is rewritten to name the moved row, so the edit can still be undone.
    """
    db["lesson_reads"].create(
        {
            "id": int,
            "event_id": str,  # idempotency key, as in ``attempts``
            "learner_id": str,
            "curriculum_id": str,
            "concept_id": str,
            "time_taken": float,  # seconds on the lesson
            "at": str,
            "session_id": str,
        },
        pk="id",
        foreign_keys=[("learner_id", "learners", "id")],
        if_not_exists=True,
    )
    db["lesson_reads"].create_index(["event_id"], unique=True, if_not_exists=True)
    db["lesson_reads"].create_index(["learner_id", "curriculum_id", "at"], if_not_exists=True)
    legacy = "exercise_id LIKE 'lesson-read:%'"
    db.execute(
        "INSERT OR IGNORE INTO lesson_reads "
        "(event_id, learner_id, curriculum_id, concept_id, time_taken, at, session_id) "
        "SELECT event_id, learner_id, curriculum_id, concept_id, time_taken, at, session_id "
        f"FROM attempts WHERE {legacy} ORDER BY at, id"
    )
    moved = {
        old_id: new_id
        for old_id, new_id in db.execute(
            f"SELECT a.id, r.id FROM attempts a JOIN lesson_reads r ON r.event_id = a.event_id "
            f"WHERE a.{legacy}"
        ).fetchall()
    }
    db.execute(f"DELETE FROM attempts WHERE {legacy}")
    if moved:
        _m0012_rewrite_edits(db, moved)


_M0012_READ_COLUMNS = (
    "event_id", "learner_id", "curriculum_id", "concept_id", "time_taken", "at", "session_id"
)  # fmt: skip


def _m0012_rewrite_edits(db: Database, moved: dict[int, int]) -> None:
    """Edit records (``edits.inverse``) naming a moved read as ``attempts`` row ``old`` now name
    ``lesson_reads`` row ``moved[old]``, with images of that table's columns (frozen with m0012:
    the shape of ``curricula/edits/journal.py``'s inverse at the time)."""

    def image(row: dict | None, new_id: int) -> dict | None:
        if row is None:
            return None
        return {"id": new_id, **{k: row.get(k) for k in _M0012_READ_COLUMNS}}

    for edit_id, text in db.execute(
        "SELECT id, inverse FROM edits WHERE inverse LIKE '%lesson-read:%'"
    ).fetchall():
        inverse = json.loads(text)
        renamed = {}
        for r in inverse.get("rows", []):
            old = r["key"][0] if r["table"] == "attempts" else None
            if old in moved:
                r["table"], r["key"] = "lesson_reads", [moved[old]]
                r["before"], r["after"] = (
                    image(r["before"], moved[old]),
                    image(r["after"], moved[old]),
                )
                renamed[f"attempts:{json.dumps([old])}"] = (
                    f"lesson_reads:{json.dumps([moved[old]])}"
                )
        if renamed:
            inverse["targets"] = [renamed.get(t, t) for t in inverse.get("targets", [])]
            db.execute("UPDATE edits SET inverse = ? WHERE id = ?", [json.dumps(inverse), edit_id])
