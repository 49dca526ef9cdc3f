"""What the tutor shows: the grounded lesson (whole, brief, or from another angle) and the
learner-facing view of an exercise (never its answer key).

Lesson and source text come from the curriculum's published version (``published.Curriculum``)
as Markdown; the UI renders it with HTML disabled.

>>> public_exercise({"id": "e1", "kind": "matching", "prompt": "Match", "choices": ["b1", "a1"],
...                  "answer": ["a => a1", "b => b1"], "data": {}})["items"]
['a', 'b']
"""

from __future__ import annotations

import json
import re

from teachback.core.kinds import answer_form, shown_choices
from teachback.tutor.hidden_code import curriculum_bodies, hide_in_lesson, shows_body


def _concept(cur, concept_id: str) -> dict:
    concept = cur.by_id.get(concept_id)
    if concept is None:
        from teachback.errors import NotFound

        raise NotFound(f"concept {concept_id!r} is not in the published curriculum {cur.id!r}")
    return {
        "id": concept_id,
        "name": concept["name"],
        "definition": concept.get("definition") or "",
    }


def lesson_for(cur, concept_id: str, *, angle: str = "lesson", attempt: int = 0) -> dict:
    """The lesson for a concept of ``cur`` (a published ``published.Curriculum``):
    ``angle="lesson"`` is the stored lesson; ``"evidence"`` is another cited passage about it
    (a different way in after a miss), rotating with ``attempt`` so repeated misses see
    different passages. Neither shows a body a write-the-code exercise asks for
    (``hidden_code``).
    """
    concept = _concept(cur, concept_id)
    stored = cur.lessons.get(concept_id) or {}
    bodies = curriculum_bodies(cur)
    text, citations = hide_in_lesson(
        stored.get("text") or "", list(stored.get("citations") or []), bodies
    )
    if angle == "evidence":
        other = _other_passage(
            cur, concept_id, list(stored.get("citations") or []), attempt, bodies
        )
        if other is not None:
            return {
                "concept_name": concept["name"],
                "text": other["text"],
                "citations": [other["citation"]],
                "brief": False,
                "angle": "evidence",
            }
    if not text:  # no lesson written: fall back to the definition the sources give
        text = concept["definition"] or f"*{concept['name']}*"
    return {
        "concept_name": concept["name"],
        "text": text,
        "citations": citations,
        "brief": False,
        "angle": "lesson",
    }


def brief_lesson(cur, concept_id: str, lesson: dict) -> dict:
    """Only the key sentence (the concept's definition), for a learner who is doing well; the
    whole lesson stays at hand (``whole``) for a learner who asks to see it again."""
    concept = _concept(cur, concept_id)
    if not concept["definition"] or concept["definition"].strip() == lesson["text"].strip():
        return lesson
    return {**lesson, "text": concept["definition"], "brief": True, "whole": lesson["text"]}


def recall_lesson(lesson: dict) -> dict:
    """No lesson above a question asked again (it is answered from memory), the whole lesson
    at hand (``whole``) for a learner who asks to see it."""
    return {**lesson, "text": "", "brief": False, "recall": True, "whole": lesson["text"]}


def _other_passage(cur, concept_id: str, cited: list, attempt: int, bodies=()) -> dict | None:
    """Another passage about the concept than the lesson's (rotating with ``attempt``): one
    the lesson does not already show, the ones that teach it first -- a defining passage, then
    passages that name the concept early (about it, not a sentence about something else that
    uses the word in passing), prose before code."""
    rows = cur.evidence.get(concept_id) or []
    # a passage quoting a body the learner is to write is not another way in: it is the answer
    rows = [r for r in rows if not shows_body(r["passage"] or r["quote"], bodies)]
    name = (cur.by_id.get(concept_id) or {}).get("name") or ""
    titles = getattr(cur, "source_titles", {}) or {}
    # a passage that names the concept only in the title of another document ("This notebook
    # tries out the ideas from *How a Hash Table Works*") says nothing about it
    rows = [r for r in rows if not names_only_a_title(r, name, titles)]
    fresh = [r for r in rows if not _in_lesson(r, cited)] or rows
    if not fresh:
        return None
    fresh = sorted(fresh, key=lambda r: _teaching_rank(r, name))  # stable: stored order within
    r = fresh[attempt % len(fresh)]
    return {
        "text": r["passage"] or r["quote"],
        "citation": {
            "source": r["source_id"],
            "start": r["start"],
            "end": r["end"],
            "quote": r["quote"],
            "path": r["path"] or "",
        },
    }


