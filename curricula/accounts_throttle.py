"""Failed sign-ins, counted in the store per account and per client address.

Each failure adds a row under two keys (``account:<username>`` and ``address:<client>``). A key
with ``limit`` failures within ``WINDOW`` is blocked until the oldest of them leaves the window:
every attempt, right or wrong, is refused while blocked, so guessing stays slow whatever the
browser does (a reload, a new tab, a restart of the server all read the same rows).

Not handled: a client behind a shared proxy is one address (raise ``ADDRESS_LIMIT`` there).
"""

from __future__ import annotations

import math
from datetime import UTC, datetime, timedelta

from sqlite_utils import Database

from teachback.errors import TeachbackError

WINDOW = timedelta(minutes=15)
ACCOUNT_LIMIT = 5  # wrong passwords for one account within WINDOW
ADDRESS_LIMIT = 20  # failures from one client address within WINDOW, whatever the account


class Throttled(TeachbackError):
    """Too many failed sign-ins: nothing is checked until ``retry_after`` has passed."""

    def __init__(self, retry_after: timedelta):
        self.retry_after = retry_after
        # Rounded up: "try again in 14 minutes" said 14:40 before the end would send a
        # learner back too early, and the figure would depend on how long the form took.
        minutes = max(1, math.ceil(retry_after.total_seconds() / 60))
        super().__init__(
            f"too many failed sign-ins: try again in {minutes} minute{'s' * (minutes != 1)}"
        )


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def account_key(username: str) -> str:
    return f"account:{username.strip().lower()}"


def address_key(client: str) -> str:
    return f"address:{client or 'unknown'}"


def check(db: Database, keys: dict[str, int], *, at: datetime | None = None) -> None:
    """Raise ``Throttled`` if any key has reached its limit within the window."""
    at = at or datetime.now(UTC)
    since = _iso(at - WINDOW)
    for key, limit in keys.items():
        rows = db.execute(
            "SELECT at FROM sign_in_failures WHERE key = ? AND at > ? ORDER BY at DESC LIMIT ?",
            [key, since, limit],
        ).fetchall()
        if len(rows) >= limit:
            oldest = datetime.fromisoformat(rows[-1][0])
            raise Throttled(max(oldest + WINDOW - at, timedelta(seconds=1)))


def record_failure(db: Database, keys: list[str], *, at: datetime | None = None) -> None:
    """Count one failure under each key (and forget failures older than the window)."""
    at = at or datetime.now(UTC)
    with db.conn:
        db.execute("DELETE FROM sign_in_failures WHERE at <= ?", [_iso(at - WINDOW)])
        for key in keys:
            db.execute("INSERT INTO sign_in_failures (key, at) VALUES (?, ?)", [key, _iso(at)])


def clear(db: Database, key: str, *, at: datetime | None = None) -> None:
    """Forget an account's failures after it signed in with the right password (and every
    failure that has left the window)."""
    at = at or datetime.now(UTC)
    with db.conn:
        db.execute(
            "DELETE FROM sign_in_failures WHERE key = ? OR at <= ?", [key, _iso(at - WINDOW)]
        )
