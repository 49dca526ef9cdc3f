"""The edit history in words: "Renamed “Hash” to “Hash table”", not ``concept=bio/x, old=...``.

Pure functions over ``curricula.edits.history`` rows (no Streamlit), so they are tested
directly. Names are given in curly quotes as plain text; the page escapes them for Markdown.
``focus_of`` says which concept the editor should show after an edit or its undo.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

OPS = {
    "add_concept": "adding a concept",
    "rename": "rename",
    "update_concept": "change to a concept",
    "merge": "merge",
    "split": "split",
    "delete_concept": "deletion",
    "add_edge": "new link",
    "remove_edge": "removed link",
    "reorder_units": "unit reordering",
    "move_concept": "move",
    "edit_lesson": "lesson edit",
    "approve_exercise": "approval",
    "reject_exercise": "rejection",
    "edit_exercise": "exercise edit",
    "add_exercise": "new exercise",
    "undo": "undo",
}
FIELDS = {"definition": "definition", "importance": "importance", "aliases": "aliases",
          "name": "name", "kind": "kind"}  # fmt: skip


def _q(text) -> str:
    return f"\u201c{text}\u201d"


def _short(text, width: int = 70) -> str:
    text = " ".join(str(text or "").split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "\u2026"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]


def describe(edit: dict, names: dict[str, str], *, exercises: dict[str, str] | None = None,
             units: dict | None = None, earlier: dict[int, dict] | None = None) -> str:  # fmt: skip
    """One line saying what an edit did, in the instructor's words.

    ``names``: concept id -> current name (a concept gone since is named from its id);
    ``exercises``: exercise id -> prompt (plain text); ``units``: unit id -> title;
    ``earlier``: edit id -> edit row (to say what an undo undid).

    >>> describe({"op": "rename", "payload": {"concept": "c/x", "old": "Hash", "new": "Map"}}, {})
    'Renamed “Hash” to “Map”'
    """
    op = edit.get("op", "")
    say = _SAY.get(op)
    if say is None:
        return OPS.get(op, op.replace("_", " ")).capitalize()
    words = _Words(names, exercises or {}, units or {}, earlier or {})
    return say(edit.get("payload") or {}, words)


@dataclass(frozen=True)
class _Words:
    """What an edit's ids are called: concepts by name, exercises by prompt, units by title."""

    names: dict[str, str]
    exercises: dict[str, str]
    units: dict
    earlier: dict[int, dict]

    def name(self, cid) -> str:
        return _q(self.names.get(cid) or str(cid or "").rsplit("/", 1)[-1].replace("-", " "))

    def exercise(self, xid) -> str:
        prompt = self.exercises.get(xid)
        return f"the exercise {_q(_short(prompt))}" if prompt else "an exercise"


def _changed(p: dict, w: _Words) -> str:
    changed = [FIELDS.get(k, k.replace("_", " ")) for k in p if k != "concept"]
    what = _and(changed) if changed else "details"
    return f"Changed the {what} of {w.name(p.get('concept'))}"


def _linked(p: dict, w: _Words) -> str:
    if p.get("kind") == "related":
        return f"Linked {w.name(p.get('prerequisite'))} and {w.name(p.get('concept'))} as related"
    return f"Made {w.name(p.get('prerequisite'))} a prerequisite of {w.name(p.get('concept'))}"


def _moved(p: dict, w: _Words) -> str:
    unit = w.units.get(p.get("unit"))
    where = f" to {_q(unit)}" if unit else ""
    return f"Moved {w.name(p.get('concept'))}{where}, position {int(p.get('index', 0)) + 1}"


def _rejected(p: dict, w: _Words) -> str:
    why = f" ({_short(p['reason'], 60)})" if p.get("reason") else ""
    return f"Rejected {w.exercise(p.get('exercise'))}{why}"


def _undone(p: dict, w: _Words) -> str:
    undone = w.earlier.get(p.get("edit"))
    if undone is None:
        return f"Undid an earlier {OPS.get(p.get('op'), 'edit')}"
    what = describe(undone, w.names, exercises=w.exercises, units=w.units, earlier=w.earlier)
    return f"Undid: {what[:1].lower()}{what[1:]}"


# One sentence per kind of edit, from its payload.
_SAY: dict[str, Callable[[dict, _Words], str]] = {
    "add_concept": lambda p, w: f"Added the concept {_q(p.get('name', ''))}",
    "rename": lambda p, w: f"Renamed {_q(p.get('old', ''))} to {_q(p.get('new', ''))}",
    "update_concept": _changed,
    "merge": lambda p, w: f"Merged {_q(p.get('absorbed_name', ''))} into {w.name(p.get('keep'))}",
    "split": lambda p, w: f"Split {_q(p.get('new_name', ''))} off {w.name(p.get('concept'))}",
    "delete_concept": lambda p, w: f"Deleted the concept {_q(p.get('name', ''))}",
    "add_edge": _linked,
    "remove_edge": lambda p, w: (
        f"Removed the link from {w.name(p.get('prerequisite'))} to {w.name(p.get('concept'))}"
    ),
    "reorder_units": lambda p, w: "Changed the order of the units",
    "move_concept": _moved,
    "edit_lesson": lambda p, w: f"Edited the lesson of {w.name(p.get('concept'))}",
    "approve_exercise": lambda p, w: f"Approved {w.exercise(p.get('exercise'))}",
    "reject_exercise": _rejected,
    "edit_exercise": lambda p, w: f"Edited {w.exercise(p.get('exercise'))}",
    "add_exercise": lambda p, w: f"Added an exercise to {w.name(p.get('concept'))}",
    "undo": _undone,
}


def focus_of(edit: dict, earlier: dict[int, dict] | None = None) -> str | None:
    """The concept an edit (or the edit an undo undid) was about: the editor shows it next."""
    p = edit.get("payload") or {}
    if edit.get("op") == "undo":
        undone = (earlier or {}).get(p.get("edit"))
        return focus_of(undone) if undone else None
    if edit.get("op") == "merge":
        return p.get("keep")
    if edit.get("op") == "add_concept":
        return p.get("id")
    return p.get("concept") if isinstance(p.get("concept"), str) else None
