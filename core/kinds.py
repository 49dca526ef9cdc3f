"""Exercise kinds: one definition per kind, read by every layer that handles exercises.

A kind's definition says what the rest of the product needs to know about it, so a new kind is
declared here once and every layer picks it up:

- ``answer``: how a learner answers, which is also the widget the web UI shows --
  ``"choice"`` (pick one of the exercise's ``choices``: radio buttons), ``"line"`` (type a word,
  a name or an output: one line), ``"text"`` (write sentences: a text area), ``"order"`` (put
  the items in order: one picker per position), ``"pairs"`` (match each item to an option: one
  picker per item), ``"code"`` (write a function body: the code editor with a Run button);
- ``grading``: how an answer is checked -- ``"key"`` (against the key, with tolerant matching;
  exact by design, no model needed), ``"model"`` (free text scored against a reference answer
  by the fitted model or an LLM), ``"run"`` (the learner's code run against the source's
  tests in the sandbox);
- ``llm_writes``: whether the LLM engine may write exercises of this kind (its output schema
  lists exactly these);
- ``options``: the choices a kind always offers, shown when an exercise stores none (a
  true/false statement is answered True or False);
- ``answer_with_choices``: how an exercise of a kind answered in words is answered when it
  carries options (what a function does: multiple choice when other documented functions
  give distractors, else written). Every surface asks ``answer_form``, so the web page and
  the terminal offer the same options the grader expects.

What each layer does with a kind lives with that layer and is keyed by the name declared here:
the generators in ``ingest/exercises/kinds/`` (a generator's ``kind`` is one of these names),
the graders in ``tutor/grading/`` (``tests`` check every kind has one), the widgets in ``ui/``.

>>> KINDS["true_false"].answer, KINDS["short_answer"].grading
('choice', 'model')
>>> sorted(n for n in NAMES if graded_by_key(n))[:3]
['cloze', 'matching', 'multiple_choice']

>>> answer_form("function_purpose"), answer_form("function_purpose", has_choices=True)
('text', 'choice')
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

AnswerForm = Literal["choice", "line", "text", "order", "pairs", "code"]
Grading = Literal["key", "model", "run"]


@dataclass(frozen=True)
class Kind:
    name: str
    answer: AnswerForm
    grading: Grading
    llm_writes: bool = False
    options: tuple[str, ...] = ()
    answer_with_choices: AnswerForm | None = None


_DEFINITIONS = (
    Kind("multiple_choice", answer="choice", grading="key", llm_writes=True),
    Kind("cloze", answer="line", grading="key"),
    Kind("true_false", answer="choice", grading="key", llm_writes=True, options=("True", "False")),
    Kind("short_answer", answer="text", grading="model", llm_writes=True),
    Kind("ordering", answer="order", grading="key"),
    Kind("matching", answer="pairs", grading="key"),
    Kind("predict_output", answer="line", grading="key"),
    Kind("function_purpose", answer="text", grading="model", answer_with_choices="choice"),
    Kind("which_function", answer="choice", grading="key"),
    Kind("write_code", answer="code", grading="run"),
)

KINDS: dict[str, Kind] = {k.name: k for k in _DEFINITIONS}
NAMES: tuple[str, ...] = tuple(KINDS)
# The kinds the LLM engine may write, in declaration order (its output schema's ``kind``).
LLM_WRITES: tuple[str, ...] = tuple(k.name for k in _DEFINITIONS if k.llm_writes)


def answer_form(name: str, has_choices: bool = False) -> AnswerForm:
    """How a learner answers an exercise of kind ``name``: a kind answered by choice needs
    options to choose from (without them its answer is typed on one line); a kind answered in
    words that carries options is answered as its ``answer_with_choices`` says; an unknown
    kind is typed on one line."""
    kind = KINDS.get(name)
    if kind is None:
        return "line"
    if has_choices and kind.answer_with_choices:
        return kind.answer_with_choices
    return "line" if kind.answer == "choice" and not has_choices else kind.answer


def graded_by_key(name: str) -> bool:
    """Checked without a model: against the key (``"key"``) or by running tests (``"run"``)."""
    kind = KINDS.get(name)
    return kind is not None and kind.grading in ("key", "run")


def graded_by_model(name: str) -> bool:
    """Free text scored against a reference (``"model"``)."""
    kind = KINDS.get(name)
    return kind is not None and kind.grading == "model"


def fixed_options(name: str) -> tuple[str, ...]:
    """The options a kind always offers, whatever the exercise stores (a statement judged
    True or False); none for a kind whose exercises bring their own or are answered in words."""
    kind = KINDS.get(name)
    return kind.options if kind else ()


def picks_own_option(name: str) -> bool:
    """Answered by picking one of the options the exercise itself carries (its distractors
    are written with it), not one of the kind's fixed options."""
    return answer_form(name, has_choices=True) == "choice" and not fixed_options(name)


def shown_choices(name: str, choices: list[str]) -> list[str]:
    """The options a learner picks from: the exercise's own, else the ones its kind always
    offers (none for a kind answered in words)."""
    kind = KINDS.get(name)
    return choices or list(kind.options if kind else ())
