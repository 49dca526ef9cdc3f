"""Book-level genus terms, split words and the per-section ceiling (docs/concepts.md)."""

from teachback.core.document import Document, Section
from teachback.ingest.concepts import extract_concepts
from teachback.ingest.concepts.lexicon import split_word


def book(sections: list[tuple[str, str]]) -> Document:
    parts, secs, pos = [], [], 0
    for title, body in sections:
        secs.append(Section("heading", pos, pos + len(title), title, (title,)))
        parts.append(title + "\n\n")
        pos += len(title) + 2
        secs.append(Section("prose", pos, pos + len(body), body, (title,)))
        parts.append(body + "\n\n")
        pos += len(body) + 2
    return Document(path="b.md", format="markdown", title="b", text="".join(parts), sections=secs)


def test_a_word_that_is_the_genus_of_several_defined_terms_is_a_concept():
    """ "distance" is never selected by a section, but the book defines three terms as a
    distance: it comes in at the first section that mentions it."""
    filler = (
        "Students measure shapes with rulers and write the numbers in tables. They compare "
        "their answers with a partner and check the units of every measurement they made. "
    )
    sections = [
        ("Perimeter", "Perimeter is the distance around a polygon. " + filler * 2),
        ("Radius", "A radius is the distance from the center of a circle to its rim. " + filler),
        ("Apothem", "An apothem is the distance from the center of a hexagon to a side. " + filler),
        ("Review", "Walk the distance again and add the distance of each trip. " + filler),
    ]
    names = {c.name for c in extract_concepts([book(sections)])}
    assert {"perimeter", "radius", "apothem", "distance"} <= names
    # The same text without the three definitions names no such genus.
    plain = [(t, "The distance is long. " + filler * 2) for t in ("A", "B", "C", "D")]
    assert "distance" not in {c.name for c in extract_concepts([book(plain)])}


def test_words_split_by_text_extraction_are_not_concepts():
    assert split_word("circum", "erence") and split_word("transfor", "mation")
    assert not split_word("note", "book") and not split_word("hash", "table")
    body = (
        "The circum erence of a circle is its perimeter. To find the circum erence multiply "
        "the diameter by pi. Atransformation is an operation that moves a figure. The "
        "formula gives ad bc when the ratio holds, see http:www.eveandersson.compidigits for "
        "digits of pi. A circle is a round figure with a center and a radius."
    )
    names = {c.name.lower() for c in extract_concepts([book([("Circles", body)])])}
    assert not names & {"circum", "erence", "circum erence", "atransformation", "ad bc"}
    assert not any("eveandersson" in n for n in names)
    assert "circle" in names


def test_no_section_lists_more_than_ten_concepts():
    """A chapter introduction names many terms in passing; each is listed there only while
    the introduction lists fewer than 10, otherwise where a later section introduces it."""
    terms = [
        "rhombus", "trapezoid", "kite", "pentagon", "hexagon", "heptagon", "octagon",
        "nonagon", "decagon", "parallelogram", "quadrilateral", "polygon",
    ]  # fmt: skip
    intro = "In this chapter we meet " + ", ".join(terms[:-1]) + " and " + terms[-1] + "."
    sections = [("Shapes", intro)]
    for t in terms:
        sections.append(
            (
                t.title(),
                f"A {t} is a flat figure with straight sides. Every {t} has angles and "
                f"vertices. We draw a {t} on grid paper and measure each side of the {t}.",
            )
        )
    doc = book(sections)
    concepts = extract_concepts([doc])
    heads = [s.start for s in doc.sections if s.kind == "heading"]
    counts = [0] * len(heads)
    for c in concepts:
        counts[max(i for i, h in enumerate(heads) if h <= c.first_seen[1])] += 1
    assert max(counts) <= 10
    assert set(terms) <= {c.name for c in concepts}
