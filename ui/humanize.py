"""Times and names as a person reads them: "2 hours ago", "yesterday", "3 Mar 2026"; "Alan"
rather than "Alan (832a1f)" or "learner-alan".

Pure functions (no Streamlit), so pages, the terminal and tests share them. Stored times are
ISO-8601 UTC text (``curricula.db.now``); a time without a zone is taken as UTC.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import humanize as _humanize

__all__ = ["display_name", "human_time", "parse_time"]


def parse_time(value: str | datetime | date | float | int | None) -> datetime | None:
    """A stored time as an aware UTC datetime; None for nothing or text that is not a time.

    >>> parse_time("2026-03-01T10:00:00+00:00")
    datetime.datetime(2026, 3, 1, 10, 0, tzinfo=datetime.timezone.utc)
    >>> parse_time("not a time") is None
    True
    """
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        moment = value
    elif isinstance(value, date):
        moment = datetime(value.year, value.month, value.day)
    elif isinstance(value, int | float):
        moment = datetime.fromtimestamp(value, UTC)
    else:
        try:
            moment = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
        except ValueError:
            return None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


def human_time(value, *, now: datetime | None = None) -> str:
    """When something happened, the way a person says it.

    Under a day ago: "just now", "5 minutes ago", "2 hours ago"; the calendar day before:
    "yesterday"; older (or in the future beyond a day): a date, with the year only when it is
    not this year. Unreadable input comes back as "" rather than as raw text.

    >>> at = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)
    >>> human_time("2026-03-10T10:00:00+00:00", now=at)
    '2 hours ago'
    >>> human_time("2026-03-09T08:00:00+00:00", now=at)
    'yesterday'
    >>> human_time("2026-02-01T08:00:00+00:00", now=at)
    '1 Feb'
    >>> human_time("2025-02-01T08:00:00+00:00", now=at)
    '1 Feb 2025'
    """
    moment = parse_time(value)
    if moment is None:
        return ""
    now = parse_time(now) if now is not None else datetime.now(UTC)
    ago = now - moment
    if timedelta(seconds=-60) <= ago < timedelta(seconds=10):
        return "just now"
    if timedelta(0) <= ago < timedelta(days=1) and moment.date() == now.date():
        return _humanize.naturaltime(ago)
    if moment.date() == now.date() - timedelta(days=1):
        return "yesterday"
    if timedelta(0) < -ago < timedelta(days=1):
        return "in " + _humanize.naturaldelta(-ago)
    if moment.year == now.year:
        return f"{moment.day} {moment:%b}"
    return f"{moment.day} {moment:%b %Y}"


# "Alan (832a1f)": a classroom member's learner name carries the class session's id.
_SESSION_SUFFIX = re.compile(r"\s*\((?:[0-9a-f]{6}|[0-9a-f]{8,})\)\s*$")
_LEARNER_ID = re.compile(r"^learner-(?P<slug>[a-z0-9][a-z0-9-]*)$")


def display_name(name: str | None, *, fallback: str = "Learner") -> str:
    """A learner's name as people should see it, without internal ids.

    >>> display_name("Alan (832a1f)")
    'Alan'
    >>> display_name("learner-ada-lovelace")
    'Ada Lovelace'
    >>> display_name("Bob (the builder)")
    'Bob (the builder)'
    >>> display_name("  ")
    'Learner'
    """
    text = " ".join(str(name or "").split())
    match = _LEARNER_ID.match(text)
    if match:
        text = " ".join(part.capitalize() for part in match.group("slug").split("-") if part)
    text = _SESSION_SUFFIX.sub("", text).strip()
    return text or fallback
