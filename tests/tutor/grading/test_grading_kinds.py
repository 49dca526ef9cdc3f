"""Every exercise kind's grader: right, wrong, and partly right where the kind allows it."""

import pytest

from teachback.engine.protocol import ExerciseDraft, GradeRequest, Span
from teachback.tutor.grading import GRADERS, grade

CITE = Span(source="docs/hashing.md", start=10, end=60, quote="A hash table maps keys to values.")
KINDS = [
    "multiple_choice",
    "cloze",
    "true_false",
    "short_answer",
    "ordering",
    "matching",
    "predict_output",
    "function_purpose",
    "which_function",
]


def ask(kind, answer, key, **fields):
    ex = ExerciseDraft(
        concept="hash table", kind=kind, prompt="Q?", answer=key, citations=[CITE], **fields
    )
    text_key = key if isinstance(key, str) else ""
    return grade(
        GradeRequest(question="Q?", reference=text_key, answer=answer, kind=kind, exercise=ex)
    )


def test_every_kind_has_a_grader():
    assert set(KINDS) <= set(GRADERS)


MC = ["A hash table", "A linked list", "A binary tree", "A stack"]


@pytest.mark.parametrize(
    "answer", ["A hash table", "a hash table", "A", "a)", "(a)", "1", "hash table"]
)
def test_multiple_choice_accepts_letter_index_or_text(answer):
    g = ask("multiple_choice", answer, "A hash table", choices=MC)
    assert (g.score, g.verdict) == (1.0, "correct")


@pytest.mark.parametrize("answer", ["B", "A linked list", "2", "something else entirely", ""])
def test_multiple_choice_rejects_other_options(answer):
    g = ask("multiple_choice", answer, "A hash table", choices=MC)
    assert (g.score, g.verdict) == (0.0, "incorrect")
    assert "Expected: A hash table" in g.feedback
    assert "Reread: “A hash table maps keys to values.” (source docs/hashing.md)" in g.feedback


@pytest.mark.parametrize(
    "answer, note",
    [
        ("collision", ""),
        ("Collisions", "form of"),  # inflection
        ("colision", "spelling"),  # one letter missing
        ("collisoin", "spelling"),  # transposition
    ],
)
def test_cloze_accepts_inflections_and_near_misses(answer, note):
    g = ask("cloze", answer, "collision", data={"accepted": ["collision", "collisions"]})
    assert g.verdict == "correct", g.feedback
    assert note in g.feedback


@pytest.mark.parametrize("answer", ["bucket", "hash", "", "collide with"])
def test_cloze_rejects_a_different_word(answer):
    g = ask("cloze", answer, "collision")
    assert (g.score, g.verdict) == (0.0, "incorrect")


def test_cloze_short_terms_need_exact_spelling_and_accepted_forms_count():
    assert ask("cloze", "kex", "key").verdict == "incorrect"
    assert ask("cloze", "dict", "dictionary", data={"accepted": ["dict"]}).verdict == "correct"
    # No "accepted" list at all: the key alone is used.
    assert ask("cloze", "dictionaries", "dictionary").verdict == "correct"


@pytest.mark.parametrize("answer", ["true", "True", "T", "yes", "y", "Yes, it is", "correct"])
def test_true_false_true_key(answer):
    assert ask("true_false", answer, True).score == 1.0


@pytest.mark.parametrize("answer", ["false", "F", "no", "No."])
def test_true_false_false_answers_on_true_key(answer):
    assert ask("true_false", answer, True).score == 0.0


def test_true_false_shows_the_corrected_statement_for_false_ones():
    corrected = "A hash table maps keys to values."
    g = ask("true_false", "true", False, data={"corrected": corrected})
    assert g.verdict == "incorrect"
    assert f"The corrected statement: {corrected}" in g.feedback
    assert ask("true_false", "f", "false", data={"corrected": corrected}).verdict == "correct"


def test_true_false_unparseable_answer_is_incorrect_with_help():
    g = ask("true_false", "maybe", True)
    assert g.score == 0.0 and "true or false" in g.feedback


STEPS = ["Hash the key", "Find the bucket", "Compare keys in the bucket", "Return the value"]


