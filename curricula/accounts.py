"""Accounts, roles and sign-in sessions: who is using teachback, kept in the store.

Two roles. An *instructor* signs in with a password and works on curricula and classes. A
*learner* signs in with a password or with a one-time code an instructor hands out
(``issue_code``), and sees only their own progress. A learner's account id is the learner id the
tutor records attempts under, so data follows the account, never a typed name.

A sign-in returns a session token (``secrets.token_urlsafe(32)``): the store keeps only its
sha256, and ``user_for_token`` turns the token back into the account until it expires or the
person signs out. The web UI and the terminal tutor both go through ``sign_in`` /
``sign_in_with_code``, so both are throttled the same way (``accounts_throttle``).

Each part lives in a module with one job; this module gathers their public names so that a
caller needs one import: ``accounts_users`` (the accounts and changes to them),
``accounts_codes`` (one-time sign-in codes), ``accounts_signin`` (sessions: password, code,
OIDC), ``accounts_passwords`` and ``accounts_throttle``.

Not handled: e-mail delivery of codes (an instructor hands them out) and password reset by the
learner alone (an instructor issues a new code; the learner then sets a new password).
"""

from __future__ import annotations

from teachback.curricula.accounts_codes import (
    CODE_ALPHABET,
    CODE_LENGTH,
    CODE_TTL,
    format_code,
    issue_code,
    normalise_code,
    sign_in_link,
)
from teachback.curricula.accounts_passwords import WeakPassword
from teachback.curricula.accounts_signin import (
    SESSION_TTL,
    oidc_instructor,
    oidc_session,
    sign_in,
    sign_in_with_code,
    sign_out,
    start_session,
    user_for_token,
)
from teachback.curricula.accounts_users import (
    ROLES,
    USERNAME,
    AccountError,
    SignInFailed,
    User,
    change_password,
    count_instructors,
    create_guest_learner,
    create_user,
    ensure_learner,
    find_user,
    get_user,
    list_users,
    map_legacy_classes,
    new_user_id,
    normalise_username,
    require_user,
    set_disabled,
    set_password,
)

__all__ = [
    "AccountError",
    "CODE_ALPHABET",
    "CODE_LENGTH",
    "CODE_TTL",
    "ROLES",
    "SESSION_TTL",
    "SignInFailed",
    "USERNAME",
    "User",
    "WeakPassword",
    "change_password",
    "count_instructors",
    "create_guest_learner",
    "create_user",
    "ensure_learner",
    "find_user",
    "format_code",
    "get_user",
    "issue_code",
    "list_users",
    "map_legacy_classes",
    "new_user_id",
    "normalise_code",
    "normalise_username",
    "oidc_instructor",
    "oidc_session",
    "require_user",
    "set_disabled",
    "set_password",
    "sign_in",
    "sign_in_link",
    "sign_in_with_code",
    "sign_out",
    "start_session",
    "user_for_token",
]
