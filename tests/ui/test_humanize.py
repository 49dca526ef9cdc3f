"""ui/humanize: times and names as people read them (pure functions, no Streamlit)."""

from datetime import UTC, datetime, timedelta

import pytest

from teachback.ui.humanize import display_name, human_time, parse_time

NOW = datetime(2026, 3, 10, 15, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("ago", "expected"),
    [
        (timedelta(seconds=3), "just now"),
        (timedelta(minutes=1), "a minute ago"),
        (timedelta(minutes=5), "5 minutes ago"),
        (timedelta(hours=2), "2 hours ago"),
        (timedelta(hours=15, minutes=29), "15 hours ago"),
        (timedelta(hours=16), "yesterday"),  # 23:30 the day before: a calendar day
        (timedelta(days=1, hours=10), "yesterday"),
        (timedelta(days=2), "8 Mar"),
        (timedelta(days=400), "3 Feb 2025"),
    ],
)
def test_human_time_reads_as_a_person_says_it(ago, expected):
    assert human_time((NOW - ago).isoformat(), now=NOW) == expected


def test_human_time_accepts_the_stored_forms():
    stored = "2026-03-10T13:30:00+00:00"  # curricula.db.now()
    assert human_time(stored, now=NOW) == "2 hours ago"
    assert human_time("2026-03-10T13:30:00Z", now=NOW) == "2 hours ago"
    assert human_time("2026-03-10T13:30:00", now=NOW) == "2 hours ago"  # naive = UTC
    assert human_time(datetime(2026, 3, 10, 13, 30, tzinfo=UTC), now=NOW) == "2 hours ago"
    assert human_time(NOW.timestamp() - 7200, now=NOW) == "2 hours ago"
    # another zone: 14:30 in UTC+1 is 13:30 UTC
    assert human_time("2026-03-10T14:30:00+01:00", now=NOW) == "2 hours ago"


def test_human_time_never_shows_raw_text():
    for bad in (None, "", "soon", "2026-13-40"):
        assert human_time(bad, now=NOW) == ""


def test_human_time_future():
    assert human_time((NOW + timedelta(hours=3)).isoformat(), now=NOW) == "in 3 hours"
    assert human_time((NOW + timedelta(days=9)).isoformat(), now=NOW) == "19 Mar"


def test_parse_time_is_utc():
    assert parse_time("2026-03-10T16:30:00+01:00") == datetime(2026, 3, 10, 15, 30, tzinfo=UTC)
    assert parse_time("garbage") is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Alan (832a1f)", "Alan"),
        ("Ada Lovelace (0a1b2c3d4e)", "Ada Lovelace"),
        ("learner-ada-lovelace", "Ada Lovelace"),
        ("  Grace   Hopper ", "Grace Hopper"),
        ("Bob (the builder)", "Bob (the builder)"),
        ("Eve (2)", "Eve (2)"),
        ("", "Learner"),
        (None, "Learner"),
    ],
)
def test_display_name_hides_internal_ids(name, expected):
    assert display_name(name) == expected
