"""The instructor's password: configured once, kept and compared only as a salted hash.

Configure one of (first found wins):
* ``TEACHBACK_INSTRUCTOR_PASSWORD_HASH``: a hash made by ``python -m teachback.curricula.auth``
  (format ``scrypt$n$r$p$<salt hex>$<hash hex>`` or ``pbkdf2_sha256$<iterations>$<salt>$<hash>``);
* ``TEACHBACK_INSTRUCTOR_PASSWORD``: the password itself; it is hashed with a fresh random salt
  when read and only the hash is kept in memory;
* ``[teachback] instructor_password_hash = "..."`` in ``.streamlit/secrets.toml`` (the web UI
  passes it in as ``secret_hash``).

With none configured, instructor pages stay locked (there is no default password). Comparison is
constant-time (``hmac.compare_digest``). Optionally the web UI uses Streamlit's OIDC ``st.login``
when ``.streamlit/secrets.toml`` has an ``[auth]`` section (see ``docs/instructor.md``).
"""

from __future__ import annotations

import getpass
import hashlib
import hmac
import os
import secrets
import sys

ENV_PASSWORD = "TEACHBACK_INSTRUCTOR_PASSWORD"
ENV_HASH = "TEACHBACK_INSTRUCTOR_PASSWORD_HASH"
# scrypt cost: n=2**14, r=8, p=1 takes ~30 ms and 16 MB here: slow to guess, fast enough to log in.
SCRYPT_N, SCRYPT_R, SCRYPT_P = 2**14, 8, 1


def hash_password(password: str, *, salt: bytes | None = None) -> str:
    """A salted scrypt hash of ``password`` as one text field."""
    if not password:
        raise ValueError("the password is empty")
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.scrypt(
        password.encode("utf-8"), salt=salt, n=SCRYPT_N, r=SCRYPT_R, p=SCRYPT_P, dklen=32
    )
    return f"scrypt${SCRYPT_N}${SCRYPT_R}${SCRYPT_P}${salt.hex()}${digest.hex()}"


def verify_password(password: str, stored: str) -> bool:
    """Whether ``password`` matches ``stored`` (a hash from ``hash_password`` or pbkdf2)."""
    if not password or not stored:
        return False
    try:
        parts = stored.split("$")
        if parts[0] == "scrypt" and len(parts) == 6:
            n, r, p = (int(x) for x in parts[1:4])
            salt, want = bytes.fromhex(parts[4]), bytes.fromhex(parts[5])
            got = hashlib.scrypt(
                password.encode("utf-8"),
                salt=salt,
                n=n,
                r=r,
                p=p,
                dklen=len(want),
                maxmem=256 * 1024 * 1024,
            )
        elif parts[0] == "pbkdf2_sha256" and len(parts) == 4:
            iterations = int(parts[1])
            salt, want = bytes.fromhex(parts[2]), bytes.fromhex(parts[3])
            got = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
        else:
            return False
    except (ValueError, OverflowError):
        return False
    return hmac.compare_digest(got, want)


_from_plain: dict[str, str] = {}  # a plain-text password from the environment -> its hash


def configured_hash(secret_hash: str | None = None) -> str | None:
    """The instructor password hash from the environment (or ``secret_hash``), or None."""
    if value := os.environ.get(ENV_HASH, "").strip():
        return value
    if plain := os.environ.get(ENV_PASSWORD, ""):
        fingerprint = hashlib.sha256(plain.encode()).hexdigest()
        if fingerprint not in _from_plain:
            _from_plain.clear()
            _from_plain[fingerprint] = hash_password(plain)
        return _from_plain[fingerprint]
    return (secret_hash or "").strip() or None


def check_instructor(password: str, secret_hash: str | None = None) -> bool:
    """Whether ``password`` is the configured instructor password (False if none is set)."""
    stored = configured_hash(secret_hash)
    return stored is not None and verify_password(password, stored)


def main() -> None:  # pragma: no cover - interactive
    """``python -m teachback.curricula.auth``: print a hash for the *_PASSWORD_HASH variable."""
    first = getpass.getpass("Instructor password: ")
    if len(first) < 8:
        sys.exit("Use at least 8 characters.")
    if getpass.getpass("Again: ") != first:
        sys.exit("The two passwords differ.")
    print(hash_password(first))


if __name__ == "__main__":  # pragma: no cover
    main()
