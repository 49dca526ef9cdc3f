"""Markdown shown in a table cell or chart label comes out as the words a reader sees."""

from teachback.core.text import plain_text
from teachback.tutor.classroom.units import unit_titles


def test_markup_is_dropped_and_blanks_kept():
    assert plain_text("Which term is **hash function**? See `h(k)`.") == (
        "Which term is hash function? See h(k).")  # fmt: skip
    assert plain_text("Fill in the blank: the average \\_\\_\\_\\_\\_.") == (
        "Fill in the blank: the average _____.")  # fmt: skip
    assert plain_text("Terms: **a**, **b**\n\nDescriptions:\n1. first\n2. second") == (
        "Terms: a, b Descriptions: first second")  # fmt: skip
    assert plain_text("<b>bold</b> <script>x()</script>text") == "bold x()text"


def test_long_text_is_cut_at_a_word():
    cut = plain_text("In your own words, what is **mutable key**?", 20)
    assert cut == "In your own words\u2026"
    assert plain_text("short", 20) == "short"


def test_units_without_a_title_get_a_numbered_one():
    assert unit_titles([{"id": 7, "title": "Basics"}, {"id": 9, "title": "  "}]) == {
        7: "Basics", 9: "Unit 2", None: "Other concepts"}  # fmt: skip
