"""The policy's checks of what a learner already knows: placement at the start, a unit's
test-out, and the final check before finishing."""

from __future__ import annotations

from dataclasses import dataclass

from teachback.tutor import bkt
from teachback.tutor.pacing.basics import (
    Step,
    choose_exercise,
    final_check_answers,
    questions_of,
    risk_key,
    uses,
)


def placement_step(graph, state, history, exercises, settings, allowed, predictor):
    placed = [h for h in history if h.kind == "placement"]
    budget = settings.placement_budget or max(6, 3 * len(allowed) // 4)
    if len(placed) >= budget:
        return None
    negative, probed_count = _placement_outcomes(graph, state, placed, settings)
    # A novice: the first probes all failed and nothing was placed -- start teaching instead.
    probed_order = list(dict.fromkeys(h.concept_id for h in placed))
    failed = [c for c in probed_order if c in negative]
    if len(failed) >= settings.placement_stop_after and len(failed) == len(probed_order):
        return None
    # Continue the current probe while it is undecided and it has a question not asked yet
    # (the same question twice in a placement check tells little and reads as a glitch).
    if placed:
        c = placed[-1].concept_id
        st = state.concepts[c]
        if c not in negative and not st.mastered and _has_fresh(c, exercises, history):
            ex, p = choose_exercise(
                c, exercises, st.p_known, settings, history, predictor, probe=True
            )
            if ex is not None:
                return Step(
                    "placement",
                    c,
                    ex.id,
                    f"placement check: one more question on {c} to be sure",
                    p,
                )
    unresolved = {
        c
        for c in allowed
        if not state.concepts[c].mastered and c not in negative and c not in probed_count
    }
    best, best_score = _most_telling_probe(
        graph, exercises, unresolved, _start(graph, allowed), settings
    )
    if best is None or best_score[1] < 2:
        return None
    ex, p = choose_exercise(
        best, exercises, state.concepts[best].p_known, settings, history, predictor, probe=True
    )
    n_up = best_score[1] - 1
    return Step(
        "placement",
        best,
        ex.id,
        f"placement check: if you know {best}, we can skip {n_up} concept(s) it builds on",
        p,
    )


def _placement_outcomes(graph, state, placed, settings) -> tuple[set[str], dict[str, int]]:
    """The concepts placement found unknown (with everything built on them), and how many
    probes each probed concept got."""
    negative: set[str] = set()
    probed_count: dict[str, int] = {}
    for h in placed:
        probed_count[h.concept_id] = probed_count.get(h.concept_id, 0) + 1
    for c, k in probed_count.items():
        st = state.concepts[c]
        if not st.mastered and (st.p_known <= settings.probe_low or k >= settings.probe_max):
            negative.add(c)
            negative |= graph.descendants(c)
    return negative, probed_count


def _start(graph, allowed) -> str | None:
    """Where the course starts: the first concept in teaching order the learner may work on."""
    return next((c for c in graph.order if c in allowed), None)


def _has_fresh(concept: str, exercises, history) -> bool:
    _, seen = uses(history, exercises)
    return any(e.concept_id == concept and e.id not in seen for e in exercises)


def _can_place(concept: str, exercises, settings) -> bool:
    """Whether right answers to ``concept``'s questions, each asked once, can reach the mastery
    threshold: a probe that cannot pass costs the learner questions and places nothing."""
    have = sum(1 for e in exercises if e.concept_id == concept)
    return have >= bkt.answers_to_master(settings.threshold)


def _most_telling_probe(graph, exercises, unresolved, start=None, settings=None):
    """The unresolved concept whose answer settles the most others either way (it sits in the
    middle of the most unresolved ancestors and descendants), with its score.

    Only concepts built on the course's ``start`` are probed: passing one lets the learner skip
    the beginning of the course, which is what a placement check is for. A concept on a side
    branch (a helper function of a later unit, connected to nothing taught first) would ask a
    newcomer about the end of the course first and skip nothing they were about to meet.
    """
    best, best_score = None, (1, 0, 0)
    for c in sorted(unresolved, key=graph.index.get):
        if not any(e.concept_id == c for e in exercises):
            continue
        if start is not None and start not in graph.ancestors(c):
            continue
        if settings is not None and not _can_place(c, exercises, settings):
            continue
        up = 1 + len(graph.ancestors(c) & unresolved)
        down = 1 + len(graph.descendants(c) & unresolved)
        score = (min(up, down), up, -graph.index[c])
        if score > best_score:
            best, best_score = c, score
    return best, best_score


def test_out_step(graph, state, history, exercises, settings, allowed, concept, predictor):
    unit = graph.unit_of(concept)
    if unit is None:
        return None
    if history and history[-1].kind == "test_out":
        return _test_out_goes_on(state, history, exercises, settings, unit, predictor)
    if any(h.kind == "test_out" and h.meta_unit == unit for h in _with_units(graph, history)):
        return None  # one test-out per unit
    recent = [h for h in history if h.correct is not None][-settings.test_out_streak :]
    if len(recent) < settings.test_out_streak or not all(h.correct for h in recent):
        return None
    members = [
        c
        for c in graph.order
        if graph.unit_of(c) == unit and c in allowed and not state.concepts[c].mastered
    ]
    if len(members) < 3 or members[0] != concept:
        return None
    deepest = max(members, key=lambda c: (len(graph.ancestors(c) & set(members)), graph.index[c]))
    if not any(e.concept_id == deepest for e in exercises):
        return None
    ex, p = choose_exercise(
        deepest, exercises, state.concepts[deepest].p_known, settings, history, probe=True
    )
    return Step(
        "test_out",
        deepest,
        ex.id,
        f"you're on a roll: answer a few questions on {deepest} to test out of unit {unit}",
        p,
    )


def _test_out_goes_on(state, history, exercises, settings, unit, predictor) -> Step | None:
    """The next question of an ongoing test-out, until it is decided (None: it is)."""
    c = history[-1].concept_id
    st = state.concepts[c]
    tries = 0
    for h in reversed(history):
        if h.kind != "test_out" or h.concept_id != c:
            break
        tries += 1
    if st.mastered or st.p_known <= settings.probe_low or tries >= settings.probe_max:
        return None
    ex, p = choose_exercise(c, exercises, st.p_known, settings, history, predictor, probe=True)
    if ex is None:
        return None
    return Step("test_out", c, ex.id, f"testing out of unit {unit}: next question", p)


@dataclass(frozen=True)
class _UnitItem:
    kind: str
    meta_unit: str | None


def _with_units(graph, history):
    return [
        _UnitItem(h.kind, graph.unit_of(h.concept_id) if h.concept_id in graph else None)
        for h in history
    ]


def final_check_step(graph, state, history, exercises, settings, allowed, predictor):
    """Before finishing: check questions on each mastered concept until it has been answered
    right ``final_check`` times after it was mastered. With ``check_order="risk"`` the concepts
    least backed by the learner's own answers (mastered by implication, or on a few easy
    exercises) come first, so a concept that is not really known is found early."""
    rights: dict[str, int] = {}
    for h in history:
        if h.kind == "review" and h.correct:
            rights[h.concept_id] = rights.get(h.concept_id, 0) + 1
        elif h.correct is False:
            rights.pop(h.concept_id, None)  # a later miss re-opens the check
    need = final_check_answers(state, settings)
    # A concept with fewer questions than that needs each once: asking one twice more checks
    # the learner's memory of that question, not of the concept.
    questions = questions_of(exercises)
    confirmed = {c for c, k in rights.items() if k >= min(need, len(questions.get(c, ())))}
    has_exercises = set(questions)
    order = graph.order
    if settings.check_order == "risk":
        order = sorted(order, key=lambda c: risk_key(graph, state, settings, c))
    if settings.check_breadth_first:
        order = sorted(order, key=lambda c: rights.get(c, 0))  # stable: risk order within
    # each question of a concept once in the check while another is left to ask (its feedback
    # showed the passage a sibling question is cut from, which then counts as just seen)
    checked = {h.exercise_id for h in history if h.kind == "review" and h.exercise_id}
    for c in order:
        if c in allowed and c in has_exercises and c not in confirmed:
            st = state.concepts[c]
            pool = [e for e in exercises if e.concept_id == c]
            pool = [e for e in pool if e.id not in checked] or pool
            ex, p = choose_exercise(c, pool, st.p_known, settings, history, predictor, True)
            return Step(
                "review",
                c,
                ex.id,
                f"final check before finishing: one question on {c} to confirm it stuck",
                p,
                meta={"final_check": True},
            )
    return None
