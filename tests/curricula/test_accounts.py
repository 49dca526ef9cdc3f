"""The accounts store: users and roles, passwords, one-time codes, sessions (real SQLite)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from teachback.curricula import accounts
from teachback.curricula.accounts_passwords import hash_password, verify_password
from teachback.errors import NotFound

PASSWORD = "correct horse battery"
T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)


def test_create_find_and_list_users(db):
    grace = accounts.create_user(
        db, " Grace ", "instructor", display_name=" Grace  Hopper ", password=PASSWORD, at=T0
    )
    ada = accounts.create_user(db, "ada", "learner", created_by="grace", at=T0)
    assert grace == accounts.User(
        id=grace.id, username="grace", display_name="Grace Hopper", role="instructor",
        has_password=True, created_at="2026-03-01T09:00:00+00:00", disabled=False,
    )  # fmt: skip
    assert grace.id.startswith("instructor-") and len(grace.id) == len("instructor-") + 24
    assert (ada.display_name, ada.has_password, ada.is_instructor) == ("ada", False, False)
    assert db["learners"].get(ada.id)["name"] == "ada"  # the tutor knows the learner id
    assert accounts.find_user(db, "GRACE") == grace
    assert accounts.find_user(db, "nobody") is None
    assert [u.username for u in accounts.list_users(db)] == ["grace", "ada"]
    assert [u.username for u in accounts.list_users(db, "learner")] == ["ada"]
    assert accounts.count_instructors(db) == 1


@pytest.mark.parametrize(
    ("username", "role", "password", "message"),
    [
        ("a", "learner", None, "2 to 60 characters"),
        ("bad name", "learner", None, "2 to 60 characters"),
        ("-dash", "learner", None, "2 to 60 characters"),
        ("ok", "admin", None, "a role is one of instructor, learner"),
        ("ok", "instructor", None, "needs a password"),
    ],
)
def test_bad_accounts_are_refused(db, username, role, password, message):
    with pytest.raises(accounts.AccountError, match=message):
        accounts.create_user(db, username, role, password=password)
    assert db["users"].count == 0


def test_a_taken_username_is_refused_in_any_case(db):
    accounts.create_user(db, "ada", "learner")
    with pytest.raises(accounts.AccountError, match="'ada' is taken"):
        accounts.create_user(db, "ADA", "learner")


def test_passwords_are_argon2_hashes():
    stored = hash_password(PASSWORD)
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert verify_password(PASSWORD, stored)
    assert not verify_password("wrong", stored)
    assert not verify_password(PASSWORD, "garbage") and not verify_password(PASSWORD, None)
    assert hash_password(PASSWORD) != stored  # salted


def test_sign_in_gives_a_session_until_sign_out_or_expiry(db):
    grace = accounts.create_user(db, "grace", "instructor", password=PASSWORD)
    token, user = accounts.sign_in(db, "Grace", PASSWORD, client="127.0.0.1", at=T0)
    assert user == grace and len(token) >= 40
    assert db["auth_sessions"].count == 1
    assert token not in str(list(db["auth_sessions"].rows))  # only its hash is stored
    assert accounts.user_for_token(db, token, at=T0 + timedelta(days=13)) == grace
    assert accounts.user_for_token(db, token, at=T0 + accounts.SESSION_TTL) is None
    assert accounts.user_for_token(db, "made-up", at=T0) is None
    assert accounts.user_for_token(db, None) is None
    accounts.sign_out(db, token)
    assert accounts.user_for_token(db, token, at=T0) is None


def test_one_time_codes_work_once_and_expire(db):
    accounts.create_user(db, "ada", "learner")
    code = accounts.issue_code(db, "ada", created_by="grace", at=T0)
    assert len(code) == 14 and code.count("-") == 2
    assert code not in str(list(db["sign_in_codes"].rows))
    _, user = accounts.sign_in_with_code(db, f" {code.lower()} ", at=T0)
    assert user.username == "ada"
    with pytest.raises(accounts.SignInFailed, match="wrong, used or expired"):
        accounts.sign_in_with_code(db, code, at=T0)
    late = accounts.issue_code(db, "ada", at=T0)
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in_with_code(db, late, at=T0 + accounts.CODE_TTL)
    assert accounts.sign_in_link("ABCD-EFGH-JKMN", "http://h:8501/") == (
        "http://h:8501/?code=ABCDEFGHJKMN"
    )


def test_codes_are_for_learners_only(db):
    accounts.create_user(db, "grace", "instructor", password=PASSWORD)
    with pytest.raises(accounts.AccountError, match="for learner accounts"):
        accounts.issue_code(db, "grace")
    with pytest.raises(NotFound, match="no account named 'nobody'"):
        accounts.issue_code(db, "nobody")


def test_change_password_checks_the_current_one(db):
    ada = accounts.create_user(db, "ada", "learner")  # code-only: sets one without a current
    accounts.change_password(db, ada.id, None, "a long new passphrase")
    with pytest.raises(accounts.SignInFailed, match="current password is wrong"):
        accounts.change_password(db, ada.id, "wrong", "another long passphrase")
    accounts.change_password(db, ada.id, "a long new passphrase", "another long passphrase")
    assert accounts.sign_in(db, "ada", "another long passphrase")[1].id == ada.id


def test_a_disabled_account_cannot_sign_in_and_loses_its_sessions(db):
    accounts.create_user(db, "ada", "learner", password=PASSWORD)
    token, _ = accounts.sign_in(db, "ada", PASSWORD)
    code = accounts.issue_code(db, "ada")
    assert accounts.set_disabled(db, "ada").disabled
    assert accounts.user_for_token(db, token) is None
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(db, "ada", PASSWORD)
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in_with_code(db, code)
    accounts.set_disabled(db, "ada", False)
    assert accounts.sign_in(db, "ada", PASSWORD)[1].username == "ada"


def test_a_guest_learner_has_a_random_username_and_id(db):
    one = accounts.create_guest_learner(db, "Bob")
    two = accounts.create_guest_learner(db, "Bob")
    assert one.display_name == two.display_name == "Bob"
    assert one.username != two.username and one.username.startswith("guest-")
    assert one.id != two.id and "bob" not in one.id.lower()


def test_oidc_session_makes_a_listed_instructor_once(db):
    token, user = accounts.oidc_session(db, "Grace@Example.org")
    assert (user.username, user.role, user.has_password) == ("grace@example.org", "instructor",
                                                              False)  # fmt: skip
    assert accounts.user_for_token(db, token) == user
    _, again = accounts.oidc_session(db, "grace@example.org")
    assert again.id == user.id and db["users"].count == 1
    accounts.create_user(db, "eve@example.org", "learner")
    with pytest.raises(accounts.SignInFailed, match="not an instructor"):
        accounts.oidc_session(db, "eve@example.org")
