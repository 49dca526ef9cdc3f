"""A teacher's reading of exercise text (the ``quality`` package): a sentence that leans on the one
before it but glosses the name in apposition is made a statement of its own; a judgement
("X is fast in practice") is not a definition; a name written as a keyword argument is
another sense of the word; an example's tokens are not what a rubric asks."""

from __future__ import annotations

from teachback.engine.protocol import ExerciseDraft
from teachback.ingest.exercises.quality.definitions import defines, rated
from teachback.ingest.exercises.quality.examples import from_examples
from teachback.ingest.exercises.quality.form import keyword_sense
from teachback.ingest.exercises.quality.restate import standalone
from teachback.ingest.exercises.selfcheck import teacher_problems


def test_a_gloss_in_apposition_becomes_a_statement_of_its_own():
    assert (
        standalone(
            "Its weakness is primary clustering, the tendency of occupied buckets to form long "
            "unbroken runs: any key that hashes into a run must walk to its end.",
            ["primary clustering"],
        )
        == "Primary clustering is the tendency of occupied buckets to form long unbroken runs."
    )
    assert (
        standalone(
            "That is an example of amortized analysis, which averages the cost of an occasional "
            "expensive operation over a long sequence of cheap ones.",
            ["amortized analysis"],
        )
        == "Amortized analysis averages the cost of an occasional expensive operation over a "
        "long sequence of cheap ones."
    )
    assert (
        standalone(
            "To address this difficulty, Pandas later added nullable dtypes, which are "
            "distinguished from regular dtypes by capitalization of their names.",
            ["nullable dtype"],
        )
        == "Nullable dtypes are distinguished from regular dtypes by capitalization of their "
        "names."
    )


def test_a_sentence_that_stands_alone_or_has_no_gloss_is_left_as_it_is():
    assert standalone("Pandas is a newer package built on NumPy.", ["pandas"]) == (
        "Pandas is a newer package built on NumPy."
    )
    # leans on the sentence before, and says nothing of the name it could stand on
    assert standalone("That is a linear search: its cost grows.", ["linear search"]) == (
        "That is a linear search: its cost grows."
    )


def test_a_judgement_is_not_what_the_term_is():
    text = "Linear probing is fast in practice because neighbouring buckets sit close together."
    assert rated(text, "linear probing")
    assert not defines(text, ["linear probing"])
    assert not rated("Linear probing is a fast collision resolution strategy.", "linear probing")
    assert defines("Linear probing is a collision resolution strategy.", ["linear probing"])


def test_a_name_written_as_a_keyword_argument_is_another_sense():
    said = "The join is a union of the input columns (`join='outer'`), but can be an intersection."
    assert keyword_sense(said, ["join"]) == (
        "it is about the `join=` argument, not the idea of that name"
    )
    assert keyword_sense("An inner join keeps the rows in both tables.", ["join"]) == ""
    assert keyword_sense("Compare with `a == join` in code.", ["join"]) == ""


def test_a_choice_blank_that_takes_a_verb_gives_the_key_away():
    from teachback.engine.protocol import ExerciseDraft
    from teachback.ingest.exercises.selfcheck import teacher_problems

    def mc(sentence: str) -> ExerciseDraft:
        return ExerciseDraft(
            concept="insert",
            kind="multiple_choice",
            prompt=f"Which term fills the blank? \u201c{sentence}\u201d",
            choices=["resizing", "bucket", "hash table", "insert"],
            answer="insert",
        )

    verb = mc("An associative array supports three operations: _____ a pair, look up a value.")
    assert teacher_problems(verb) == [
        "gives_away: the blank takes a verb; the grammar picks the key"
    ]
    assert teacher_problems(mc("Every _____ needs a rule for where the second key goes.")) == []


def test_an_option_that_starts_with_a_word_of_the_name_gives_it_away():
    from teachback.ingest.exercises.kinds.function_purpose import name_gives_away

    options = ["Poor Man's Configurator.", "Prepare the Shakespeare dataset for modeling."]
    key = "A much shorter version of train.py for benchmarking"
    assert name_gives_away("bench", key, options) == "bench"
    # a distractor that echoes the same word leaves nothing to pick by
    assert name_gives_away("bench", key, [*options, "Benchmarks the model"]) == ""
    assert name_gives_away("stats.mean", "Return the arithmetic average", options) == ""


def test_an_option_that_holds_the_key_as_a_word_is_no_distractor():
    from teachback.ingest.exercises.kinds.blank_choice import _holds

    assert _holds("key-value pair", "value") and _holds("hash value", "value")
    assert not _holds("integer index", "indexing")
    assert not _holds("value", "value")


