"""Edges from defining sentences: a concept defined by listing its parts builds on them, and
an example of a thing is not its prerequisite."""

from __future__ import annotations

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.prerequisites import link_prerequisites, order_units

PARAGRAPHS = [
    "You use hash tables every day: a hash table finds a value in one step.",
    "An associative array is a collection of key-value pairs that supports lookup.",
    "A bucket is one slot of the table's array.",
    "A hash function is a function that takes a key and returns a whole number.",
    "Collision resolution is how a table stores two keys that share a bucket.",
    "A hash table is an associative array built on buckets, a hash function and a collision "
    "resolution strategy.",
]


def _doc() -> Document:
    text, sections = "", []
    for p in PARAGRAPHS:
        sections.append(Section("prose", len(text), len(text) + len(p), p, ("Notes",)))
        text += p + "\n\n"
    return Document("notes.md", "markdown", "Notes", text, sections)


def _defined(doc: Document, name: str, sentence: str, first: int) -> ConceptDraft:
    start = doc.text.index(sentence)
    evidence = Evidence(
        source=doc.path, start=start, end=start + len(sentence), quote=sentence, role="definition"
    )
    return ConceptDraft(name=name, definition=sentence, evidence=[evidence], first_seen=(0, first))


def _hash_concepts(doc: Document) -> list[ConceptDraft]:
    return [
        _defined(doc, name, PARAGRAPHS[k], doc.text.lower().index(name))
        for name, k in [
            ("hash table", 5),
            ("associative array", 1),
            ("bucket", 2),
            ("hash function", 3),
            ("collision resolution", 4),
        ]
    ]


def test_a_concept_defined_by_its_parts_builds_on_them_and_comes_after_them():
    doc = _doc()
    concepts = _hash_concepts(doc)
    edges = {
        (e.prerequisite, e.concept): e.reason
        for e in link_prerequisites(concepts, [doc])
        if e.status == "active"
    }
    into_table = sorted(a for a, b in edges if b == "hash table")
    assert into_table == ["associative array", "bucket", "collision resolution", "hash function"]
    assert edges[("bucket", "hash table")] == (
        'the definition of "hash table" builds on "bucket", which is taught before it'
    )
    assert not [b for a, b in edges if a == "hash table"]
    order = [
        n
        for u in order_units(concepts, list(link_prerequisites(concepts, [doc])), [doc])
        for n in u.concepts
    ]
    assert order[-1] == "hash table"


def test_what_a_definition_names_before_the_term_is_not_what_it_builds_on():
    text = "The behavior of merge is a subset of what is known as relational algebra.\n"
    doc = Document(
        "notes.md",
        "markdown",
        "Notes",
        text,
        [Section("prose", 0, len(text) - 1, text[:-1], ("Notes",))],
    )
    merge = ConceptDraft(name="merge", first_seen=(0, 16))
    algebra = _defined(doc, "relational algebra", text[:-1], 54)
    edges = link_prerequisites([merge, algebra], [doc])
    assert ("merge", "relational algebra") not in {(e.prerequisite, e.concept) for e in edges}


def test_an_example_of_a_thing_is_not_its_prerequisite():
    paragraphs = [
        "A NaN marks a missing float.",
        "NaN is common in data.",
        "Sums skip NaN.",
        "In the sentinel approach, a sentinel value marks a missing entry, such as a NaN for "
        "floats.",
        "A sentinel value is checked with NaN rules.",
        "A sentinel value may also be a NaN.",
    ]
    text, sections = "", []
    for p in paragraphs:
        sections.append(Section("prose", len(text), len(text) + len(p), p, ("Notes",)))
        text += p + "\n\n"
    doc = Document("notes.md", "markdown", "Notes", text, sections)
    concepts = [ConceptDraft(name="nan"), ConceptDraft(name="sentinel value")]
    edges = {(e.prerequisite, e.concept) for e in link_prerequisites(concepts, [doc])}
    assert ("nan", "sentinel value") not in edges


def _prose(paragraphs: list[str]) -> Document:
    text, sections = "", []
    for p in paragraphs:
        sections.append(Section("prose", len(text), len(text) + len(p), p, ("Notes",)))
        text += p + "\n\n"
    return Document("notes.md", "markdown", "Notes", text, sections)


def test_a_chapter_overview_naming_two_topics_is_not_a_prerequisite_edge():
    doc = _prose(
        [
            "Slicing selects rows. Slicing keeps the order. Slicing is fast.",
            "In this chapter, we'll explore slicing and the creation of a MultiIndex.",
            "In this chapter, we will look at slicing with a MultiIndex.",
            "A MultiIndex holds several levels of labels.",
        ]
    )
    concepts = [ConceptDraft(name="slicing"), ConceptDraft(name="MultiIndex")]
    edges = {(e.prerequisite, e.concept) for e in link_prerequisites(concepts, [doc])}
    assert ("slicing", "MultiIndex") not in edges


def test_each_item_of_a_list_is_its_own_statement():
    doc = _prose(
        [
            "A bitmask marks missing values. A bitmask is an array of booleans. Bitmasks are "
            "cheap. A bitmask is built per column. A bitmask can be inverted. A bitmask can be "
            "combined with another bitmask. Every frame has a bitmask. A bitmask is small. A "
            "bitmask is fast. A bitmask is exact. A bitmask is useful.",
            "Pandas has methods for null values:\n\n"
            "- isnull: Generates a Boolean bitmask indicating missing values\n"
            "- dropna: Returns a filtered version of the data\n"
            "- fillna: Returns a copy with missing values filled",
            "In short:\n\n- a bitmask shows where values are missing\n"
            "- dropna drops the rows with missing values",
            "Then dropna removes rows.",
            "Call dropna on a frame.",
        ]
    )
    concepts = [ConceptDraft(name="bitmask"), ConceptDraft(name="dropna")]
    edges = {(e.prerequisite, e.concept) for e in link_prerequisites(concepts, [doc])}
    assert ("bitmask", "dropna") not in edges  # each item says something else


def test_a_term_set_beside_another_is_not_its_prerequisite():
    doc = _prose(
        [
            "A bitmask marks missing values. A bitmask is an array of booleans. Bitmasks are "
            "cheap. A bitmask is built per column. A bitmask can be inverted. Every frame has a "
            "bitmask. A bitmask is small.",
            "In addition to these bitmask methods, there is the convenience method dropna.",
            "Besides the bitmask helpers, dropna is handy.",
            "Along with bitmask tools, dropna ships with pandas.",
            "The dropna method removes rows.",
        ]
    )
    concepts = [ConceptDraft(name="bitmask"), ConceptDraft(name="dropna")]
    edges = {(e.prerequisite, e.concept) for e in link_prerequisites(concepts, [doc])}
    assert ("bitmask", "dropna") not in edges  # siblings, not one built on the other
