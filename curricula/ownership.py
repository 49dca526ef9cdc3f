"""Who may change a curriculum: its owner instructor and the instructors it is shared with.

Every curriculum has an owner account (``curricula.owner_id``) and a list of co-owners
(``curriculum_editors``). Only they may edit, publish, re-ingest into, share, start classes on
or export the learners' data of a curriculum; every other instructor sees it listed, read-only,
with the owner's display name. The store functions the web UI and the CLI call (``edits``,
``publish``, ``tutor.export_learners``, a class start) check it here with ``require``, so no
page can skip the check.

``who`` is what those functions already take: the acting account's username. Three cases:

* an instructor account: allowed when it owns the curriculum or it is shared with them; an
  *unowned* curriculum (ingested from the terminal into a store with several instructors and no
  ``--owner``) is claimed by the first instructor who acts on it;
* any other account (a learner, a disabled instructor): refused;
* a name that is no account (``"quickstart"``, a script): the store's operator, who can open
  the store file anyway; allowed on an unowned curriculum only. An owned curriculum needs its
  owner's (or a co-owner's) username.

Not handled: a per-action permission list (a co-owner may do all the owner may, except hand
the curriculum to someone else) and deleting a whole curriculum (there is no such operation).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlite_utils import Database

from teachback.curricula import accounts
from teachback.curricula.accounts import User
from teachback.curricula.db import now
from teachback.errors import NotFound, TeachbackError

# What each guarded action is called in a refusal: "only its owner can <verb> it".
ACTIONS = {
    "edit": "edit",
    "publish": "publish",
    "ingest": "add sources to or re-ingest",
    "learners": "see the learners of",
    "class": "start a class on",
    "share": "share",
}


class NotOwner(TeachbackError):
    """The acting account may not change this curriculum (someone else owns it)."""


@dataclass(frozen=True)
class Access:
    """One curriculum as one account sees it."""

    curriculum: str
    owner: User | None  # None: nobody owns it yet (claimable)
    editors: tuple[User, ...]
    mine: bool  # the account owns it or it is shared with them

    @property
    def owner_name(self) -> str:
        return self.owner.display_name if self.owner else "nobody yet"


def _owner_id(db: Database, curriculum: str) -> str | None:
    row = db.execute("SELECT owner_id FROM curricula WHERE id = ?", [curriculum]).fetchone()
    if row is None:
        raise NotFound(f"no curriculum {curriculum!r}")
    return row[0]


def owner_of(db: Database, curriculum: str) -> User | None:
    """The owner's account, or None when nobody owns the curriculum yet."""
    owner_id = _owner_id(db, curriculum)
    return accounts.get_user(db, owner_id) if owner_id else None


def editors_of(db: Database, curriculum: str) -> list[User]:
    """The instructors the curriculum is shared with (not the owner), by username."""
    return [
        accounts.get_user(db, row[0])
        for row in db.execute(
            "SELECT e.user_id FROM curriculum_editors e JOIN users u ON u.id = e.user_id "
            "WHERE e.curriculum_id = ? ORDER BY u.username",
            [curriculum],
        ).fetchall()
    ]


def _may(db: Database, curriculum: str, owner_id: str | None, user: User) -> bool:
    if not user.is_instructor or user.disabled:
        return False
    if owner_id is None or owner_id == user.id:
        return True
    return bool(
        db.execute(
            "SELECT 1 FROM curriculum_editors WHERE curriculum_id = ? AND user_id = ?",
            [curriculum, user.id],
        ).fetchone()
    )


def access(db: Database, curriculum: str, who: str) -> Access:
    """How the account ``who`` (a username) sees ``curriculum``: its owner, co-owners, and
    whether it may change it (an unowned curriculum counts as changeable: acting claims it)."""
    owner_id = _owner_id(db, curriculum)
    user = accounts.find_user(db, who)
    return Access(
        curriculum,
        accounts.get_user(db, owner_id) if owner_id else None,
        tuple(editors_of(db, curriculum)),
        user is not None and _may(db, curriculum, owner_id, user),
    )