def test_a_concept_gets_at_most_three_fill_the_blank_exercises(tmp_path):
    from teachback.engine.protocol import ConceptDraft
    from teachback.ingest.exercises import MAX_BLANKS_PER_CONCEPT, _is_blank, generate_checked
    from teachback.ingest.readers import load_sources

    sentences = [
        "A frame is a table of labelled rows and labelled columns in memory.",
        "Every frame keeps its column labels in an ordered index object.",
        "A frame can be built from a dictionary that maps labels to lists of numbers.",
        "Each frame stores one data type for every column of numbers it holds.",
        "A frame aligns the labels of both inputs before any arithmetic between them.",
        "A frame can be written to a comma-separated file with a single method call.",
        "A frame sorts its entries by their labels when it is asked to do so.",
        "A frame drops the entries that hold missing numbers when it is asked to.",
    ]
    path = tmp_path / "frames.md"
    path.write_text("# Frames\n\n## Basics\n\n" + "\n".join(sentences) + "\n", encoding="utf-8")
    docs = load_sources([str(path)]).documents
    frame = ConceptDraft(name="frame", definition=sentences[0], kind="term")
    kept, rejected = generate_checked(frame, [frame], docs)
    assert sum(map(_is_blank, kept)) == MAX_BLANKS_PER_CONCEPT == 3
    over = [ex for ex in rejected if ex.self_check.reasons[0].startswith("over_asked:")]
    assert over and all(_is_blank(ex) for ex in over)


def test_a_trailing_pointer_ahead_is_cut_from_a_statement():
    from teachback.ingest.exercises.quality.restate import tidy

    assert tidy(
        "The `pd.concat` function provides a similar syntax to `np.concatenate` but contains "
        "a number of options that we'll discuss momentarily."
    ) == (
        "The `pd.concat` function provides a similar syntax to `np.concatenate` but contains "
        "a number of options."
    )
    # a clause that says what the thing is stays
    assert tidy("A tombstone is a marker that stays in the bucket.") == (
        "A tombstone is a marker that stays in the bucket."
    )


def test_a_glossary_line_is_asked_as_the_sentence_it_stands_for():
    names = ["hash function", "rehashing", "load factor", "karpathy"]
    assert standalone("Hash function: a deterministic function from keys to numbers.", names) == (
        "A hash function is a deterministic function from keys to numbers."
    )
    assert standalone("Rehashing: recomputing every key's bucket.", names) == (
        "Rehashing is recomputing every key's bucket."
    )
    # no article to tell which one it takes, a speaker's words, a label of another concept
    for line in [
        "Load factor: entries divided by buckets.",
        "Karpathy: a lot of people think it is over.",
        "Bucket: one slot of the table's array.",
    ]:
        assert standalone(line, names) == line


def test_a_blank_whose_claim_is_shared_with_something_else_is_ambiguous():
    from teachback.ingest.exercises.quality.blanks import shared_property

    shared = "the sentence says the blank shares its claim with something else ('also')"
    # Series objects have NumPy's attributes too: "Series" fills the blank as well as "Index"
    assert shared_property("`_____` objects also have many attributes familiar from arrays.") == (
        shared
    )
    assert shared_property("The _____, too, keeps its rows in order.") == shared
    # another name for it, or a claim of its own besides the ones before
    assert shared_property("A _____ is also called a map or a dictionary.") == ""
    assert shared_property("The `_____` also supports indexing just one of its levels.") == ""
    assert shared_property("A _____ happens when two different keys land in one bucket.") == ""


def test_a_restructuredtext_code_mark_is_shown_as_markdown_code():
    from teachback.ingest.exercises.text import clean_for_prompt

    assert clean_for_prompt("``DataFrame``s are arrays with labels, like ``Series``.") == (
        "`DataFrame`s are arrays with labels, like `Series`."
    )
    assert clean_for_prompt("Markdown `code` stays as it is.") == "Markdown `code` stays as it is."


UNIFORM = (
    "A good hash function spreads keys uniformly over the possible values, so that similar keys "
    'such as `"user1"` and `"user2"` land in different buckets.'
)


def test_an_examples_tokens_are_not_rubric_points():
    points = ["spreads keys uniformly", "user1", '"user2"', "different buckets", "SHA-256"]
    assert from_examples(points, UNIFORM) == ["user1", '"user2"']
    # a name the sentence states as its claim is no example; one after "such as" is
    assert from_examples(["cryptographic hash", "SHA-256"], SAYS_SHA) == ["SHA-256"]
    written = "The amortized cost is constant, written O(1)."
    assert from_examples(["constant", "O(1)"], written) == []


SAYS_SHA = "A hash function does not have to be a cryptographic hash such as SHA-256."


def test_a_short_answer_whose_rubric_is_an_examples_tokens_is_rejected():
    asked = ExerciseDraft(
        concept="uniform hashing",
        kind="short_answer",
        prompt="In your own words, what is **uniform hashing**?",
        answer=UNIFORM,
        data={"reference": UNIFORM, "rubric": ["user1", "user2"], "subject": ["uniformly"]},
    )
    assert "not_defining: rubric points taken from an example ['user1', 'user2']" in (
        teacher_problems(asked)
    )
    asked.data["rubric"] = ["spreads keys uniformly", "different buckets"]
    assert not [p for p in teacher_problems(asked) if "example" in p]
