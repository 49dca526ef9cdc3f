"""The hint ladder (teachback.tutor.hint_ladder): each rung gives more, none gives the answer
or repeats the question."""

from teachback.engine.answer_check import gives_answer_away
from teachback.engine.protocol import ExerciseDraft, Span
from teachback.tutor.hint_ladder import HintContext, around, ladder_hint
from teachback.tutor.hints import offline_hint

SOURCE = (
    "# How a hash table works\n\n"
    "## Collisions\n\n"
    "Two keys can land in the same bucket. "
    "Separate chaining keeps a small list in every bucket.\n"
)
QUOTE = "Separate chaining keeps a small list in every bucket."
START = SOURCE.index(QUOTE)
SPAN = Span(source="s1", start=START, end=START + len(QUOTE), quote=QUOTE)


def cloze(**kw) -> ExerciseDraft:
    return ExerciseDraft(
        concept="separate chaining",
        kind="cloze",
        prompt="Fill in the blank: _____ keeps a small list in every bucket.",
        answer="separate chaining",
        citations=[SPAN],
        **kw,
    )


def context(*examples) -> HintContext:
    heading, before = around(SOURCE, START)
    return HintContext("separate chaining", "How a Hash Table Works", heading, before, examples)


def test_around_finds_the_section_and_the_sentence_before():
    assert around(SOURCE, START) == ("Collisions", "Two keys can land in the same bucket.")
    assert around("No heading here.", 0) == ("", "")


def test_each_rung_gives_more_and_none_gives_the_answer():
    ex = cloze()
    example = ExerciseDraft(
        concept="separate chaining", kind="true_false",
        prompt="True or false: with chaining, a bucket holds a list of entries.", answer=True,
        citations=[Span(source="s1", start=0, end=9, quote="A bucket holds a list of entries.")],
    )  # fmt: skip
    hints = [ladder_hint(ex, level, context(example)) for level in (1, 2, 3)]
    assert hints[0] == (
        "Look in **How a Hash Table Works**, in the section \u201cCollisions\u201d, where it "
        "talks about this concept. The answer comes just after this sentence: "
        "\u201cTwo keys can land in the same bucket.\u201d"
    )
    assert hints[1] == "The answer is 2 words long and looks like `s_______ c_______`."
    assert hints[2].startswith("A worked example, another question on this concept:")
    assert "**Answer:** True" in hints[2] and "A bucket holds a list" in hints[2]
    assert len(set(hints)) == 3
    assert not any(gives_answer_away(h, ex) for h in hints)
    assert not any(ex.prompt.split(":", 1)[1].strip() in h for h in hints)


def test_a_worked_example_that_would_give_the_answer_away_is_skipped():
    ex = cloze()
    telling = ExerciseDraft(
        concept="separate chaining", kind="short_answer", prompt="What keeps a list per bucket?",
        answer="Separate chaining", citations=[SPAN],
    )  # fmt: skip
    last = ladder_hint(ex, 3, context(telling))
    assert not gives_answer_away(last, ex) and "worked example" not in last


def test_choices_are_ruled_out_not_revealed():
    ex = ExerciseDraft(
        concept="separate chaining", kind="multiple_choice", prompt="What keeps a list per bucket?",
        choices=["linear probing", "separate chaining", "double hashing", "resizing"],
        answer="separate chaining", citations=[SPAN],
    )  # fmt: skip
    cue = ladder_hint(ex, 2, context())
    assert cue == (
        "You can rule out: \u201clinear probing\u201d; \u201cdouble hashing\u201d. "
        "Which of the others does the source support?"
    )


def test_the_offline_hint_never_repeats_a_cloze_question():
    hint = offline_hint(cloze())
    assert "What belongs in the gap" not in hint and "keeps a small list" not in hint


def test_a_title_or_section_named_after_the_answer_is_left_out():
    ex = cloze()
    ctx = HintContext("separate chaining", "separate_chaining.py", "Separate chaining", "")
    hint = ladder_hint(ex, 1, ctx)
    assert hint.startswith("Look in the source, where it talks about this concept.")
    assert not gives_answer_away(hint, ex)
