"""The hint ladder: each "Stuck? Get a hint" gives more than the one before, never the answer
and never the question again.

1. **Where to look**: the source and section the question comes from, and the sentence just
   before the passage, so the learner finds it themselves.
2. **A narrower cue**, by kind of question: the shape of a missing term (``m______ l___``),
   options ruled out, the part of a statement to check, the first step of an order.
3. **A worked example**: another question on the same concept, answered, with the passage
   that answers it (chosen so it does not give this question's answer away).

Pure functions of their inputs (``HintContext`` is gathered by the tutor session).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teachback.core.kinds import answer_form, fixed_options
from teachback.engine.answer_check import answer_keys, gives_answer_away
from teachback.engine.protocol import ExerciseDraft
from teachback.tutor.hints import clean_quote, mask_keys

RUNGS = ("Where to look", "A narrower cue", "A worked example")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z`*\"'(\[])")
_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+(.+?)\s*#*\s*$", re.M)
_WORDISH = re.compile(r"[A-Za-z0-9]+")


@dataclass(frozen=True)
class HintContext:
    """What the ladder is made from, beside the exercise itself."""

    concept: str
    source_title: str = ""
    heading: str = ""  # the section of the source the passage is in
    before: str = ""  # the sentence just before the passage in the source
    examples: tuple[ExerciseDraft, ...] = field(default_factory=tuple)  # other exercises


def around(text: str, start: int) -> tuple[str, str]:
    """The heading of the section holding offset ``start`` of ``text`` and the sentence just
    before it (both '' when there is none).

    >>> around("# Tables\\n\\nKeys are hashed. A bucket holds entries.", 33)
    ('Tables', 'Keys are hashed.')
    """
    start = max(0, min(start, len(text)))
    heading = ""
    for m in _HEADING.finditer(text, 0, start):
        heading = m.group(1).strip()
    head = text[:start]
    cut = max(head.rfind("\n\n"), max((m.end() for m in _HEADING.finditer(head)), default=-1))
    paragraph = head[cut + 1 :] if cut >= 0 else head
    sentences = [s for s in _SENTENCE_END.split(" ".join(paragraph.split())) if s.strip()]
    return _strip_markup(heading), (sentences[-1].strip() if sentences else "")


def _strip_markup(text: str) -> str:
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def _same_words(a: str, b: str, share: float = 0.7) -> bool:
    """Whether ``a`` says mostly what ``b`` already says (a hint repeating the question)."""
    wa = {w.lower() for w in _WORDISH.findall(a)}
    wb = {w.lower() for w in _WORDISH.findall(b)}
    return bool(wa) and len(wa & wb) >= share * len(wa)


def where_to_look(exercise: ExerciseDraft, ctx: HintContext) -> str:
    """Rung 1: the source, the section and what comes just before the passage."""
    # A title or a section named after the answer would give it away: then it is left out.
    title = ctx.source_title if not _names_answer(ctx.source_title, exercise) else ""
    heading = ctx.heading if not _names_answer(ctx.heading, exercise) else ""
    where = f"**{title}**" if title else "the source"
    if heading and heading.lower() != title.lower():
        where += f", in the section \u201c{heading}\u201d"
    text = f"Look in {where}, where it talks about {_topic(exercise, ctx)}."
    before, _ = mask_keys(ctx.before, exercise, long_keys=False) if ctx.before else ("", False)
    before = " ".join(before.split())
    if before and not _same_words(before, exercise.prompt):
        text += f" The answer comes just after this sentence: \u201c{_shorten(before)}\u201d"
    else:
        text += " Reread that passage slowly before you answer."
    return text


def _names_answer(text: str, exercise: ExerciseDraft) -> bool:
    """Whether a name (a file name, a heading) spells out the answer: ``separate_chaining.py``
    for "separate chaining"."""
    return gives_answer_away(re.sub(r"[_\-./]+", " ", text), exercise)


def _topic(exercise: ExerciseDraft, ctx: HintContext) -> str:
    """The concept's name, unless naming it would give the answer away (a cloze of it)."""
    if ctx.concept and not gives_answer_away(ctx.concept, exercise):
        return f"*{ctx.concept}*"
    return "this concept"


def _shape(key: str) -> str:
    """``"maximum load factor"`` -> ``"m______ l___ f_____"``: first letters and lengths."""
    return " ".join(w[0] + "_" * (len(w) - 1) if len(w) > 1 else w for w in key.split())


def narrower_cue(exercise: ExerciseDraft, ctx: HintContext) -> str:
    """Rung 2: a cue about the answer itself, by kind of question, that still leaves the
    learner a step to take."""
    kind, answer = exercise.kind, exercise.answer
    if fixed_options(kind):  # a statement to judge: where it departs from its source
        return _true_false_cue(exercise)
    if exercise.choices and isinstance(answer, str):
        wrong = [c for c in exercise.choices if c.strip() != answer.strip()]
        out = wrong[: len(wrong) - 1]  # always two left: the answer and one more
        if out:
            ruled = "; ".join(f"\u201c{_shorten(c, 80)}\u201d" for c in out)
            return f"You can rule out: {ruled}. Which of the others does the source support?"
    if answer_form(kind) == "order" and isinstance(answer, list) and answer:
        return f"The first one is \u201c{answer[0]}\u201d. What has to come after it?"
    if answer_form(kind) == "pairs" and isinstance(answer, list) and answer:
        left, _, right = str(answer[0]).partition("=>")
        return f"\u201c{left.strip()}\u201d goes with \u201c{right.strip()}\u201d. Now the rest."
    if kind == "predict_output":
        return (
            "Work through the code by hand, line by line, with the values it is given: "
            f"the result is {_kind_of_value(str(answer))}."
        )
    return _written_answer_cue(exercise)


