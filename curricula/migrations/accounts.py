"""Migrations of who may sign in and what they own: accounts, sign-in sessions and codes, and
curriculum owners and co-owners.
"""

from __future__ import annotations

from sqlite_utils import Database


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
