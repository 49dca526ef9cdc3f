"""One-time sign-in codes for learner accounts: an instructor hands one out, the learner signs
in with it once (``accounts_signin.sign_in_with_code``). The store keeps only their sha256."""

from __future__ import annotations

import re
import secrets
from datetime import datetime, timedelta

from sqlite_utils import Database

from teachback.curricula.accounts_users import (
    AccountError,
    iso_seconds,
    require_user,
    sha256_hex,
    utc_now,
)

CODE_TTL = timedelta(days=7)
CODE_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"  # no 0/O, 1/I/L: read aloud or copied by hand
CODE_LENGTH = 12  # 31**12 ~ 2**59: one-time, throttled per address, expires in a week


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
    moment = utc_now(at)
    with db.conn:
        db.execute("DELETE FROM sign_in_codes WHERE expires_at <= ?", [iso_seconds(moment)])
        db.execute(
            """INSERT INTO sign_in_codes (code_hash, user_id, created_at, expires_at, created_by)
               VALUES (?, ?, ?, ?, ?)""",
            [sha256_hex(code), user.id, iso_seconds(moment), iso_seconds(moment + ttl), created_by],
        )
    return format_code(code)


def sign_in_link(code: str, base_url: str = "") -> str:
    """``sign_in_link("ABCD-EFGH-JKMN", "http://h:8501")`` -> ``"http://h:8501/?code=ABCD..."``."""
    return f"{base_url.rstrip('/')}/?code={normalise_code(code)}"
