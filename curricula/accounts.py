"""Accounts, roles and sign-in sessions: who is using teachback, kept in the store.

Two roles. An *instructor* signs in with a password and works on curricula and classes. A
*learner* signs in with a password or with a one-time code an instructor hands out
(``issue_code``), and sees only their own progress. A learner's account id is the learner id the
tutor records attempts under, so data follows the account, never a typed name.

A sign-in returns a session token (``secrets.token_urlsafe(32)``): the store keeps only its
sha256, and ``user_for_token`` turns the token back into the account until it expires or the
person signs out. The web UI and the terminal tutor both go through ``sign_in`` /
``sign_in_with_code``, so both are throttled the same way (``accounts_throttle``).

Not handled: e-mail delivery of codes (an instructor hands them out) and password reset by the
learner alone (an instructor issues a new code; the learner then sets a new password).
"""

from __future__ import annotations

import hashlib
import re
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from teachback.curricula import accounts_throttle as throttle
from teachback.curricula.accounts_passwords import (
    WeakPassword,
    check_strength,
    hash_password,
    spend_verify_time,
    verify_password,
)
from teachback.errors import NotFound, TeachbackError

ROLES = ("instructor", "learner")
SESSION_TTL = timedelta(days=14)
CODE_TTL = timedelta(days=7)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or copied by hand
CODE_LENGTH = 12  # 31**12 ~ 2**59: one-time, throttled per address, expires in a week
USERNAME = re.compile(r"^[a-z0-9][a-z0-9._@-]{1,59}$")

__all__ = ["WeakPassword", "AccountError", "SignInFailed", "User"]


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


def _now(at: datetime | None = None) -> datetime:
    return at or datetime.now(UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def _user(row: dict) -> User:
    return User(
        id=row["id"],
        username=row["username"],
        display_name=row["display_name"] or row["username"],
        role=row["role"],
        has_password=bool(row["password_hash"]),
        created_at=row["created_at"],
        disabled=bool(row["disabled"]),
    )


# ---------------------------------------------------------------------------------- accounts


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
                    _iso(_now(at)),
                    created_by,
                ],
            )
            if role == "learner":
                db.execute(
                    "INSERT OR IGNORE INTO learners (id, name, created_at) VALUES (?, ?, ?)",
                    [user_id, display, _iso(_now(at))],
                )
    except sqlite3.IntegrityError as err:
        raise AccountError(f"the username {username!r} is taken") from err
    user = get_user(db, user_id)
    if role == "instructor":
        _first_claims(db, user)
    return user


def _first_claims(db: Database, user: User) -> None:
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
    return _user(rows[0])


def find_user(db: Database, username: str) -> User | None:
    """The account with this username (any case), or None."""
    rows = list(
        db.query("SELECT * FROM users WHERE username = ?", [(username or "").strip().lower()])
    )
    return _user(rows[0]) if rows else None


def require_user(db: Database, username: str) -> User:
    user = find_user(db, username)
    if user is None:
        raise NotFound(f"no account named {username!r} (see `teachback users list`)")
    return user


def list_users(db: Database, role: str | None = None) -> list[User]:
    sql, args = "SELECT * FROM users", []
    if role:
        sql, args = sql + " WHERE role = ?", [role]
    return [_user(r) for r in db.query(sql + " ORDER BY role, username", args)]


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


# ------------------------------------------------------------------------- one-time codes


def normalise_code(text: str) -> str:
    """``" abcd-efgh-jkmn "`` -> ``"ABCDEFGHJKMN"`` (typed in any case, dashes ignored)."""
    return re.sub(r"[^0-9A-Z]", "", (text or "").upper())


def format_code(code: str) -> str:
    """``"ABCDEFGHJKMN"`` -> ``"ABCD-EFGH-JKMN"``: easier to read out and type."""
    return "-".join(code[i : i + 4] for i in range(0, len(code), 4))


def issue_code(
    db: Database,
    username: str,
    *,
    created_by: str = "",
    ttl: timedelta = CODE_TTL,
    at: datetime | None = None,
) -> str:
    """A one-time sign-in code for a learner account (formatted ``ABCD-EFGH-JKMN``).

    The store keeps only its sha256; signing in with it deletes it. Instructors sign in with
    their password only: a code for an instructor account is refused.
    """
    user = require_user(db, username)
    if user.role != "learner":
        raise AccountError("one-time codes are for learner accounts; instructors use a password")
    if user.disabled:
        raise AccountError(f"the account {user.username!r} is disabled")
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    moment = _now(at)
    with db.conn:
        db.execute("DELETE FROM sign_in_codes WHERE expires_at <= ?", [_iso(moment)])
        db.execute(
            """INSERT INTO sign_in_codes (code_hash, user_id, created_at, expires_at, created_by)
               VALUES (?, ?, ?, ?, ?)""",
            [_sha256(code), user.id, _iso(moment), _iso(moment + ttl), created_by],
        )
    return format_code(code)


def sign_in_link(code: str, base_url: str = "") -> str:
    """``sign_in_link("ABCD-EFGH-JKMN", "http://h:8501")`` -> ``"http://h:8501/?code=ABCD..."``."""
    return f"{base_url.rstrip('/')}/?code={normalise_code(code)}"