def test_ordering_right_order_full_marks_in_any_answer_format():
    assert ask("ordering", "\n".join(STEPS), STEPS, choices=STEPS[::-1]).score == 1.0
    assert ask("ordering", " -> ".join(STEPS), STEPS).score == 1.0
    assert (
        ask(
            "ordering",
            '["Hash the key", "Find the bucket", "Compare keys in the bucket", "Return the value"]',
            STEPS,
        ).score
        == 1.0
    )
    # 1-based positions into the shown (shuffled) choices:
    shown = [STEPS[2], STEPS[0], STEPS[3], STEPS[1]]
    assert ask("ordering", "2, 4, 1, 3", STEPS, choices=shown).score == 1.0


def test_ordering_partial_credit_is_longest_common_subsequence():
    g = ask("ordering", "\n".join([STEPS[1], STEPS[0], STEPS[2], STEPS[3]]), STEPS)
    assert g.score == 0.75 and g.verdict == "correct"
    g = ask("ordering", "\n".join(STEPS[::-1]), STEPS)
    assert g.score == 0.25 and g.verdict == "incorrect"
    assert "Expected: Hash the key → Find the bucket" in g.feedback


PAIRS = [
    "hash => maps a key to a number",
    "bucket => holds entries",
    "load factor => entries per bucket",
]


def test_matching_share_of_right_pairs():
    full = ask("matching", "\n".join(PAIRS), PAIRS, data={"pairs": PAIRS})
    assert (full.score, full.verdict) == (1.0, "correct")
    half = ask(
        "matching",
        "hash -> maps a key to a number\nbucket: entries per bucket\nload factor = holds entries",
        PAIRS,
    )
    assert half.score == pytest.approx(1 / 3, abs=1e-4)
    assert half.covered == ["hash => maps a key to a number"]
    assert half.missing == PAIRS[1:]
    assert "bucket => holds entries" in half.feedback
    as_json = ask(
        "matching", '{"hash": "maps a key to a number", "bucket": "holds entries"}', PAIRS
    )
    assert as_json.score == pytest.approx(2 / 3, abs=1e-4) and as_json.verdict == "partly"


@pytest.mark.parametrize("answer", ["[1, 2, 3]", "[1,2,3]", "  [1, 2,  3]\n", "`[1, 2, 3]`"])
def test_predict_output_normalises_whitespace_and_reprs(answer):
    assert ask("predict_output", answer, "[1, 2, 3]").score == 1.0


def test_predict_output_quotes_and_strings():
    assert ask("predict_output", '"abc"', "'abc'").score == 1.0
    assert ask("predict_output", "{'a': 1}", '{"a": 1}').score == 1.0
    assert ask("predict_output", "'abd'", "'abc'").score == 0.0


def test_predict_output_accepts_a_wrapped_repr_written_on_one_line():
    key = "MultiIndex([('a', 1),\n            ('a', 2),\n            ('b', 1)],\n           )"
    one_line = "MultiIndex([('a', 1), ('a', 2), ('b', 1)])"
    assert ask("predict_output", one_line, key).score == 1.0
    assert ask("predict_output", one_line.replace("'b', 1", "'b', 2"), key).score < 1.0
    # words and numbers stay apart: "1 2" is not "12"
    assert ask("predict_output", "12", "1 2").score == 0.0


def test_predict_output_compares_the_values_a_repr_shows():
    key = "MultiIndex([('a', 1),\n            ('a', 2),\n            ('b', 1)],\n           )"
    wrong = ask("predict_output", "MultiIndex([('a', 1), ('a', 2), ('b', 2)])", key)
    assert (wrong.score, wrong.verdict) == (0.7, "partly")
    assert wrong.feedback.startswith(
        "Partly right. 6 of 7 values are right. "
        "Expected: MultiIndex([('a', 1), ('a', 2), ('b', 1)]). Reread:"
    )
    # A NumPy array's values written as a list, a DataFrame's cells spaced otherwise.
    assert ask("predict_output", "[1.0, 2.0, 3.0]", "[1. 2. 3.]").score == 1.0
    table = "     a    b\n0  1.0  NaN\n1  2.0  4.0"
    assert ask("predict_output", "a b\n0 1 nan\n1 2 4", table).score == 1.0
    half = ask("predict_output", "a b\n0 1 nan", table)  # a row left out
    assert (half.score, half.verdict) == (0.625, "partly")
    assert half.feedback.startswith("Partly right. 5 of 8 values are right.")


