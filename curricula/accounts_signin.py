"""Signing in and out: by password, by one-time code, or through the identity provider (OIDC,
instructors only), each giving a session token whose sha256 the store keeps until it expires.
Password and code sign-ins are throttled the same way (``accounts_throttle``)."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from sqlite_utils import Database

from teachback.curricula import accounts_throttle as throttle
from teachback.curricula.accounts_codes import normalise_code
from teachback.curricula.accounts_passwords import spend_verify_time, verify_password
from teachback.curricula.accounts_users import (
    SignInFailed,
    User,
    find_user,
    first_claims,
    get_user,
    iso_seconds,
    new_user_id,
    normalise_username,
    require_user,
    sha256_hex,
    user_from_row,
    utc_now,
)

SESSION_TTL = timedelta(days=14)


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
    return start_session(db, row["id"], client=client, at=at), user_from_row(row)


def sign_in_with_code(
    db: Database, code: str, *, client: str = "", at: datetime | None = None
) -> tuple[str, User]:
    """Use a one-time code (it is deleted): a new session token and the learner's account."""
    keys = {throttle.address_key(client): throttle.ADDRESS_LIMIT}
    throttle.check(db, keys, at=at)
    digest = sha256_hex(normalise_code(code))
    moment = iso_seconds(utc_now(at))
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
    moment = utc_now(at)
    with db.conn:
        db.execute("DELETE FROM auth_sessions WHERE expires_at <= ?", [iso_seconds(moment)])
        db.execute(
            """INSERT INTO auth_sessions (token_hash, user_id, created_at, expires_at, client)
               VALUES (?, ?, ?, ?, ?)""",
            [
                sha256_hex(token),
                user_id,
                iso_seconds(moment),
                iso_seconds(moment + SESSION_TTL),
                client[:100],
            ],
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
            [sha256_hex(token), iso_seconds(utc_now(at))],
        )
    )
    return user_from_row(rows[0]) if rows else None


def sign_out(db: Database, token: str | None) -> None:
    """End a session: its token signs no one in any more."""
    if token:
        with db.conn:
            db.execute("DELETE FROM auth_sessions WHERE token_hash = ?", [sha256_hex(token)])


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
                [user_id, username, email, iso_seconds(utc_now())],
            )
        user = require_user(db, username)
        if user.id == user_id:
            first_claims(db, user)
    if user.role != "instructor" or user.disabled:
        raise SignInFailed(f"{email} is not an instructor account here")
    return start_session(db, user.id, client=client), user