# ---------------------------------------------------------------------------------- sign-in


def sign_in(
    db: Database, username: str, password: str, *, client: str = "", at: datetime | None = None
) -> tuple[str, User]:
    """Check a username and password; return a new session token and the account.

    Raises ``Throttled`` while the account or the client address has too many recent failures
    (the password is not even checked then) and ``SignInFailed`` for any wrong input.
    """
    keys = {throttle.account_key(username or ""): throttle.ACCOUNT_LIMIT,
            throttle.address_key(client): throttle.ADDRESS_LIMIT}  # fmt: skip
    throttle.check(db, keys, at=at)
    name = (username or "").strip().lower()
    row = next(iter(db.query("SELECT * FROM users WHERE username = ?", [name])), None)
    if row is None:
        spend_verify_time(password)
        ok = False
    else:
        ok = verify_password(password, row["password_hash"]) and not row["disabled"]
    if not ok:
        throttle.record_failure(db, list(keys), at=at)
        raise SignInFailed()
    throttle.clear(db, throttle.account_key(row["username"]), at=at)
    return start_session(db, row["id"], client=client, at=at), _user(row)


def sign_in_with_code(
    db: Database, code: str, *, client: str = "", at: datetime | None = None
) -> tuple[str, User]:
    """Use a one-time code (it is deleted): a new session token and the learner's account."""
    keys = {throttle.address_key(client): throttle.ADDRESS_LIMIT}
    throttle.check(db, keys, at=at)
    digest = _sha256(normalise_code(code))
    moment = _iso(_now(at))
    with db.conn:
        row = db.execute(
            "SELECT user_id FROM sign_in_codes WHERE code_hash = ? AND expires_at > ?",
            [digest, moment],
        ).fetchone()
        db.execute("DELETE FROM sign_in_codes WHERE code_hash = ?", [digest])
    user = get_user(db, row[0]) if row else None
    if user is None or user.disabled:
        throttle.record_failure(db, list(keys), at=at)
        raise SignInFailed("this sign-in code is wrong, used or expired: ask for a new one")
    return start_session(db, user.id, client=client, at=at), user


def start_session(
    db: Database, user_id: str, *, client: str = "", at: datetime | None = None
) -> str:
    """A new session for an account (after a check elsewhere, e.g. a class join code)."""
    token = secrets.token_urlsafe(32)
    moment = _now(at)
    with db.conn:
        db.execute("DELETE FROM auth_sessions WHERE expires_at <= ?", [_iso(moment)])
        db.execute(
            """INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at, client)
               VALUES (?, ?, ?, ?, ?)""",
            [_sha256(token), user_id, _iso(moment), _iso(moment + SESSION_TTL), client[:100]],
        )
    return token


def user_for_token(db: Database, token: str | None, *, at: datetime | None = None) -> User | None:
    """The signed-in account for a session token, or None (unknown, expired, disabled)."""
    if not token or not isinstance(token, str):
        return None
    rows = list(
        db.query(
            """SELECT u.* FROM auth_sessions s JOIN users u ON u.id = s.user_id
               WHERE s.token_hash = ? AND s.expires_at > ? AND u.disabled = 0""",
            [_sha256(token), _iso(_now(at))],
        )
    )
    return _user(rows[0]) if rows else None


def sign_out(db: Database, token: str | None) -> None:
    """End a session: its token signs no one in any more."""
    if token:
        with db.conn:
            db.execute("DELETE FROM auth_sessions WHERE token_hash = ?", [_sha256(token)])


# ---------------------------------------------------------------------------------- OIDC


def oidc_instructor(email: str | None, allowed) -> bool:
    """Whether an identity provider's user is an instructor: only when listed by name.

    With no list configured nobody is (a provider's users are not all instructors).
    """
    if not email or not allowed:
        return False
    listed = {str(e).strip().lower() for e in allowed if str(e).strip()}
    return email.strip().lower() in listed


def oidc_session(db: Database, email: str, *, client: str = "") -> tuple[str, User]:
    """A session for a listed instructor who signed in through the identity provider; their
    account (username = e-mail) is made on first sign-in, with no password of its own."""
    username = normalise_username(email)
    user = find_user(db, username)
    if user is None:
        user_id = new_user_id("instructor")
        with db.conn:
            db.execute(
                """INSERT OR IGNORE INTO users (id, username, display_name, role, password_hash,
                   created_at, created_by, disabled)
                   VALUES (?, ?, ?, 'instructor', NULL, ?, 'oidc', 0)""",
                [user_id, username, email, _iso(_now())],
            )
        user = require_user(db, username)
        if user.id == user_id:
            _first_claims(db, user)
    if user.role != "instructor" or user.disabled:
        raise SignInFailed(f"{email} is not an instructor account here")
    return start_session(db, user.id, client=client), user


def ensure_learner(db: Database, learner_id: str, name: str) -> None:
    """A ``learners`` row for ``learner_id`` (attempts refer to it); an existing one is kept."""
    with db.conn:
        db.execute(
            "insert or ignore into learners (id, name, created_at) values (?, ?, ?)",
            [learner_id, name, _iso(_now())],
        )
