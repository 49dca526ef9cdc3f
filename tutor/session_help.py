"""What help for a pending step is made from: the lesson's cited passages, the concept's other
evidence, the hint ladder's context (source title, section, the sentence before, worked
examples) and the concepts it builds on and leads to. ``TutorSessions.help_for`` returns it."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from teachback.curricula import catalogue, repository
from teachback.curricula.db import Database
from teachback.engine.protocol import ExerciseDraft, Span
from teachback.tutor import answers
from teachback.tutor.hidden_code import without_hidden_bodies
from teachback.tutor.hints import GAP
from teachback.tutor.published import Curriculum
from teachback.tutor.session_lesson import answers_with_name


@dataclass(frozen=True)
class StepHelp:
    """What help for a pending step is made from. ``passages``: the lesson's cited passages;
    ``other_passages``: the concept's other evidence (an explanation that is not the lesson
    again); ``context``: the hint ladder's (``tutor.hint_ladder``)."""

    concept: str
    passages: list[Span]
    exercise: ExerciseDraft | None
    other_passages: list[Span] = field(default_factory=list)
    context: Any = None
    builds_on: list[str] = field(default_factory=list)
    leads_to: list[str] = field(default_factory=list)


def step_help(db: Database, cur: Curriculum, values: dict, payload: dict) -> StepHelp:
    """The help for the pending step whose state is ``values`` and payload ``payload``."""
    lesson = values.get("lesson") or {}
    exercise = values.get("exercise") if payload.get("type") == "exercise" else None
    concept_id = payload["concept"].get("id") or values.get("concept_id")
    passages = answers.spans_of(lesson.get("citations"))
    name = lesson.get("concept_name") or payload["concept"]["name"]
    help_ = StepHelp(
        concept=name,
        passages=passages,
        exercise=repository.exercise_draft(exercise) if exercise else None,
        other_passages=without_hidden_bodies(cur, _other_passages(cur, concept_id, passages)),
        context=_hint_context(db, cur, concept_id, exercise, lesson, payload),
        builds_on=_names(cur, cur.prerequisites.get(concept_id, [])),
        leads_to=_names(cur, [c for c, pres in cur.prerequisites.items() if concept_id in pres]),
    )
    if answers_with_name(exercise, name):
        return name_hidden(help_, [name, str(exercise.get("answer") or "")])
    return help_


HIDDEN_NAME = "this term"  # what help calls a concept whose name the question asks for


def name_hidden(help_: StepHelp, names: list[str]) -> StepHelp:
    """Help for a question whose answer is the concept's name ("Name the term", a blank the
    name fills): an explanation that said the name would answer it, so every passage has the
    name (and its plural) blanked and the concept is called "this term".

    >>> span = Span(source="s", start=0, end=20, quote="A Bucket holds keys.")
    >>> hidden = name_hidden(StepHelp("bucket", [span], None), ["bucket"])
    >>> hidden.passages[0].quote, hidden.concept
    ('A _____ holds keys.', 'this term')
    """
    words = sorted({n.strip() for n in names if n.strip()}, key=len, reverse=True)
    if not words:
        return help_
    alternatives = "|".join(re.escape(w) for w in words)
    pattern = re.compile(rf"(?<!\w)(?:{alternatives})(?:e?s)?(?!\w)", re.I)

    def blank(spans: list[Span]) -> list[Span]:
        return [s.model_copy(update={"quote": pattern.sub(GAP, s.quote)}) for s in spans]

    return replace(
        help_,
        concept=HIDDEN_NAME,
        passages=blank(help_.passages),
        other_passages=blank(help_.other_passages),
    )


def _names(cur, ids) -> list[str]:
    return [cur.by_id[i]["name"] for i in ids if i in cur.by_id]


def _other_passages(cur, concept_id, lesson_spans: list[Span]) -> list[Span]:
    """The concept's evidence passages that the lesson does not cite, mentions first."""
    shown = {" ".join(p.quote.split()) for p in lesson_spans}
    out = []
    for r in cur.evidence.get(concept_id) or []:
        quote = r.get("passage") or r["quote"]
        if " ".join(r["quote"].split()) in shown or " ".join(quote.split()) in shown:
            continue
        out.append(Span(source=r["source_id"], start=r["start"], end=r["end"], quote=quote))
    return out


def _hint_context(db, cur, concept_id, exercise, lesson, payload):
    """The hint ladder's context: the cited source's title, the section and the sentence
    before the passage, and the concept's other exercises (worked examples)."""
    from teachback.tutor.hint_ladder import HintContext, around

    name = lesson.get("concept_name") or payload["concept"]["name"]
    if exercise is None:
        return HintContext(concept=name)
    title = heading = before = ""
    citations = answers.spans_of(exercise.get("citations"))
    if citations:
        row = catalogue.source_text(db, citations[0].source)
        if row is not None:
            title = row["title"] or (row["path"] or "").rsplit("/", 1)[-1]
            heading, before = around(row["text"] or "", citations[0].start)
    examples = tuple(
        repository.exercise_draft(r)
        for r in cur.exercises_of(concept_id)
        if r.get("id") != exercise.get("id")
    )
    return HintContext(name, title, heading, before, examples)
