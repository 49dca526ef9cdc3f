"""Per-learner state derived by replaying the attempt log: mastery (BKT) and reviews (FSRS).

``replay(events, graph)`` folds ``MasteryTracker.apply`` over the events in order; nothing else
writes the state, so replaying the same log twice gives the same state, and a better model (new
BKT parameters, another threshold) can be replayed over old history.

Graph-aware evidence (the prerequisite graph is a DAG, edges point prerequisite -> concept):
- **Mastery implies prerequisites.** When an answer lifts a concept to P(known) >= threshold,
  every ancestor (prerequisite, prerequisite of a prerequisite, ...) below the threshold is raised
  to ``implication * P(concept)`` (default implication 1.0: a learner who has shown they know
  "chain rule" is taken to know "derivative"). This is what lets a placement check or a unit
  test-out mark several concepts known at once. Their ``source`` becomes ``"implied"``.
- **Reviews** are delegated to ``teachback.tutor.reviews`` (FSRS cards, implicit reviews of
  prerequisites, flags after a failed review).

- **Lessons read.** A concept the curriculum has no exercise for is taught by its lesson alone:
  the learner marks the lesson read ("Got it"), a ``LessonRead`` event replayed with the answers.
  It sets ``read`` on the concept and nothing else (no P(known), no review card, no implication,
  no personal rates): reading is not evidence of knowing, but it is what finishing such a
  concept means.

- **Every question answered.** A curriculum has few questions on some concepts (one or two is
  common on real sources). BKT counts a repeated question as fresh evidence, so such a concept
  was mastered by asking the same question three times. With ``questions`` (concept -> its
  exercise ids), a concept whose every question the learner has answered right (the latest
  answer to each right) is mastered: the curriculum has nothing more to ask about it. Its
  P(known) is raised to the threshold, so every reader of the state agrees; a later miss lowers
  it as usual. Concepts with more questions than the answers BKT needs are unaffected.

Not handled: partial credit (``score``) — an attempt is right or wrong; hints used do not change
the update (a caller can record a hinted right answer as wrong if it wants that).
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from teachback.errors import CycleError
from teachback.tutor import bkt
from teachback.tutor.attempts import AttemptEvent, LessonRead


@dataclass(frozen=True)
class ConceptNode:
    id: str
    prerequisites: tuple[str, ...] = ()
    unit: str | None = None
    name: str = ""


class ConceptGraph:
    """A prerequisite DAG in teaching order (``order`` is a topological order).

    >>> g = ConceptGraph([ConceptNode("a"), ConceptNode("b", ("a",)), ConceptNode("c", ("b",))])
    >>> sorted(g.ancestors("c")), sorted(g.descendants("a"))
    (['a', 'b'], ['b', 'c'])
    """

    def __init__(self, nodes: Iterable[ConceptNode]):
        nodes = list(nodes)
        self.nodes = {n.id: n for n in nodes}
        for n in nodes:
            for p in n.prerequisites:
                if p not in self.nodes:
                    raise ValueError(f"concept {n.id!r}: unknown prerequisite {p!r}")
        self.children: dict[str, list[str]] = {n.id: [] for n in nodes}
        for n in nodes:
            for p in n.prerequisites:
                self.children[p].append(n.id)
        self.order = self._topological([n.id for n in nodes])
        self.index = {c: i for i, c in enumerate(self.order)}
        self._anc: dict[str, frozenset[str]] = {}
        self._desc: dict[str, frozenset[str]] = {}

    def _topological(self, given: list[str]) -> list[str]:
        """Kahn's algorithm, taking ready concepts in the given order (keeps authoring order)."""
        position = {c: i for i, c in enumerate(given)}
        indeg = {c: len(set(self.nodes[c].prerequisites)) for c in given}
        ready = sorted((c for c in given if indeg[c] == 0), key=position.get)
        out = []
        while ready:
            c = ready.pop(0)
            out.append(c)
            for child in self.children[c]:
                indeg[child] -= 1
                if indeg[child] == 0:
                    ready.append(child)
                    ready.sort(key=position.get)
        if len(out) != len(given):
            stuck = [c for c in given if c not in set(out)]
            raise CycleError(stuck)
        return out

    def __contains__(self, concept: str) -> bool:
        return concept in self.nodes

    def __len__(self) -> int:
        return len(self.nodes)

    def prerequisites(self, concept: str) -> tuple[str, ...]:
        return self.nodes[concept].prerequisites

    def ancestors(self, concept: str) -> frozenset[str]:
        if concept not in self._anc:
            out: set[str] = set()
            for p in self.nodes[concept].prerequisites:
                out.add(p)
                out |= self.ancestors(p)
            self._anc[concept] = frozenset(out)
        return self._anc[concept]

    def descendants(self, concept: str) -> frozenset[str]:
        if concept not in self._desc:
            out: set[str] = set()
            for ch in self.children[concept]:
                out.add(ch)
                out |= self.descendants(ch)
            self._desc[concept] = frozenset(out)
        return self._desc[concept]

    def unit_of(self, concept: str) -> str | None:
        return self.nodes[concept].unit


