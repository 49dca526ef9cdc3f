"""The edit history in words: "Renamed “Hash” to “Hash table”", not ``concept=bio/x, old=...``.

Pure functions over ``curricula.edits.history`` rows (no Streamlit), so they are tested
directly. Names are given in curly quotes as plain text; the page escapes them for Markdown.
``focus_of`` says which concept the editor should show after an edit or its undo.
"""

from __future__ import annotations

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
    p, op = edit.get("payload") or {}, edit.get("op", "")
    exercises, units, earlier = exercises or {}, units or {}, earlier or {}

    def name(cid) -> str:
        return _q(names.get(cid) or str(cid or "").rsplit("/", 1)[-1].replace("-", " "))

    def exercise(xid) -> str:
        prompt = exercises.get(xid)
        return f"the exercise {_q(_short(prompt))}" if prompt else "an exercise"

    if op == "add_concept":
        return f"Added the concept {_q(p.get('name', ''))}"
    if op == "rename":
        return f"Renamed {_q(p.get('old', ''))} to {_q(p.get('new', ''))}"
    if op == "update_concept":
        changed = [FIELDS.get(k, k.replace("_", " ")) for k in p if k != "concept"]
        what = _and(changed) if changed else "details"
        return f"Changed the {what} of {name(p.get('concept'))}"
    if op == "merge":
        return f"Merged {_q(p.get('absorbed_name', ''))} into {name(p.get('keep'))}"
    if op == "split":
        return f"Split {_q(p.get('new_name', ''))} off {name(p.get('concept'))}"
    if op == "delete_concept":
        return f"Deleted the concept {_q(p.get('name', ''))}"
    if op == "add_edge":
        if p.get("kind") == "related":
            return f"Linked {name(p.get('prerequisite'))} and {name(p.get('concept'))} as related"
        return f"Made {name(p.get('prerequisite'))} a prerequisite of {name(p.get('concept'))}"
    if op == "remove_edge":
        return (f"Removed the link from {name(p.get('prerequisite'))} to "
                f"{name(p.get('concept'))}")  # fmt: skip
    if op == "reorder_units":
        return "Changed the order of the units"
    if op == "move_concept":
        unit = units.get(p.get("unit"))
        where = f" to {_q(unit)}" if unit else ""
        return f"Moved {name(p.get('concept'))}{where}, position {int(p.get('index', 0)) + 1}"
    if op == "edit_lesson":
        return f"Edited the lesson of {name(p.get('concept'))}"
    if op == "approve_exercise":
        return f"Approved {exercise(p.get('exercise'))}"
    if op == "reject_exercise":
        why = f" ({_short(p['reason'], 60)})" if p.get("reason") else ""
        return f"Rejected {exercise(p.get('exercise'))}{why}"
    if op == "edit_exercise":
        return f"Edited {exercise(p.get('exercise'))}"
    if op == "add_exercise":
        return f"Added an exercise to {name(p.get('concept'))}"
    if op == "undo":
        undone = earlier.get(p.get("edit"))
        if undone is not None:
            what = describe(undone, names, exercises=exercises, units=units, earlier=earlier)
            return f"Undid: {what[:1].lower()}{what[1:]}"
        return f"Undid an earlier {OPS.get(p.get('op'), 'edit')}"
    return OPS.get(op, op.replace("_", " ")).capitalize()


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
