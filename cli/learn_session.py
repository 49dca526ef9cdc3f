"""The terminal's remembered sign-in: the session token of the learner who last signed in to
``teachback learn`` on one store, kept so that the next ``teachback learn`` continues without a
new code or the password.

The token is the store's own session (``accounts.start_session``: the store keeps only its
sha256, it expires after ``accounts.SESSION_TTL`` and ``--sign-out`` ends it), so the store
decides who it signs in, as for the browser's cookie. This computer keeps the token in
``$XDG_CONFIG_HOME/teachback/terminal-sessions.json`` (``~/.config`` without it), one token per
store, readable by its owner only: a file other users could read is not used.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

FILE_NAME = "terminal-sessions.json"


def sessions_file() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "teachback" / FILE_NAME


def _key(db_path) -> str:
    return str(Path(db_path).resolve())


def _read() -> tuple[dict, str | None]:
    """The saved tokens by store, and why the file was not used (None: it was, or is absent)."""
    path = sessions_file()
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return {}, None
    if mode & (stat.S_IRWXG | stat.S_IRWXO):
        return {}, f"{path} is readable by other users, so it was not used; delete it"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}, None
    return (data if isinstance(data, dict) else {}), None


def _write(data: dict) -> None:
    """Replace the file atomically, created readable and writable by its owner only."""
    path = sessions_file()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    tmp = path.with_name(f".{FILE_NAME}.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as out:
        json.dump(data, out, indent=1, sort_keys=True)
    os.replace(tmp, path)


def saved_token(db_path) -> tuple[str | None, str | None]:
    """The token saved for this store (None: none), and a warning to show (None: none)."""
    data, warning = _read()
    token = data.get(_key(db_path))
    return (token if isinstance(token, str) and token else None), warning


def save_token(db_path, token: str) -> str | None:
    """Remember ``token`` for this store; returns the token it replaces (to sign it out)."""
    data, warning = _read()
    if warning:
        return None  # leave a file we may not trust alone; the session is simply not kept
    old = data.get(_key(db_path))
    data[_key(db_path)] = token
    _write(data)
    return old if isinstance(old, str) and old != token else None


def forget_token(db_path) -> str | None:
    """Forget this store's token; returns it (to sign it out), or None when there was none."""
    data, warning = _read()
    if warning or _key(db_path) not in data:
        return None
    old = data.pop(_key(db_path))
    _write(data)
    return old if isinstance(old, str) else None
