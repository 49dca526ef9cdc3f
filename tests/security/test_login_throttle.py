"""Probes of password guessing: the throttle lives in the store, per account and per client
address, so a reload, a new tab or a restarted server does not reset it (issue 14, item 2:
five wrong passwords used to lock only the browser session, and one reload unlocked it)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from teachback.curricula import accounts
from teachback.curricula import accounts_throttle as throttle
from teachback.curricula.db import open_db
from teachback.tests.signin import PASSWORD, make_user

EDITOR = "from teachback.ui.instructor import editor\neditor.render()\n"


def try_password(password: str, username: str = "grace") -> AppTest:
    """A fresh browser session (a reload) that tries one password on the sign-in form."""
    at = AppTest.from_string(EDITOR, default_timeout=30).run()
    at.text_input(key="instructor_sign_in_username").input(username)
    at.text_input(key="instructor_sign_in_password").input(password)
    return at.button(key="FormSubmitter:instructor_sign_in-Sign in").click().run()


def test_a_reload_does_not_reset_the_lockout(served):
    make_user(served, "grace", "instructor")
    for n in range(throttle.ACCOUNT_LIMIT):
        at = try_password(f"guess number {n}")
        assert at.error[0].value == "Wrong username or password"
    at = try_password(PASSWORD)  # the right password, in yet another session
    assert at.error[0].value.startswith("Too many failed sign\\-ins: try again in 15 minutes")
    assert at.title[0].value == "Instructors only"
    assert "auth_token" not in at.session_state


def test_the_lockout_survives_a_restart_and_ends_with_its_window(tmp_path):
    path = tmp_path / "store.db"
    db = open_db(path)
    make_user(db, "grace", "instructor")
    start = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    for n in range(throttle.ACCOUNT_LIMIT):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(db, "grace", f"guess {n}", client="10.0.0.9", at=start)
    db.close()

    db = open_db(path)  # the server restarted
    with pytest.raises(throttle.Throttled) as locked:
        accounts.sign_in(db, "grace", PASSWORD, client="10.0.0.7", at=start + timedelta(minutes=1))
    assert locked.value.retry_after == timedelta(minutes=14)
    assert str(locked.value) == "too many failed sign-ins: try again in 14 minutes"
    later = start + throttle.WINDOW + timedelta(seconds=1)
    _, user = accounts.sign_in(db, "grace", PASSWORD, client="10.0.0.7", at=later)
    assert user.username == "grace"
    assert db["sign_in_failures"].count == 0  # old failures pruned, the account's cleared
    db.close()


def test_one_address_guessing_many_accounts_is_stopped(served):
    for name in ("ann", "ben", "cat"):
        make_user(served, name, "learner")
    at = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
    names = ["ann", "ben", "cat", "dan", "nobody"]
    for n in range(throttle.ADDRESS_LIMIT):  # 20 guesses, 4 per account: no account locks
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in(served, names[n % 5], f"guess {n}", client="203.0.113.5", at=at)
    with pytest.raises(throttle.Throttled):
        accounts.sign_in(served, "ann", PASSWORD, client="203.0.113.5", at=at)
    # Another address is not blocked by it; ann's own five failures are not reached there.
    _, user = accounts.sign_in(served, "ann", PASSWORD, client="198.51.100.1", at=at)
    assert user.username == "ann"


def test_guessing_one_time_codes_is_throttled_per_address(served):
    make_user(served, "ann", "learner", password=None)
    code = accounts.issue_code(served, "ann")
    at = datetime.now(UTC)
    for n in range(throttle.ADDRESS_LIMIT):
        with pytest.raises(accounts.SignInFailed):
            accounts.sign_in_with_code(served, f"AAAA-BBBB-{n:04d}", client="203.0.113.5", at=at)
    with pytest.raises(throttle.Throttled):
        accounts.sign_in_with_code(served, code, client="203.0.113.5", at=at)
    _, user = accounts.sign_in_with_code(served, code, client="198.51.100.1", at=at)
    assert user.username == "ann"


def test_an_unknown_username_counts_and_answers_like_a_wrong_password(served):
    make_user(served, "grace", "instructor")
    with pytest.raises(accounts.SignInFailed) as unknown:
        accounts.sign_in(served, "gracie", PASSWORD, client="a")
    with pytest.raises(accounts.SignInFailed) as wrong:
        accounts.sign_in(served, "grace", "not it at all", client="a")
    assert str(unknown.value) == str(wrong.value) == "wrong username or password"
    keys = [r["key"] for r in served.query("select key from sign_in_failures order by id")]
    assert keys == ["account:gracie", "address:a", "account:grace", "address:a"]
