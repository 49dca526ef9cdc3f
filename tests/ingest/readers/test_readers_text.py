"""Plain-text reader: paragraphs, heading heuristics, exact spans into the decoded file."""

from teachback.ingest.readers import read_bytes

NOTES = """Binary search
=============

Binary search finds an item in a sorted list by halving the range each step.
It needs O(log n) comparisons.

Preconditions
-------------

The list must be sorted.

1.2 Worked example

Look for 7 in [1, 3, 5, 7, 9]: compare with 5, then with 7. Done.
"""


def test_text_paragraphs_and_headings():
    doc = read_bytes("notes.txt", NOTES.encode())
    assert doc.format == "text" and doc.text == NOTES
    assert doc.section_text_matches()
    assert doc.title == "Binary search"
    assert [(s.kind, s.text.split("\n")[0], s.heading_path) for s in doc.sections] == [
        ("heading", "Binary search", ("Binary search",)),
        (
            "prose",
            "Binary search finds an item in a sorted list by halving the range each step.",
            ("Binary search",),
        ),
        ("heading", "Preconditions", ("Binary search", "Preconditions")),
        ("prose", "The list must be sorted.", ("Binary search", "Preconditions")),
        ("heading", "1.2 Worked example", ("Binary search", "Preconditions", "1.2 Worked example")),
        (
            "prose",
            "Look for 7 in [1, 3, 5, 7, 9]: compare with 5, then with 7. Done.",
            ("Binary search", "Preconditions", "1.2 Worked example"),
        ),
    ]


def test_text_without_headings_is_all_prose():
    raw = "First paragraph, a sentence.\nStill first.\n\n\nSecond one.\n"
    doc = read_bytes("plain.txt", raw.encode())
    assert [(s.kind, s.text) for s in doc.sections] == [
        ("prose", "First paragraph, a sentence.\nStill first."),
        ("prose", "Second one."),
    ]
    assert doc.title == "plain"


def test_unknown_extension_that_is_text_reads_as_text():
    doc = read_bytes("CHANGES", b"Fixed the resize bug.\n")
    assert doc.format == "text" and doc.sections[0].text == "Fixed the resize bug."


ONE_PER_LINE = "\n".join(
    [
        "Tries: Prefix Trees for Fast Word Lookup in Dictionaries and Autocomplete",
        "A trie is a tree in which every path from the root spells out the start of some "
        "stored word, and each node holds one letter of it.",
        "Autocomplete works by walking down the trie along the letters typed so far and t"
        "hen listing every word below that node.",
        "Why Not Just Use a Hash Table?",
        "A hash table finds whole words quickly, but it cannot list every word that start"
        "s with a given prefix without scanning all keys.",
        "Here is the catch:",
        "Tries use a lot of memory when each node keeps a full array of child pointers, o"
        "ne slot for every letter of the alphabet.",
        "Compressed Tries",
        "A radix tree merges chains of single-child nodes into one edge labelled with a w"
        "hole substring, which saves most of that memory.",
        "",
    ]
)


def test_text_written_one_paragraph_per_line():
    doc = read_bytes("tries.txt", ONE_PER_LINE.encode())
    assert doc.text == ONE_PER_LINE and doc.section_text_matches()
    assert doc.title == "Tries: Prefix Trees for Fast Word Lookup in Dictionaries and Autocomplete"
    assert [(s.kind, s.text[:30]) for s in doc.sections] == [
        ("heading", "Tries: Prefix Trees for Fast W"),
        ("prose", "A trie is a tree in which ever"),
        ("prose", "Autocomplete works by walking "),
        ("heading", "Why Not Just Use a Hash Table?"),
        ("prose", "A hash table finds whole words"),
        ("prose", "Here is the catch:"),
        ("prose", "Tries use a lot of memory when"),
        ("heading", "Compressed Tries"),
        ("prose", "A radix tree merges chains of "),
    ]
    assert doc.sections[-1].heading_path == ("Compressed Tries",)
