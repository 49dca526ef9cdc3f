"""An instructor's edits to a curriculum: pure operations over the store, each one undoable.

Every operation here
* validates its input and raises ``InvalidEdit`` / ``NotFound`` / ``CycleError`` before writing;
* checks the ``rev`` the editor read (optimistic concurrency): if someone changed the item since,
  it raises ``EditConflict`` naming who and when, and nothing is written;
* runs in one write transaction (``BEGIN IMMEDIATE``), so it lands whole or not at all;
* records itself in the ``edits`` table with who, when, what was asked (``payload``) and the
  before/after image of every row it touched (``inverse``), which is how ``undo`` works;
* marks each touched concept, lesson and exercise ``edited=1``: a re-ingest leaves those alone.

The files: ``journal`` (the transaction, the rows an edit touched, the record of it),
``checks`` (input, existing rows, revision conflicts), ``concepts`` and ``merge_split`` (concept
edits), ``graph`` (prerequisite edges and their cycle checks), ``order`` (units and teaching
order), ``content`` (lessons and exercises), ``undo``. Callers use the names below.

Not handled here: editing sources or passages (those belong to the ingest).
"""

from teachback.curricula.edits.checks import EXERCISE_KINDS, slugify
from teachback.curricula.edits.concepts import (
    add_concept,
    delete_concept,
    rename_concept,
    update_concept,
)
from teachback.curricula.edits.content import (
    add_exercise,
    approve_exercise,
    edit_exercise,
    edit_lesson,
    reject_exercise,
)
from teachback.curricula.edits.graph import add_edge, remove_edge
from teachback.curricula.edits.journal import history, instructor_overrides, last_change
from teachback.curricula.edits.merge_split import merge_concepts, split_concept
from teachback.curricula.edits.order import move_concept, reorder_units, unit_order
from teachback.curricula.edits.undo import undo

__all__ = [
    "EXERCISE_KINDS",
    "add_concept",
    "add_edge",
    "add_exercise",
    "approve_exercise",
    "delete_concept",
    "edit_exercise",
    "edit_lesson",
    "history",
    "instructor_overrides",
    "last_change",
    "merge_concepts",
    "move_concept",
    "reject_exercise",
    "remove_edge",
    "rename_concept",
    "reorder_units",
    "slugify",
    "split_concept",
    "undo",
    "unit_order",
    "update_concept",
]
