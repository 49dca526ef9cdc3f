"""Accounts as stored: who uses teachback, in which role, and the changes made to an account
(create, password, disable). Sign-in codes and sessions build on it (``accounts_codes``,
``accounts_signin``); ``accounts`` gathers all three for callers.
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlite_utils import Database

from teachback.curricula import accounts_throttle as throttle
from teachback.curricula.accounts_passwords import check_strength, hash_password, verify_password
from teachback.errors import NotFound, TeachbackError

ROLES = ("instructor", "learner")
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,59}$")


class AccountError(TeachbackError):
    """An account that cannot be made or changed as asked (bad name, taken, unknown role)."""


class SignInFailed(TeachbackError):
    """Wrong username, password or code. One message for all, so it tells an attacker nothing."""

    def __init__(self, message: str = "wrong username or password"):
        super().__init__(message)


@dataclass(frozen=True)
class User:
    id: str
    username: str
    display_name: str
    role: str  # "instructor" | "learner"
    has_password: bool
    created_at: str
    disabled: bool = False

    @property
    def is_instructor(self) -> bool:
        return self.role == "instructor"


def utc_now(at: datetime | None = None) -> datetime:
    return at or datetime.now(UTC)


def iso_seconds(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def sha256_hex(text: str) -> str:
    """What the store keeps of a secret (a session token, a sign-in code): never the secret."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def user_from_row(row: dict) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"] or row["username"],
        role=row["role"],
        has_password=bool(row["password_hash"]),
        created_at=row["created_at"],
        disabled=bool(row["disabled"]),
    )


def normalise_username(text: str) -> str:
    """What a person typed, as stored: ``"  Ada.L "`` -> ``"ada.l"`` (``AccountError`` if bad)."""
    name = (text or "").strip().lower()
    if not USERNAME.match(name):
        raise AccountError(
            "a username has 2 to 60 characters: letters, digits and . _ @ - "
            "(starting with a letter or digit)"
        )
    return name


def new_user_id(role: str) -> str:
    """An id no one can derive from a name: ``"learner-3f9a..."`` (96 random bits)."""
    return f"{role}-{secrets.token_hex(12)}"


def create_user(
    db: Database,
    username: str,
    role: str,
    *,
    display_name: str | None = None,
    password: str | None = None,
    created_by: str = "",
    at: datetime | None = None,
) -> User:
    """A new account. Instructors need a password; a learner without one signs in by code."""
    if role not in ROLES:
        raise AccountError(f"a role is one of {', '.join(ROLES)}; got {role!r}")
    username = normalise_username(username)
    if role == "instructor" and not password:
        raise AccountError("an instructor account needs a password")
    if password is not None:
        check_strength(password, username)
    display = " ".join((display_name or "").split())[:60] or username
    user_id = new_user_id(role)
    try:
        with db.conn:
            db.execute(
                """INSERT INTO users (id, username, display_name, role, password_hash,
                   created_at, created_by, disabled) VALUES (?, ?, ?, ?, ?, ?, ?, 0)""",
                [
                    user_id,
                    username,
                    display,
                    role,
                    hash_password(password) if password else None,
                    iso_seconds(utc_now(at)),
                    created_by,
                ],
            )
            if role == "learner":
                db.execute(
                    "INSERT OR IGNORE INTO learners (id, name, created_at) VALUES (?, ?, ?)",
                    [user_id, display, iso_seconds(utc_now(at))],
                )
    except sqlite3.IntegrityError as err:
        raise AccountError(f"the username {username!r} is taken") from err
    user = get_user(db, user_id)
    if role == "instructor":
        first_claims(db, user)
    return user


def first_claims(db: Database, user: User) -> None:
    """A new instructor takes up what was theirs before accounts: the first one adopts the
    curricula nobody owns yet (``curricula/ownership.py``), and classes started under their
    typed name become theirs."""
    with db.conn:
        if count_instructors(db) == 1 and "owner_id" in db["curricula"].columns_dict:
            # (a store not yet migrated to owners has no owner column)
            db.execute("UPDATE curricula SET owner_id = ? WHERE owner_id IS NULL", [user.id])
        map_legacy_classes(db)