# Kinds whose question hides what the concept's lesson says: which function this is (its name,
# the concept's own), what a function does (its docstring, the concept's definition).
HIDES_LESSON = ("which_function", "function_purpose")
ASKS_FOR_NAME = ("which_function",)
NAME_HIDDEN = "Name that function"  # the heading shown instead of the name asked for


TERM_HIDDEN = "Name the term"  # the heading of a question whose answer is the concept's name


def answers_with_name(exercise: dict | None, name: str) -> bool:
    """Whether the exercise's answer is the concept's own name (a blank it fills, the term a
    description is of), so a heading or a reason that names the concept answers it.

    >>> answers_with_name({"kind": "cloze", "answer": "Collisions"}, "collision")
    True
    >>> answers_with_name({"kind": "cloze", "answer": "bucket"}, "hash table")
    False
    """
    if not exercise or not name:
        return False
    key = exercise.get("answer")
    if isinstance(key, list) and len(key) == 1:
        key = key[0]
    if not isinstance(key, str):
        return False
    key, name = _words(key.replace("()", "")).strip(), _words(name.replace("()", "")).strip()
    short, long = sorted((key, name), key=len)
    return bool(key) and long in (short, short + "s", short + "es")


def untitled(lesson: dict | None, name: str) -> dict | None:
    r"""The lesson without its title line (``**name** (also: ...)``), shown above a question
    whose answer is that name.

    >>> untitled({"text": "**key** (also: keys)\n\nA key names an item."}, "key")["text"]
    'A key names an item.'
    >>> untitled({"text": "## Key\nA key names an item."}, "key")["text"]
    'A key names an item.'
    >>> untitled({"text": "A key names an item."}, "key")["text"]
    'A key names an item.'
    """
    text = (lesson or {}).get("text") or ""
    first, _, rest = text.partition("\n")
    title = re.sub(r"\s*\(also:.*\)\s*$", "", first.strip().lstrip("#").strip())
    if _words(title) != _words(name) or not rest.strip():
        return lesson
    return {**lesson, "text": rest.lstrip("\n")}


# an option shorter than this is a name, which a lesson is bound to say (its concept's own)
MIN_OPTION_WORDS = 4


def gives_away(exercise: dict | None, lesson: dict | None = None) -> bool:
    """Whether showing the concept's lesson (or its one-line reminder, the docstring) with this
    exercise would answer it: a which-function question says the docstring is left out, a
    what-does-it-do question asks for the docstring in other words, and any question one of
    whose options ``lesson`` prints word for word (a "which statement describes X?" under the
    definition it quotes) is answered by reading it."""
    if not exercise:
        return False
    return (
        exercise["kind"] in HIDES_LESSON
        or _prints_an_option(exercise, lesson)
        or _prints_the_answer(exercise, lesson)
    )


def _words(text: str) -> str:
    """Lower-cased words with Markdown emphasis and punctuation gone, space-delimited."""
    return " " + " ".join(re.findall(r"[^\W_]+", re.sub(r"[*_`]", " ", text).casefold())) + " "


def _prints_an_option(exercise: dict, lesson: dict | None) -> bool:
    # what the step shows, and the whole lesson a learner can open from it
    text = " ".join(((lesson or {}).get(k) or "") for k in ("text", "whole")).strip()
    if not text:
        return False
    said = _words(text)
    options = shown_choices(exercise["kind"], list(exercise.get("choices") or []))
    for option in map(str, options):
        words = _words(option)
        if len(words.split()) >= MIN_OPTION_WORDS and words in said:
            return True
    return False


# a run of this many words of a question's answered form, printed above it, is copied, not known
COPIED_RUN = 8
_FRAMING = re.compile(r"^\s*(?:fill in the blank|true or false)\s*:\s*", re.I)
_QUOTED = re.compile(r"[\u201c\"](.+?)[\u201d\"]")


def _prints_the_answer(exercise: dict, lesson: dict | None) -> bool:
    """Whether the text shown above the question holds the question in its answered form, so
    that it is answered by copying: a cloze's sentence with the blank filled, a true/false
    statement, the description a "which term is described here" quotes (with the term it
    describes). A run of ``COPIED_RUN`` words in common is enough
    (a shorter form must be there whole)."""
    text = " ".join(((lesson or {}).get(k) or "") for k in ("text", "whole")).strip()
    if not text:
        return False
    said = _words(text)
    return any(_has_run(_words(form).split(), said) for form in _answered_forms(exercise))