def _true_false_cue(exercise: ExerciseDraft) -> str:
    """The statement's words the cited source does not use (where a false one was changed)."""
    quote = clean_quote(exercise.citations[0].quote) if exercise.citations else ""
    statement = exercise.prompt.split(":", 1)[-1]
    said = {w.lower() for w in _WORDISH.findall(quote)}
    odd = [w for w in _WORDISH.findall(statement) if len(w) > 3 and w.lower() not in said]
    if quote and odd:
        return (
            f"Check the words \u201c{', '.join(dict.fromkeys(odd[:4]))}\u201d against the "
            f"source, which says: \u201c{_shorten(quote)}\u201d"
        )
    return "Check every part of the statement: names, numbers, and words like *always*."


def _written_answer_cue(exercise: ExerciseDraft) -> str:
    """A short key's length and shape, or how a long one starts (unless that gives it away)."""
    keys = answer_keys(exercise)
    if keys and len(keys[-1].split()) <= 4:
        key = min(keys, key=len)
        words = len(key.split())
        return (
            f"The answer is {words} word{'s' if words > 1 else ''} long and looks like "
            f"`{_shape(key)}`."
        )
    if keys:
        words = clean_quote(keys[0]).split()
        start = " ".join(words[: max(2, len(words) // 3)])
        if not gives_answer_away(start, exercise):
            return f"A full answer could start like this: \u201c{start} \u2026\u201d"
    return "Say what it is and what it is for, in a sentence, using the lesson's own words."


def _kind_of_value(text: str) -> str:
    text = text.strip().strip('"')
    if text in ("True", "False"):
        return "a truth value (a bool)"
    if re.fullmatch(r"-?\d+", text):
        return "a whole number"
    if re.fullmatch(r"-?\d*\.\d+(e-?\d+)?", text):
        return "a number with a decimal point"
    if text[:1] in "[(":
        return "a list of values"
    if text[:1] == "{":
        return "a dictionary"
    return "a short piece of text"


def _answer_text(answer) -> str:
    if isinstance(answer, bool):
        return "True" if answer else "False"
    if isinstance(answer, list):
        return "; ".join(str(a).replace("=>", "\u2192") for a in answer)
    return str(answer)


def worked_example(exercise: ExerciseDraft, ctx: HintContext) -> str | None:
    """Rung 3: another question on the concept, answered, with its passage; None when no
    other question can be shown without giving this one's answer away."""
    candidates = sorted(
        (e for e in ctx.examples if e.prompt.strip() != exercise.prompt.strip()),
        key=lambda e: (e.kind == exercise.kind, bool(fixed_options(e.kind)), len(e.prompt)),
    )
    for ex in candidates:
        quote = clean_quote(ex.citations[0].quote) if ex.citations else ""
        answer = _answer_text(ex.answer)
        text = f"> {_one_line(ex.prompt)}\n\n**Answer:** {_one_line(answer)}"
        if quote:
            text += f"\n\n**Why:** the source says \u201c{_shorten(quote)}\u201d"
        if gives_answer_away(text, exercise) or _same_words(exercise.prompt, text, 0.85):
            continue
        return f"A worked example, another question on {_topic(exercise, ctx)}:\n\n" + text
    return None


def ladder_hint(exercise: ExerciseDraft, level: int, ctx: HintContext) -> str:
    """The hint at ``level`` (1, 2, 3; higher levels give the last rung)."""
    level = max(1, min(level, len(RUNGS)))
    if level == 1:
        return where_to_look(exercise, ctx)
    if level == 2:
        return narrower_cue(exercise, ctx)
    example = worked_example(exercise, ctx)
    if example:
        return example
    quote = clean_quote(exercise.citations[0].quote) if exercise.citations else ""
    masked, hit = mask_keys(quote, exercise, long_keys=False)
    if quote and hit and not _same_words(masked, exercise.prompt, 0.9):
        return (
            "Here is the passage the question comes from, the answer left out: "
            f"\u201c{_shorten(masked)}\u201d"
        )
    if quote and not hit and not isinstance(exercise.answer, str | list):
        return f"Here is the passage the statement comes from: \u201c{_shorten(quote)}\u201d"
    return (
        "That is every hint for this question. Reread the lesson, answer as well as you can, "
        "and the feedback will show the passage that answers it."
    )


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def _shorten(text: str, limit: int = 240) -> str:
    text = _one_line(text)
    return text if len(text) <= limit else text[:limit].rsplit(" ", 1)[0] + " \u2026"


__all__ = ["RUNGS", "HintContext", "around", "ladder_hint"]
