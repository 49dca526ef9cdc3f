"""One definition per exercise kind (core/kinds.py), read by the protocol, the generators'
registry, grading, the web UI and the LLM engine."""

from typing import get_args

import pytest

from teachback.core import kinds
from teachback.engine.prompts import LLMExercise
from teachback.engine.protocol import ExerciseKind
from teachback.ingest.exercises import registry
from teachback.tutor.answers import FREE_TEXT_KINDS
from teachback.tutor.grading import GRADERS, grade_free_text


def test_the_protocol_and_the_llm_schema_take_their_kinds_from_the_declaration():
    assert get_args(ExerciseKind) == kinds.NAMES
    assert get_args(LLMExercise.model_fields["kind"].annotation) == (
        "multiple_choice",
        "true_false",
        "short_answer",
    )


def test_every_declared_kind_has_a_grader_and_model_kinds_are_free_text():
    assert set(kinds.NAMES) <= set(GRADERS)
    free_text = {n for n in kinds.NAMES if GRADERS[n] is grade_free_text}
    assert free_text == {"short_answer", "function_purpose"} == set(FREE_TEXT_KINDS)


def test_kinds_checked_without_a_model_are_the_closed_ones():
    assert {n for n in kinds.NAMES if kinds.graded_by_key(n)} == {
        "multiple_choice",
        "cloze",
        "true_false",
        "ordering",
        "matching",
        "predict_output",
        "which_function",
        "write_code",
    }
    assert not kinds.graded_by_key("no_such_kind")


def test_how_each_kind_is_answered():
    with_choices = {n: kinds.answer_form(n, has_choices=True) for n in kinds.NAMES}
    assert with_choices == {
        "multiple_choice": "choice",
        "cloze": "line",
        "true_false": "choice",
        "short_answer": "text",
        "ordering": "order",
        "matching": "pairs",
        "predict_output": "line",
        "function_purpose": "choice",
        "which_function": "choice",
        "write_code": "code",
    }
    # Nothing to choose from: typed on one line.
    assert kinds.answer_form("which_function") == "line"
    assert kinds.answer_form("no_such_kind", has_choices=True) == "line"


def test_every_generator_makes_a_declared_kind():
    assert {p.kind for p in registry.plugins()} <= set(kinds.NAMES)


def test_a_generator_of_an_undeclared_kind_is_refused_with_a_plain_message():
    plugin = registry.ExerciseKindPlugin("essay", "essay", lambda v: [], lambda e, c: None)
    with pytest.raises(ValueError, match="unknown kind 'essay'; declare it in"):
        registry.register(plugin)
    assert "essay" not in {p.name for p in registry.plugins()}


def test_which_kinds_bring_their_own_options_and_which_have_fixed_ones():
    assert {n for n in kinds.NAMES if kinds.picks_own_option(n)} == {
        "multiple_choice",
        "which_function",
        "function_purpose",
    }
    assert {n: kinds.fixed_options(n) for n in kinds.NAMES if kinds.fixed_options(n)} == {
        "true_false": ("True", "False")
    }
    assert kinds.fixed_options("no_such_kind") == () and not kinds.picks_own_option("no_such")


PURPOSES = ["Entries divided by buckets.", "Remove the key.", "Hash a string."]


def test_a_kind_answered_in_words_but_offered_options_is_answered_by_choice_on_both_surfaces():
    """What a function does, offered with options: the web page and the terminal both show
    the options (and both fall back to words when there are none), as core/kinds defines."""
    from click.testing import CliRunner
    from streamlit.testing.v1 import AppTest

    from teachback.cli.learn_cmd import ask_answer

    def script():
        from teachback.ui import learn as page

        prompt = "What does `def load_factor(self)` do?"
        options = ["Entries divided by buckets.", "Remove the key.", "Hash a string."]
        page.answer_widget({"kind": "function_purpose", "prompt": prompt, "choices": options}, 0)
        page.answer_widget({"kind": "function_purpose", "prompt": prompt, "choices": []}, 1)

    web = AppTest.from_function(script).run()
    assert [r.options for r in web.radio] == [PURPOSES]
    assert len(web.text_area) == 1 and len(web.text_input) == 0

    def terminal(choices: list[str], typed: str) -> tuple[str, str]:
        exercise = {"kind": "function_purpose", "prompt": "What does it do?", "choices": choices}
        with CliRunner().isolation(input=typed) as (out, _err, _both):
            answer = ask_answer({"type": "exercise", "exercise": exercise})
            return answer, out.getvalue().decode()

    answer, shown = terminal(PURPOSES, "2\n")
    assert answer == "Remove the key."
    assert "  1. Entries divided by buckets.\n  2. Remove the key.\n  3. Hash a string." in shown
    answer, shown = terminal([], "It divides the entries by the buckets.\n")
    assert answer == "It divides the entries by the buckets." and "  1." not in shown