def map_legacy_classes(db: Database) -> int:
    """Classes started before accounts keep the instructor's typed name: point each at the
    instructor account whose username or display name it is (when exactly one matches).
    Returns how many classes changed. Runs in the caller's transaction."""
    usernames = {r[0] for r in db.execute("SELECT username FROM users")}
    changed = 0
    rows = db.execute("SELECT DISTINCT instructor FROM classroom_sessions").fetchall()
    for (typed,) in rows:
        if not typed or typed in usernames:
            continue
        matches = db.execute(
            "SELECT username FROM users WHERE role = 'instructor' AND "
            "(username = lower(?) OR lower(display_name) = lower(?))",
            [typed.strip(), " ".join(typed.split())],
        ).fetchall()
        if len(matches) == 1:
            changed += db.execute(
                "UPDATE classroom_sessions SET instructor = ? WHERE instructor = ?",
                [matches[0][0], typed],
            ).rowcount
    return changed


def create_guest_learner(db: Database, display_name: str, *, created_by: str = "") -> User:
    """A learner account for someone who joined a class by its code: an unguessable id and a
    username made from random bits (they can set a password later to come back)."""
    for _ in range(5):
        try:
            return create_user(
                db,
                f"guest-{secrets.token_hex(4)}",
                "learner",
                display_name=display_name,
                created_by=created_by,
            )
        except AccountError:  # the rare random clash: draw again
            continue
    raise AccountError("could not make a guest account; try again")


def get_user(db: Database, user_id: str) -> User:
    rows = list(db.query("SELECT * FROM users WHERE id = ?", [user_id]))
    if not rows:
        raise NotFound(f"no account with id {user_id!r}")
    return user_from_row(rows[0])


def find_user(db: Database, username: str) -> User | None:
    """The account with this username (any case), or None."""
    rows = list(
        db.query("SELECT * FROM users WHERE username = ?", [(username or "").strip().lower()])
    )
    return user_from_row(rows[0]) if rows else None


def require_user(db: Database, username: str) -> User:
    user = find_user(db, username)
    if user is None:
        raise NotFound(f"no account named {username!r} (see `teachback users list`)")
    return user


def list_users(db: Database, role: str | None = None) -> list[User]:
    sql, args = "SELECT * FROM users", []
    if role:
        sql, args = sql + " WHERE role = ?", [role]
    return [user_from_row(r) for r in db.query(sql + " ORDER BY role, username", args)]


def count_instructors(db: Database) -> int:
    return db.execute(
        "SELECT count(*) FROM users WHERE role = 'instructor' AND disabled = 0"
    ).fetchone()[0]


def set_password(db: Database, username: str, password: str) -> User:
    """Set (or change) an account's password; its other sessions are signed out."""
    user = require_user(db, username)
    check_strength(password, user.username)
    with db.conn:
        db.execute(
            "UPDATE users SET password_hash = ? WHERE id = ?", [hash_password(password), user.id]
        )
    return get_user(db, user.id)


def change_password(
    db: Database,
    user_id: str,
    current: str | None,
    new: str,
    *,
    client: str = "",
    at: datetime | None = None,
) -> User:
    """A signed-in person sets their own password: the current one is checked (and throttled
    like a sign-in) when there is one; an account without one (code-only) just sets it."""
    user = get_user(db, user_id)
    check_strength(new, user.username)
    if user.has_password:
        keys = {throttle.account_key(user.username): throttle.ACCOUNT_LIMIT,
                throttle.address_key(client): throttle.ADDRESS_LIMIT}  # fmt: skip
        throttle.check(db, keys, at=at)
        stored = db.execute("SELECT password_hash FROM users WHERE id = ?", [user.id]).fetchone()
        if not verify_password(current or "", stored[0]):
            throttle.record_failure(db, list(keys), at=at)
            raise SignInFailed("the current password is wrong")
    with db.conn:
        db.execute("UPDATE users SET password_hash = ? WHERE id = ?", [hash_password(new), user.id])
    return get_user(db, user.id)


def set_disabled(db: Database, username: str, disabled: bool = True) -> User:
    """Disable (or enable) an account: a disabled one cannot sign in; its data is kept."""
    user = require_user(db, username)
    with db.conn:
        db.execute("UPDATE users SET disabled = ? WHERE id = ?", [int(disabled), user.id])
        if disabled:
            db.execute("DELETE FROM auth_sessions WHERE user_id = ?", [user.id])
            db.execute("DELETE FROM sign_in_codes WHERE user_id = ?", [user.id])
    return get_user(db, user.id)


def ensure_learner(db: Database, learner_id: str, name: str) -> None:
    """A ``learners`` row for ``learner_id`` (attempts refer to it); an existing one is kept."""
    with db.conn:
        db.execute(
            "insert or ignore into learners (id, name, created_at) values (?, ?, ?)",
            [learner_id, name, iso_seconds(utc_now())],
        )
