"""Whether the lesson shown above an exercise would answer it (tutor/session_lesson.py)."""

from __future__ import annotations

from teachback.tutor.session_lesson import gives_away

REMINDER = {
    "text": "A hash function is a function that takes a key and returns a whole number, "
    "called the key's *hash value*.",
    "brief": True,
}
OPTIONS = [
    "a region of memory that holds the values, indexed by slot number",
    "a function that takes a key and returns a whole number, called the key's hash value",
    "two keys that reduce to the same slot",
]


def _ex(kind: str, choices: list, answer) -> dict:
    return {"kind": kind, "prompt": "Which statement describes hash function?",
            "choices": choices, "answer": answer, "data": {}}


def test_a_question_whose_option_is_the_reminder_is_not_shown_under_it():
    statement = _ex("multiple_choice", OPTIONS, OPTIONS[1])
    assert gives_away(statement, REMINDER) is True
    # the same question under a lesson that says it otherwise keeps its lesson
    other = {"text": "Hashing turns a key into a number that picks a bucket.", "brief": False}
    assert gives_away(statement, other) is False
    assert gives_away(statement, None) is False
    # a matching whose description the lesson prints is answered by it too
    matching = _ex("matching", OPTIONS, ["hash function => " + OPTIONS[1]])
    assert gives_away(matching, REMINDER) is True
    # a short option (a name) is no give-away: a lesson names its concept
    term = _ex("multiple_choice", ["hash function", "hash table", "bucket"], "hash function")
    assert gives_away(term, REMINDER) is False
    # a statement to judge, answered True or False, carries no options of its own
    tf = _ex("true_false", [], True)
    assert gives_away(tf, REMINDER) is False
    # which-function questions never show the lesson (it is the docstring they ask about)
    assert gives_away(_ex("which_function", ["fnv1a()", "delete()"], "fnv1a()"), None) is True
