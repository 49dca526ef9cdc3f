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
    return {
        "kind": kind,
        "prompt": "Which statement describes hash function?",
        "choices": choices,
        "answer": answer,
        "data": {},
    }


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


def test_the_heading_does_not_name_the_term_a_question_asks_for(water):
    """Review 16: the page showed the concept's name above a cloze whose blank is that name."""
    from langgraph.checkpoint.memory import InMemorySaver

    from teachback.tutor.session import TutorSessions
    from teachback.tutor.session_lesson import TERM_HIDDEN, answers_with_name

    tutor = TutorSessions(water, InMemorySaver())
    payload = tutor.current("ada", "water")
    seen = []
    for _ in range(12):
        if payload["type"] != "exercise":
            break
        exercise = tutor.state("ada", "water")["exercise"]
        name = payload["concept"]["name"]
        asks = answers_with_name(exercise, name)
        seen.append(asks)
        assert payload["concept"]["heading"] == (TERM_HIDDEN if asks else name)
        if asks:
            assert name.casefold() not in payload["reason"].casefold()
            lesson = (payload["lesson"] or {}).get("text") or ""
            assert not lesson.startswith(f"**{name}**")  # nor the lesson's title line
        payload = tutor.answer("ada", "water", exercise["answer"], step=payload["step"])
    assert True in seen and False in seen  # both kinds of question were met


def test_a_term_answer_is_the_name_in_its_plural_or_any_case():
    assert answers_with_name_of("cloze", "Collisions", "collision") is True
    assert answers_with_name_of("multiple_choice", "bucket", "bucket") is True
    assert answers_with_name_of("which_call", "fnv1a()", "fnv1a") is True
    assert answers_with_name_of("cloze", "bucket", "hash table") is False
    assert answers_with_name_of("cloze", "keys", "key-value pair") is False
    assert answers_with_name_of("true_false", True, "key") is False


def answers_with_name_of(kind, answer, name):
    from teachback.tutor.session_lesson import answers_with_name

    return answers_with_name({"kind": kind, "answer": answer}, name)


def test_a_question_the_lesson_would_answer_waits_until_the_lesson_has_been_shown():
    from teachback.tutor.session_nodes import least_practised

    lesson = {
        "text": "A hash function is a function that takes a key and returns a whole "
        "number, called the key's hash value.",
        "brief": False,
    }
    statement = {**_ex("multiple_choice", OPTIONS, OPTIONS[1]), "id": "mc", "difficulty": 0.3}
    cloze = {
        "id": "cz",
        "kind": "cloze",
        "prompt": "A _____ must be deterministic.",
        "choices": [],
        "answer": "hash function",
        "data": {},
        "difficulty": 0.6,
    }
    # first: the cloze, under the lesson, though the choice is nearer the learner's level
    assert least_practised([statement, cloze], {}, None, 0.3, lesson)["id"] == "cz"
    # then the choice, asked without the lesson the learner has now read
    assert least_practised([statement, cloze], {"cz": 1}, "cz", 0.3, lesson)["id"] == "mc"
    # with no lesson above it, the level decides
    assert least_practised([statement, cloze], {}, None, 0.3, None)["id"] == "mc"


LESSON = {"text": "A key-value pair is a piece of data made of a key, which names the item, "
                  "and a value, which is the information stored under it."}  # fmt: skip


def test_a_question_in_its_answered_form_above_it_is_given_away():
    """Review 19: the first question under a lesson was a cloze of the sentence printed above
    it (or a true/false of it, or "which term is described" quoting it): answered by copying."""
    cloze = {"kind": "cloze", "answer": "key-value pair",
             "prompt": "Fill in the blank: A _____ is a piece of data made of a key, which "
                       "names the item, and a value."}  # fmt: skip
    true_false = {"kind": "true_false", "answer": "true",
                  "prompt": "True or false: A key-value pair is a piece of data made of a key, "
                            "which names the item."}  # fmt: skip
    which_term = {"kind": "multiple_choice", "answer": "key-value pair",
                  "choices": ["key-value pair", "bucket", "hash value"],
                  "prompt": "Which term is described here: \u201ca piece of data made of a key, "
                            "which names the item, and a value\u201d?"}  # fmt: skip
    assert [gives_away(ex, LESSON) for ex in (cloze, true_false, which_term)] == [True] * 3


def test_a_question_the_lesson_does_not_print_is_not_given_away():
    other = {"kind": "cloze", "answer": "bucket",
             "prompt": "Fill in the blank: Each _____ holds the entries hashed to it."}  # fmt: skip
    explain = {"kind": "short_answer", "answer": LESSON["text"],
               "prompt": "In your own words, what is a key-value pair?"}  # fmt: skip
    assert [gives_away(ex, LESSON) for ex in (other, explain)] == [False, False]