@dataclass(frozen=True)
class PersonalModel:
    """This learner's own guess, slip and learn rates, fitted by EM (``bkt.fit_em``) on their
    answers so far (one sequence per concept), shrunk towards the population parameters with
    ``pseudo`` pseudo-answers per rate, and refitted every ``refit_every`` answers. The prior
    P(known) stays the population's.

    A learner who rarely guesses right gets a low guess rate (their right answers count for more),
    a fast learner a higher learn rate, a careless one a higher slip rate. With few answers the
    rates stay at the population values. Deterministic: replaying the same log gives the same
    rates. When the tracker has per-concept parameters, the learner's rates replace their
    learn/guess/slip (the prior stays per concept).
    """

    pseudo: float = 10.0
    refit_every: int = 5
    max_iter: int = 15


STRICT_PARAMS = bkt.BKTParams(prior=0.2, learn=0.1, guess=0.3, slip=0.1)
STRICT_SLOPE = 1.0


@dataclass
class ConceptState:
    p_known: float
    attempts: int = 0
    correct: int = 0
    mastered: bool = False
    source: str = "none"  # "evidence" (own answers), "implied" (a dependent was mastered)
    last_at: str = ""
    # P(known) from the learner's own answers on this concept under a sceptical BKT (more
    # guessing, slower learning, answers weighed twice as strongly by difficulty) and without
    # implication: how well the concept's mastery is backed by direct evidence. The pacing
    # policy checks the least backed mastered concepts first. Never decides mastery.
    p_strict: float = STRICT_PARAMS.prior
    read: bool = False  # its lesson was marked read (concepts with no exercise; see module doc)

    @property
    def passed(self) -> bool:
        """Done with, for pacing: mastered, or its lesson read."""
        return self.mastered or self.read


@dataclass
class LearnerState:
    """What replaying one learner's log yields. ``flagged``: prerequisites to check."""

    concepts: dict[str, ConceptState] = field(default_factory=dict)
    flagged: dict[str, str] = field(default_factory=dict)  # concept -> why
    cards: dict = field(default_factory=dict)  # concept -> fsrs.Card (see reviews.py)
    events: int = 0
    personal: bkt.BKTParams | None = None  # this learner's fitted rates (``PersonalModel``)

    def p_known(self, concept: str) -> float:
        return self.concepts[concept].p_known

    def mastered(self) -> set[str]:
        return {c for c, s in self.concepts.items() if s.mastered}

    def read(self) -> set[str]:
        """Concepts whose lesson the learner marked read."""
        return {c for c, s in self.concepts.items() if s.read}


