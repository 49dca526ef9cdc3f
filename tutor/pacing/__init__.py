"""The pacing policy: what a learner should do next. ``next_step(...)`` is a pure function.

Order of precedence (each step carries a human-readable ``reason`` the tutor UI shows):
1. ``review``   — a mastered concept whose FSRS card is due (most overdue first).
2. ``probe_prerequisite`` — a prerequisite flagged by a failed review, checked with one exercise.
3. ``placement`` — at the very start, an adaptive placement check: probe the concept that best
   splits the still-unresolved part of the graph (many unresolved prerequisites *and* many
   unresolved dependents), among the concepts built on the course's first concept (passing one
   skips the beginning; a side branch, e.g. helpers of a late unit, skips nothing a newcomer
   meets first) that have enough questions to pass (``bkt.answers_to_master``); no question is
   asked twice. Answers go through BKT; when a probed concept reaches the mastery
   threshold, the mastery replay marks all its prerequisites known (success implies
   prerequisites); when it falls below ``probe_low`` it and its dependents are left to learn.
   It stops when no probe would resolve more than one concept, after ``placement_budget``
   exercises (default 3), or when the first ``placement_stop_after`` probes fail (default 1: a
   novice). Measured: a longer placement costs more than it saves (docs/bench-learner.md).
   Probes use the most telling exercise (largest gap between P(right | known) and
   P(right | not known)).
4. ``learn``    — the first concept (in teaching order) on the ready-to-learn frontier: not
   mastered, every prerequisite mastered (knowledge-space theory's outer fringe), with the
   exercise whose predicted success is nearest ``target_success``. BKT's mastery rule gives
   "fewer exercises while answers are right": three right answers can master a new concept.
   - ``test_out`` (opt-in, ``PacingSettings.test_out``; measured slower and leaving more holes):
     on entering a unit after a run of right answers, probe the unit's deepest concept;
     mastering it masters the unit's concepts below it (same implication rule).
   - Leaves set aside (``defer_leaves_at``, default 0.85): a concept that no unmastered concept
     builds on is left once P(known) >= 0.85; the practice that takes it to the threshold comes
     after everything else is mastered (nothing waits on it, so confirming it can wait).
   - ``probe_prerequisite`` first for prerequisites taken on trust (mastered by implication)
     after ``implied_check_after`` misses in a row.
   - ``reexplain``: after ``reexplain_after`` misses in a row on a concept, show the lesson again
     differently (no exercise).
   - ``probe_prerequisite``: if misses go on after that, probe each direct prerequisite once
     (weakest first); a wrong answer drops it below the threshold, so the frontier moves back to
     it ("go back"). If all prerequisites hold, practice of the concept resumes.
   - ``read``: a concept the curriculum has no exercise for is taught by its lesson: when it is
     ready (its prerequisites mastered or read) and comes first in teaching order, the learner
     reads the lesson and marks it read. A lesson read counts as passed for what builds on it
     and for finishing; it is never confirmed by a question (there is none).
5. ``review`` with ``meta["final_check"]`` — before finishing, each mastered concept must be
   answered right ``final_check`` times after it was mastered (more for a learner whose own
   fitted guess rate makes a run of lucky answers likely: ``check_alpha``). The checks go
   breadth-first: one question per concept, least evidenced first, before any second question
   (``check_breadth_first``), so a concept that is not really known is found early.
6. ``capped``   — everything up to the instructor's cap concept is mastered.
7. ``done``     — every concept is mastered or, when it has no exercise, its lesson read. The
   policy never says "done" while a concept it can reach is neither.

The policy sees only observable things: the graph, the replayed mastery state, due reviews, the
exercise pool with difficulty estimates (and the source passage each cites first: a question
made of a passage that an earlier question's feedback showed whole rests as if asked, see
``basics.uses``), and its own earlier steps with their outcomes.

Files: ``policy.py`` (``next_step``, the rules above in order), ``probes.py`` (placement, a
unit's test-out, the final check), ``basics.py`` (settings, exercises, history and steps, the
frontier, the choice of an exercise).
"""

from teachback.tutor.pacing.basics import (
    PROBE_KINDS,
    Exercise,
    HistoryItem,
    PacingSettings,
    Predictor,
    Step,
    StepKind,
    allowed_concepts,
    as_mapping,
    askable,
    choose_exercise,
    final_check_answers,
    frontier,
    history_from_steps,
    lessons_read,
)
from teachback.tutor.pacing.policy import next_step

__all__ = [
    "PROBE_KINDS",
    "Exercise",
    "HistoryItem",
    "PacingSettings",
    "Predictor",
    "Step",
    "StepKind",
    "allowed_concepts",
    "as_mapping",
    "askable",
    "choose_exercise",
    "final_check_answers",
    "frontier",
    "history_from_steps",
    "lessons_read",
    "next_step",
]
