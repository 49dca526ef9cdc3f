"""Passwords: argon2id hashes (argon2-cffi's ``PasswordHasher``) and a minimum strength.

A password is refused when it is shorter than ``MIN_LENGTH`` characters (after trimming the
surrounding whitespace), made of one repeated character, contains the username, or is one of the
common passwords below. That follows NIST SP 800-63B: length and a block list, no composition
rules.

Not handled: a full breached-password corpus (the list is the most common few dozen, enough to stop
the first guesses an attacker tries; the per-account throttle stops the rest).
"""

from __future__ import annotations

import functools

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from teachback.errors import TeachbackError

MIN_LENGTH = 8
MAX_LENGTH = 256  # long enough for any passphrase, short enough that hashing stays cheap

COMMON = frozenset(
    """
    password password1 password12 password123 passw0rd p@ssword p@ssw0rd 12345678 123456789
    1234567890 0123456789 87654321 11111111 00000000 12341234 11223344 qwertyui qwerty123
    qwertyuiop 1q2w3e4r 1qaz2wsx zaq12wsx asdfghjk asdfasdf iloveyou sunshine princess football
    baseball superman batman starwars letmein1 letmeinnow welcome1 welcome123 trustno1 dragon12
    monkey12 master12 abc12345 abcd1234 abcdefgh aa123456 changeme changeme1 secret12 admin123
    administrator teachback teachback1 instructor learner1 student1 teacher1 computer internet
    """.split()
)

_hasher = PasswordHasher()  # argon2id with the library's current recommended parameters


class WeakPassword(TeachbackError):
    """A password that is too short, too common or otherwise easy to guess."""


def check_strength(password: str, username: str = "") -> None:
    """Raise ``WeakPassword`` with what to change, or return for a password good enough.

    >>> check_strength("correct horse battery")
    >>> check_strength(" ")
    Traceback (most recent call last):
    ...
    teachback.curricula.accounts_passwords.WeakPassword: a password needs at least 8 characters
    """
    core = (password or "").strip()
    if len(core) < MIN_LENGTH:
        raise WeakPassword(f"a password needs at least {MIN_LENGTH} characters")
    if len(password) > MAX_LENGTH:
        raise WeakPassword(f"a password has at most {MAX_LENGTH} characters")
    if len(set(core)) == 1:
        raise WeakPassword("a password of one repeated character is too easy to guess")
    lowered = core.lower()
    if lowered in COMMON:
        raise WeakPassword("that password is one of the most common ones: pick another")
    if username and len(username) >= 3 and username.lower() in lowered:
        raise WeakPassword("a password must not contain the username")


def hash_password(password: str) -> str:
    """An argon2id hash of ``password`` (salted; parameters stored in the hash)."""
    return _hasher.hash(password)


def verify_password(password: str, stored: str | None) -> bool:
    """Whether ``password`` matches ``stored``; False for no hash or a malformed one."""
    if not stored or not password:
        return False
    try:
        return _hasher.verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return False


@functools.cache
def _dummy_hash() -> str:
    # made on first use, not at import: argon2 costs ~0.7 s of CPU, which every command
    # importing the store (an ingest, the CLI) would pay without ever checking a login
    return _hasher.hash("a password no account has")


def spend_verify_time(password: str) -> None:
    """Hash once for an unknown username, so a wrong name takes as long as a wrong password."""
    verify_password(password or "x", _dummy_hash())