class MasteryTracker:
    """Applies events one at a time. ``replay`` is the pure entry point."""

    def __init__(
        self,
        graph: ConceptGraph,
        params: Mapping[str, bkt.BKTParams] | bkt.BKTParams | None = None,
        *,
        threshold: float = bkt.MASTERY_THRESHOLD,
        implication: float = 1.0,
        reviews: bool = True,
        difficulty: Mapping[str, float] | None = None,
        personal: PersonalModel | None = None,
        questions: Mapping[str, Iterable[str]] | None = None,
    ):
        """``difficulty``: exercise id -> difficulty estimate; answers are then weighed by
        ``bkt.for_difficulty`` (a right answer to an easy exercise is weaker evidence).
        ``personal``: fit this learner's own rates as they answer (``PersonalModel``).
        ``questions``: concept -> its exercise ids (see "Every question answered")."""
        self.graph = graph
        self.questions = {c: frozenset(q) for c, q in (questions or {}).items() if q}
        self._latest: dict[str, dict[str, bool]] = {}  # concept -> exercise -> latest right?
        self.personal = personal
        self._answers: dict[str, list[int]] = {}  # concept -> this learner's answers (1/0)
        self._answered = 0  # their total, so a refit is due every ``refit_every``
        self.difficulty = dict(difficulty or {})
        self.params = params
        self.threshold = threshold
        self.implication = implication
        self.state = LearnerState(
            concepts={c: ConceptState(p_known=self.params_for(c).prior) for c in graph.order}
        )
        self.scheduler = None
        if reviews:
            from teachback.tutor.reviews import ReviewScheduler

            self.scheduler = ReviewScheduler()

    def params_for(self, concept: str) -> bkt.BKTParams:
        if isinstance(self.params, bkt.BKTParams):
            return self.params
        return bkt.params_for(concept, dict(self.params) if self.params else None)

    def apply(self, event: AttemptEvent | LessonRead) -> None:
        c = event.concept_id
        if c not in self.graph:
            return  # attempts on concepts removed from the curriculum are kept, not used
        st = self.state.concepts[c]
        if isinstance(event, LessonRead):
            st.read = True
            st.last_at = event.at
            self.state.events += 1
            return
        was_mastered = st.mastered
        had_card = c in self.state.cards
        params = self.params_for(c)
        if self.personal is not None:
            params = self._personal(params)
            self._answers.setdefault(c, []).append(int(event.correct))
            self._answered += 1
        d = self.difficulty.get(event.exercise_id, 0.0)
        st.p_known = bkt.step(st.p_known, event.correct, bkt.for_difficulty(params, d))
        st.p_strict = bkt.step(
            st.p_strict, event.correct, bkt.for_difficulty(STRICT_PARAMS, d, STRICT_SLOPE)
        )
        st.attempts += 1
        st.correct += int(event.correct)
        st.last_at = event.at
        if self._all_answered(c, event):
            st.p_known = max(st.p_known, self.threshold)
        st.mastered = st.p_known >= self.threshold
        if st.mastered:
            st.source = "evidence"
        self.state.flagged.pop(c, None)
        if st.mastered:
            self._imply(c, event.at)
        if self.scheduler is not None:
            self.scheduler.on_attempt(
                self.state, self.graph, event, was_mastered=was_mastered, had_card=had_card
            )
        self.state.events += 1

    def _imply(self, concept: str, at: str) -> None:
        """Mastering ``concept`` raises its ancestors (see "Mastery implies prerequisites")."""
        p_known = self.state.concepts[concept].p_known
        for a in self.graph.ancestors(concept):
            anc = self.state.concepts[a]
            if anc.p_known < self.threshold:
                anc.p_known = max(anc.p_known, self.implication * p_known)
                anc.mastered = anc.p_known >= self.threshold
                if anc.mastered:
                    anc.source = "implied"
                    anc.last_at = at

    def _all_answered(self, concept: str, event: AttemptEvent) -> bool:
        """Whether, with ``event``, every question of ``concept`` has its latest answer right."""
        latest = self._latest.setdefault(concept, {})
        latest[event.exercise_id] = bool(event.correct)
        asked = self.questions.get(concept)
        return bool(event.correct and asked and all(latest.get(q) for q in asked))

    def _personal(self, params: bkt.BKTParams) -> bkt.BKTParams:
        """``params`` with this learner's fitted learn/guess/slip (refitted every few answers)."""
        model = self.personal
        n = self._answered
        if n >= model.refit_every and n % model.refit_every == 0:
            base = self.params if isinstance(self.params, bkt.BKTParams) else bkt.DEFAULT_PARAMS
            self.state.personal = bkt.fit_em(
                list(self._answers.values()),
                replace(base, forget=0.0),
                fit_forget=False,
                max_iter=model.max_iter,
                pseudo=model.pseudo,
            )
        fitted = self.state.personal
        if fitted is None:
            return params
        return replace(params, learn=fitted.learn, guess=fitted.guess, slip=fitted.slip)


def replay(
    events: Sequence[AttemptEvent | LessonRead],
    graph: ConceptGraph,
    params: Mapping[str, bkt.BKTParams] | bkt.BKTParams | None = None,
    *,
    threshold: float = bkt.MASTERY_THRESHOLD,
    implication: float = 1.0,
    reviews: bool = True,
    difficulty: Mapping[str, float] | None = None,
    personal: PersonalModel | None = None,
    questions: Mapping[str, Iterable[str]] | None = None,
) -> LearnerState:
    """The learner state after ``events`` (one learner, one curriculum, in time order)."""
    tracker = MasteryTracker(
        graph,
        params,
        threshold=threshold,
        implication=implication,
        reviews=reviews,
        difficulty=difficulty,
        personal=personal,
        questions=questions,
    )
    for e in events:
        tracker.apply(e)
    return copy.deepcopy(tracker.state)