def _answered_forms(exercise: dict) -> list[str]:
    kind, prompt = exercise["kind"], exercise.get("prompt") or ""
    key = _key_text(exercise.get("answer"))
    if kind == "cloze" and key:
        return [_FRAMING.sub("", prompt).replace("_____", key)]
    if kind == "true_false":
        return [_FRAMING.sub("", prompt)]
    quoted = _QUOTED.search(prompt)
    if quoted and key and len(key.split()) < MIN_OPTION_WORDS:  # the term a description is of
        return [quoted.group(1)]
    return []


def _key_text(answer) -> str:
    if isinstance(answer, str) and answer.startswith(("[", '"')):
        try:
            answer = json.loads(answer)
        except ValueError:
            pass
    if isinstance(answer, list) and len(answer) == 1:
        answer = answer[0]
    return answer if isinstance(answer, str) else ""


def _has_run(words: list[str], said: str) -> bool:
    if not words:
        return False
    if len(words) <= COPIED_RUN:
        return " " + " ".join(words) + " " in said
    return any(
        " " + " ".join(words[i : i + COPIED_RUN]) + " " in said
        for i in range(len(words) - COPIED_RUN + 1)
    )


def names_only_a_title(row: dict, name: str, titles: dict[str, str]) -> bool:
    """Whether every mention of ``name`` in the passage is inside the title of another source
    (a reference to a document, not a word about the concept).

    >>> row = {"passage": "The ideas from *How a Hash Table Works* on a package.", "quote": "",
    ...        "source_id": "nb"}
    >>> names_only_a_title(row, "hash table", {"md": "How a Hash Table Works", "nb": "Notes"})
    True
    >>> names_only_a_title(row, "package", {"md": "How a Hash Table Works"})
    False
    """
    if not name:
        return False
    text = _words(row.get("passage") or row.get("quote") or "")
    term = _words(name)
    if term not in text:
        return False
    others = (_words(t) for s, t in titles.items() if s != row.get("source_id") and t)
    for title in sorted({t for t in others if term in t and t.strip()}, key=len, reverse=True):
        text = text.replace(title, " | ")
    return term not in text


def _in_lesson(row: dict, cited: list) -> bool:
    """Whether the lesson already shows this evidence: the same quote, or a cited span of the
    same source that overlaps it."""
    for c in cited:
        if c.get("quote") == row["quote"]:
            return True
        same = c.get("source") == row["source_id"] and c.get("start") is not None
        if same and c["start"] < row["end"] and row["start"] < (c.get("end") or 0):
            return True
    return False


def _teaching_rank(row: dict, name: str) -> tuple:
    """Sort key: defining passages first, then by how early the quote names the concept (a
    sentence about it names it first), prose before code.

    >>> _teaching_rank({"role": "mention", "quote": "If **keys** were numbers"}, "key")
    (True, False, 0.1)
    """
    text = re.sub(r"[*_`]", "", row["quote"]).casefold()
    words = re.escape(name.casefold())
    found = re.search(rf"\b{words}", text) if name else None
    where = found.start() / max(len(text), 1) if found else 1.0
    passage = row.get("passage") or row["quote"]
    code = bool(re.match(r"\s*(def |class |\"\"\"|'\'\'|#|>>>|import |from \w)", passage))
    return (row.get("role") != "definition", code, round(where, 1))


def public_exercise(exercise: dict) -> dict:
    """The exercise as shown: prompt, kind, choices, and for ordering/matching the items."""
    view = {
        "id": exercise["id"],
        "kind": exercise["kind"],
        "prompt": exercise["prompt"],
        "choices": [str(c) for c in exercise.get("choices") or []],
    }
    data = exercise.get("data") or {}
    key = exercise.get("answer")
    # How the kind is answered, whatever this exercise stores (its options are filled in below).
    form = answer_form(exercise["kind"], has_choices=True)
    if form == "order":
        view["items"] = view["choices"] or sorted(str(k) for k in key or [])
    elif form == "pairs":
        left = data.get("left") or data.get("terms")
        left = left or [str(p).split("=>")[0].strip() for p in key or []]
        right = view["choices"] or data.get("right") or []
        if not right:
            right = sorted(str(p).split("=>", 1)[-1].strip() for p in key or [])
        view["items"], view["choices"] = list(left), list(right)
    elif form == "code":
        view["stub"] = str(data.get("stub") or "")  # what the editor starts with
    else:
        view["choices"] = shown_choices(exercise["kind"], view["choices"])
    return view


def _load(text) -> list:
    try:
        value = json.loads(text) if text else []
    except json.JSONDecodeError:
        return []
    return value if isinstance(value, list) else []