def require(db: Database, curriculum: str, who: str | None, action: str) -> None:
    """Allow ``who`` to ``action`` (a key of ``ACTIONS``) ``curriculum``, else ``NotOwner``.

    An instructor acting on an unowned curriculum becomes its owner (in the caller's
    transaction, so a refused or failed edit claims nothing). ``NotFound`` for an unknown
    curriculum.
    """
    verb = ACTIONS[action]
    if "owner_id" not in db["curricula"].columns_dict:
        return  # a store opened without migrating (a test of an older schema): no owners yet
    owner_id = _owner_id(db, curriculum)
    user = accounts.find_user(db, who or "")
    if user is None:  # the store's operator (a script, the CLI): unowned curricula only
        if owner_id is None:
            return
        raise NotOwner(_refusal(db, curriculum, owner_id, verb))
    if not _may(db, curriculum, owner_id, user):
        if not user.is_instructor:
            raise NotOwner(f"only instructors can {verb} a curriculum")
        raise NotOwner(_refusal(db, curriculum, owner_id, verb))
    if owner_id is None:
        db.execute("UPDATE curricula SET owner_id = ? WHERE id = ?", [user.id, curriculum])


def _refusal(db: Database, curriculum: str, owner_id: str, verb: str) -> str:
    owner = accounts.get_user(db, owner_id)
    return (
        f"curriculum {curriculum!r} belongs to {owner.display_name} ({owner.username}): only its "
        f"owner and the instructors they share it with can {verb} it"
    )


def claim(db: Database, curriculum: str, who: str) -> User:
    """Make the instructor ``who`` the owner of an unowned curriculum (refused if owned by
    someone else; nothing changes if already theirs). Returns the owner."""
    user = require_instructor(db, who)
    with db.conn:
        owner_id = _owner_id(db, curriculum)
        if owner_id not in (None, user.id):
            raise NotOwner(_refusal(db, curriculum, owner_id, "claim"))
        db.execute("UPDATE curricula SET owner_id = ? WHERE id = ?", [user.id, curriculum])
    return user


def set_owner(db: Database, curriculum: str, username: str) -> User:
    """Hand ``curriculum`` to the instructor ``username`` (the CLI: the store's operator)."""
    user = require_instructor(db, username)
    with db.conn:
        _owner_id(db, curriculum)
        db.execute("UPDATE curricula SET owner_id = ? WHERE id = ?", [user.id, curriculum])
        db.execute(
            "DELETE FROM curriculum_editors WHERE curriculum_id = ? AND user_id = ?",
            [curriculum, user.id],
        )
    return user


def share(db: Database, curriculum: str, username: str, *, who: str | None = None) -> User:
    """Let the instructor ``username`` change ``curriculum`` as a co-owner. ``who`` (when
    given: the web UI) must be allowed to share it; the CLI passes none."""
    with db.conn:
        if who is not None:
            require(db, curriculum, who, "share")
        user = require_instructor(db, username)
        if _owner_id(db, curriculum) == user.id:
            return user  # the owner already may
        db.execute(
            "INSERT OR IGNORE INTO curriculum_editors (curriculum_id, user_id, added_at, added_by)"
            " VALUES (?, ?, ?, ?)",
            [curriculum, user.id, now(), who or "cli"],
        )
    return user


def unshare(db: Database, curriculum: str, username: str, *, who: str | None = None) -> bool:
    """Take a co-owner's access away; False if they had none."""
    user = accounts.require_user(db, username)
    with db.conn:
        if who is not None:
            require(db, curriculum, who, "share")
        cur = db.execute(
            "DELETE FROM curriculum_editors WHERE curriculum_id = ? AND user_id = ?",
            [curriculum, user.id],
        )
    return cur.rowcount > 0


def require_instructor(db: Database, username: str) -> User:
    """The instructor account ``username`` (``NotFound``; ``AccountError`` for a learner)."""
    user = accounts.require_user(db, username)
    if not user.is_instructor:
        raise accounts.AccountError(
            f"{user.username!r} is a learner: only instructors own curricula"
        )
    return user


def default_owner(db: Database) -> User | None:
    """Who owns what the terminal ingests without ``--owner``: the only instructor, else None
    (the curriculum stays unowned until an instructor claims it)."""
    found = accounts.list_users(db, "instructor")
    active = [u for u in found if not u.disabled]
    return active[0] if len(active) == 1 else None


def prepare(db: Database, curriculum: str, who: str | None, *, title: str | None = None) -> None:
    """Before an ingest or import into ``curriculum``: make it if new, owned by ``who`` (an
    instructor's username; None: nobody yet), or check that ``who`` may add to it."""
    from teachback.curricula.repository import ensure_curriculum

    if db.execute("SELECT 1 FROM curricula WHERE id = ?", [curriculum]).fetchone():
        with db.conn:
            require(db, curriculum, who, "ingest")
        return
    user = require_instructor(db, who) if who else None
    ensure_curriculum(db, curriculum, title)
    if user is not None:
        with db.conn:
            db.execute("UPDATE curricula SET owner_id = ? WHERE id = ?", [user.id, curriculum])
