"""Signed-in people for tests: real accounts in the real store, signed in the way the app does.

Import it as ``from teachback.tests.signin import ...``:

* ``make_user(db, "ada")`` -> the account (made once; password ``PASSWORD``);
* ``sign_in_app(at, db, "ada")`` -> an ``AppTest`` signed in as ada (a session token in its
  ``session_state``, as the sign-in page leaves it);
* ``sign_in_browser(page, base, "grace")`` -> a Playwright page signed in through the sign-in
  page (the cookie then keeps it signed in across reloads and ``goto``).
"""

from __future__ import annotations

from teachback.curricula import accounts

PASSWORD = "correct horse battery"
TOKEN_KEY = "auth_token"  # teachback.ui.identity.TOKEN


def make_user(
    db, username: str, role: str = "learner", *, name: str | None = None, password=PASSWORD
) -> accounts.User:
    """The account ``username`` (made with ``password`` unless it exists already)."""
    user = accounts.find_user(db, username)
    if user is None:
        user = accounts.create_user(db, username, role, display_name=name, password=password)
    return user


def session_token(db, username: str, role: str = "learner", *, name: str | None = None) -> str:
    """A fresh session token for the account (made if needed)."""
    return accounts.start_session(db, make_user(db, username, role, name=name).id, client="test")


def sign_in_app(at, db, username: str, role: str = "learner", *, name: str | None = None):
    """Sign an ``AppTest`` in (before its first run); returns the account."""
    at.session_state[TOKEN_KEY] = session_token(db, username, role, name=name)
    return accounts.find_user(db, username)


def sign_in_browser(page, base: str, username: str, password: str = PASSWORD) -> None:
    """Sign in through the sign-in page of a served app, and wait until the menu shows it."""
    page.goto(base)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    page.get_by_role("button", name="Sign out").wait_for()
