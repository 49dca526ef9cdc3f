"""Enumerations as sibling concepts, defined adjectives, and the per-section ceiling."""

from __future__ import annotations

from teachback.core.document import Document, Section
from teachback.ingest.concepts import definitional_terms, enumerations, extract_concepts
from teachback.ingest.concepts.settings import MAX_PER_GROUP


def _doc(blocks: list[tuple[str, str]]) -> Document:
    text, sections = "", []
    for heading, para in blocks:
        h = f"# {heading}"
        sections.append(Section("heading", len(text), len(text) + len(h), h, (heading,)))
        text += h + "\n\n"
        sections.append(Section("prose", len(text), len(text) + len(para), para, (heading,)))
        text += para + "\n\n"
    return Document(path="book.md", format="markdown", title="book", text=text, sections=sections)


def _items(s: str) -> list[list[str]]:
    return [[i[0] for i in e] for e in enumerations(s, 0, len(s))]


def test_comma_lists_and_their_edges():
    assert _items("Shapes such as squares, kites and rhombi are common.") == [
        ["squares", "kites", "rhombi"]
    ]
    assert _items("We studied large language models, tokenizers, and embeddings.") == [
        ["large language models", "tokenizers", "embeddings"]
    ]
    # Two items, or no comma at all, is not a list.
    assert _items("Squares and kites are shapes.") == []
    assert _items("A, B, C and D are points.") == []  # labels, not terms


def test_capitalised_runs_are_lists_only_when_long_and_rare():
    table = "Polygon Name Triangle Quadrilateral Pentagon Hexagon Heptagon Octagon or Number"
    assert _items(table)[0][:3] == ["Polygon", "Name", "Triangle"]
    # A theorem's name and a heading-like run of common words are not lists.
    assert _items("The Alternate Interior Angles Theorem Converse says so.") == []
    assert _items("Investigation Tools Needed Paper Pencil Ruler Scissors here.") == []


def test_siblings_need_an_anchor_and_look_like_terms():
    para = (
        "A polygon is a closed figure made of segments. Every polygon has sides and vertices. "
        "Polygons such as pentagons, hexagons, and octagons have five, six and eight sides. "
        "A polygon with many sides looks round. We bought apples, pears, and plums at lunch."
    )
    names = {c.name for c in extract_concepts([_doc([("Polygons", para)])])}
    assert {"pentagon", "hexagon", "octagon"} <= names
    assert not names & {"pear", "plum"}  # no member of that list is a concept


def test_sibling_evidence_quotes_the_list_sentence():
    para = (
        "A polygon is a closed figure made of segments. Polygons such as pentagons, hexagons, "
        "and octagons are named by their sides."
    )
    doc = _doc([("Polygons", para)])
    hexagon = next(c for c in extract_concepts([doc]) if c.name == "hexagon")
    ev = hexagon.evidence[0]
    assert "hexagons" in ev.quote and doc.text[ev.start : ev.end] == ev.quote


def test_lists_never_push_a_section_past_the_ceiling():
    # Introduced by its category ("polygons such as ..."): every member is a kind of polygon.
    members = ", ".join(f"zorbium{chr(97 + i)}" for i in range(14))
    para = (
        "A polygon is a closed figure. Quadrilaterals are polygons. Triangles are polygons. "
        f"Polygons such as polygon, {members} and quadrilaterals are common. " * 3
    )
    concepts = extract_concepts([_doc([("Polygons", para)])])
    assert 3 <= len(concepts) <= MAX_PER_GROUP


def test_defined_adjectives():
    assert definitional_terms("Points that lie on the same line are collinear.") == [
        ("collinear", 0.8)
    ]
    assert definitional_terms("Two lines are perpendicular if they meet at a right angle.") == [
        ("perpendicular", 0.8)
    ]
    # Common adjectives are not vocabulary.
    assert definitional_terms("People who code are happy.") == []
    assert definitional_terms("Two triangles are similar if their angles match.") == []


def test_verb_phrases_are_not_concepts():
    from teachback.ingest.concepts import verb_only

    assert verb_only("assign") and verb_only("unpacks")
    assert not verb_only("inscribed") and not verb_only("tasks") and not verb_only("hexagon")
    para = (
        "He has ten repositories, so he switches back and forth to assign tasks to agents. "
        "Agents assign tasks quickly. An agent is a program that acts on its own. "
        "Agents and more agents run every night."
    )
    names = {c.name for c in extract_concepts([_doc([("Agents at work", para)])])}
    assert "agent" in names
    assert not any(n.startswith("assign") for n in names)


def test_known_concepts_do_not_crowd_out_new_ones():
    known = "polygon triangle quadrilateral pentagon vertex diagonal hexagon octagon".split()
    known += "parallelogram trapezoid kite rectangle".split()
    first = " ".join(f"A {k} is a {k} shape used in geometry lessons." for k in known)
    second = " ".join(f"A {k} is a {k} figure; every {k} counts." for k in known)
    second += " A rhombus is a figure with four equal sides."
    doc = _doc([("Shapes", first), ("More shapes", second)])
    names = {c.name for c in extract_concepts([doc])}
    # Re-selected known shapes must not take the place of the second section's new term.
    assert "rhombus" in names


def test_labels_handles_and_captions_are_not_concepts():
    text = (
        "It started with a tweet from @staysaasy about agents.\n"
        "Clawd murmur:\n"
        "An agent is a program that acts for a person. Agents plan and agents act.\n"
        "Clawd murmur:\n"
        "Downstairs: the clown. Upstairs: the superman.\n"
        "Karpathy's observation: a huge number of people tried agents once and stopped.\n"
    )
    doc = Document(
        path="talk.txt",
        format="text",
        title="talk",
        text=text,
        sections=[Section("prose", 0, len(text), text, ())],
    )
    names = {c.name.lower() for c in extract_concepts([doc])}
    assert "agent" in names
    assert not names & {"staysaasy", "clawd murmur", "downstair", "karpathy's observation"}
