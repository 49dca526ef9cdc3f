"""Short-answer and cloze references are the defining sentence alone (``context/own_sentence``),
say what the term is (``quality/definitions``), and carry whole phrases as rubric points, never
pieces of a code name (``quality/fragments``); the subject a whole source is about is never
blanked (``context/subject``); a matching's terms are of one sort (``kinds/matching``)."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import generate_checked, make_exercises
from teachback.ingest.exercises.context.own_sentence import glued_parts, own_sentence
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.corpus.sentences import Sentence
from teachback.ingest.exercises.kinds.short_answer import key_points
from teachback.ingest.exercises.quality.definitions import defines
from teachback.ingest.exercises.quality.fragments import identifier_fragments
from teachback.ingest.exercises.text import term_regex
from teachback.ingest.readers import load_sources

# A manual whose sentences open with lower-case parameter names: the splitter glues them.
WIDGET = """# Widget manual

## Making a widget

The call makes a new widget from its parameters. Sizes for more information. width is the
number of pixels that the widget spans across the window. See Layout. height is a count of the
text rows that the widget occupies on the screen. A widget can also be emulated using
PANEL_KIND_GRID.
"""


def _sentence(text: str) -> Sentence:
    return Sentence(0, 0, 40, 40 + len(text), text, text, "prose", ("x",), [], folded=text)


def test_a_mention_is_cut_to_its_own_sentence_with_its_exact_span():
    text = "Sizes for more information. width is the number of pixels. height is a count of rows."
    s = _sentence(text)
    cut, m = own_sentence(s, term_regex(["height"]).search(text))
    assert (cut.text, cut.start, cut.end) == ("height is a count of rows.", 99, 125)
    assert cut.text[m.start() : m.end()] == "height"
    assert [p.text for p in glued_parts(s)] == [
        "Sizes for more information.",
        "width is the number of pixels.",
        "height is a count of rows.",
    ]
    # an abbreviation or a one-letter word before the stop is no sentence end
    plain = _sentence("Use a size, e.g. width for the span, etc. and so on.")
    assert own_sentence(plain, term_regex(["width"]).search(plain.text))[0] is plain


def _widget_docs(tmp_path):
    path = tmp_path / "widget.md"
    path.write_text(WIDGET, encoding="utf-8")
    return load_sources([str(path)]).documents


def test_a_reference_starts_at_the_sentence_that_names_the_term(tmp_path):
    docs = _widget_docs(tmp_path)
    width = ConceptDraft(name="width", kind="term")
    height = ConceptDraft(name="height", kind="term")
    kept, _ = generate_checked(width, [width, height], docs)
    shorts = [ex for ex in kept if ex.kind == "short_answer"]
    assert [ex.answer for ex in shorts] == [
        "width is the number of pixels that the widget spans across the window."
    ]
    assert " ".join(shorts[0].citations[0].quote.split()).startswith("width is the number")
    clozes = [ex.prompt for ex in kept if ex.kind == "cloze"]
    assert clozes == [
        "Fill in the blank: _____ is the number of pixels that the widget spans across the window."
    ]


def test_a_sentence_that_does_not_say_what_the_term_is_is_no_reference(tmp_path):
    assert not defines("A union can also be emulated using STRUCT_KIND.", ["union"])
    assert not defines("A series can be created from a list of values.", ["series"])
    assert defines("A tensor can be thought of as a grid of numbers.", ["tensor"])
    assert defines("A dictionary maps each key to a value.", ["dictionary"])
    docs = _widget_docs(tmp_path)
    widget = ConceptDraft(name="widget", kind="term")
    made = [ex for ex in make_exercises(widget, [widget], docs) if ex.kind == "short_answer"]
    assert [ex.answer for ex in made if "emulated" in str(ex.answer)] == []


def test_rubric_points_are_whole_code_names_never_their_pieces(tmp_path):
    notes = tmp_path / "notes.md"
    reference = "A layout is a PANEL_KIND_GRID value and a cell_size count of columns."
    notes.write_text(f"# Layout\n\n{reference}\n", encoding="utf-8")
    corpus = Corpus.of(load_sources([str(notes)]).documents)
    points = key_points(reference, ["layout"], corpus)
    assert "KIND" not in points and "GRID" not in points and "size count" not in points
    assert identifier_fragments(points, reference) == []
    assert identifier_fragments(["KIND", "GRID", "layout"], reference) == ["KIND", "GRID"]


def test_the_subject_of_the_whole_source_is_never_blanked(tmp_path):
    pages = {
        "intro.md": "# Introduction (gluelib: the portable call library)\n\n"
        "gluelib does not have direct support for arrays or unions.\n",
        "types.md": "# Types (gluelib: the portable call library)\n\n"
        "A descriptor is a structure that tells gluelib the size of a value.\n",
        "calls.md": "# Calls (gluelib: the portable call library)\n\n"
        "gluelib is perfectly happy passing structures back and forth.\n",
    }
    for name, text in pages.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    docs = load_sources([str(tmp_path / n) for n in pages]).documents
    lib = ConceptDraft(name="gluelib", kind="term")
    descriptor = ConceptDraft(name="descriptor", kind="term")
    made = make_exercises(lib, [lib, descriptor], docs)
    assert [ex.prompt for ex in made if ex.kind == "cloze"] == []
    # a term the pages teach is still blanked
    made = make_exercises(descriptor, [lib, descriptor], docs)
    assert [ex.answer for ex in made if ex.kind == "cloze"] == ["descriptor"]


JOINS = """# Joins

## Kinds of join

An inner join is an operation that drops each row whose key is missing from either side.
An outer join is an operation that fills the gaps with NaN when a key has no partner.
A cross join is an operation that pairs every row of one table with every row of the other.
Tablekit is a library that provides fast data frames built on top of arrays.
`dropgaps` is a method that removes the rows with missing values from a table.
"""


def test_a_matching_pairs_terms_of_one_sort(tmp_path):
    path = tmp_path / "joins.md"
    path.write_text(JOINS, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    names = ["inner join", "outer join", "cross join", "Tablekit", "dropgaps"]
    concepts = [ConceptDraft(name=n, kind="term") for n in names]
    matchings = [
        ex for c in concepts for ex in make_exercises(c, concepts, docs) if ex.kind == "matching"
    ]
    assert matchings, "the three joins make a matching"
    for ex in matchings:
        assert sorted(ex.data["terms"]) == ["cross join", "inner join", "outer join"]