def test_predict_output_rereads_the_cell_asked_about():
    setup = Span(source="nb.ipynb", start=0, end=19, quote="import pandas as pd")
    cell = Span(source="nb.ipynb", start=40, end=60, quote="pd.Series([1, 2]).sum()")
    ex = ExerciseDraft(
        concept="sum",
        kind="predict_output",
        prompt="What does the last cell output?",
        answer="3",
        citations=[setup, cell],
        data={"source": "pd.Series([1, 2]).sum()"},
    )
    g = grade(
        GradeRequest(question="Q?", reference="", answer="4", kind="predict_output", exercise=ex)
    )
    assert g.feedback == (
        "Not quite. That is not what it prints. Expected: 3. "
        "Reread: “pd.Series([1, 2]).sum()” (source nb.ipynb)"
    )


def test_predict_output_multi_line_partial_and_never_executes(tmp_path):
    marker = tmp_path / "ran"
    g = ask("predict_output", f"3\nopen({str(marker)!r}, 'w')", "3\n4")
    assert g.score == 0.5 and g.verdict == "partly"
    assert not marker.exists()


def test_predict_output_one_line_wrong_of_several_is_partly():
    key = "a\nb\nc\nd"
    g = ask("predict_output", "a\nb\nc\nx", key)
    assert (g.score, g.verdict) == (0.7, "partly")
    assert g.feedback.startswith("Partly right. 3 of 4 lines are right.")
    assert ask("predict_output", "a\n  b\nc\nd ", key).score == 1.0


@pytest.mark.parametrize(
    "answer", ["lookup", "lookup()", "hashkit.table.lookup", "`Table.lookup(key)`", "LOOKUP"]
)
def test_which_function_tolerates_prefixes_and_parentheses(answer):
    assert ask("which_function", answer, "hashkit.table.lookup").score == 1.0


def test_which_function_wrong_name_and_options():
    assert ask("which_function", "insert", "hashkit.table.lookup").score == 0.0
    opts = ["hashkit.table.insert", "hashkit.table.lookup"]
    assert ask("which_function", "B", "hashkit.table.lookup", choices=opts).score == 1.0
    assert ask("which_function", "A", "hashkit.table.lookup", choices=opts).score == 0.0


def test_function_purpose_free_text_and_as_options():
    key = "Return the value stored under a key, or raise KeyError when the key is missing."
    right = ask(
        "function_purpose",
        "It looks up the value for a key and raises KeyError if the key is absent.",
        key,
    )
    wrong = ask("function_purpose", "It sorts a list of numbers in ascending order.", key)
    assert right.score > 0.6 and wrong.score < 0.3 and right.verdict != "incorrect"
    opts = [key, "Sort the table by key."]
    assert ask("function_purpose", "A", key, choices=opts).score == 1.0


def test_unknown_kind_falls_back_to_free_text():
    g = grade(
        GradeRequest(
            question="What does a hash table do?",
            reference="It maps keys to values.",
            answer="It maps keys to values.",
            kind="essay",
        )
    )
    assert g.verdict == "correct"


def test_matching_numbers_name_descriptions_as_the_question_lists_them():
    shown = ["holds entries", "entries per bucket", "maps a key to a number"]  # shuffled
    right = "hash => 3\nbucket => 1\nload factor => 2"
    g = ask("matching", right, PAIRS, data={"pairs": PAIRS}, choices=shown)
    assert (g.score, g.verdict) == (1.0, "correct")
    in_key_order = ask("matching", "hash => 1\nbucket => 2\nload factor => 3", PAIRS,
                       data={"pairs": PAIRS}, choices=shown)  # fmt: skip
    assert in_key_order.score == 0.0


def test_matching_descriptions_may_contain_separators():
    pairs = [
        "hash => maps a key to a number; fast",
        "array => slots 0..n: constant-time reads",
    ]
    g = ask("matching", "\n".join(pairs), pairs, data={"pairs": pairs})
    assert (g.score, g.covered) == (1.0, pairs)


def test_matching_pairs_typed_on_one_line_with_commas():
    """Review 19: "hash => 3, bucket => 1, load factor => 2" on one line read as one pair
    ("0 of 3 pairs are right"); a comma inside a description, with no pair after it, stays."""
    shown = ["holds entries", "entries per bucket", "maps a key to a number"]
    g = ask("matching", "hash => 3, bucket => 1, load factor => 2", PAIRS,
            data={"pairs": PAIRS}, choices=shown)  # fmt: skip
    assert (g.score, g.verdict) == (1.0, "correct")
    pairs = ["hash => maps a key, any key, to a number", "bucket => holds entries"]
    g = ask("matching", ", ".join(pairs), pairs, data={"pairs": pairs})
    assert (g.score, g.covered) == (1.0, pairs)
