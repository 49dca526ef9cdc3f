"""Prerequisite edges follow how the material builds: code structure, defining sentences,
reading order; generic words do not become prerequisites of everything."""

from __future__ import annotations

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.prerequisites import link_prerequisites
from teachback.ingest.readers import read_bytes

CODE = '''"""Shapes."""


class Shape:
    """A shape."""

    def area(self):
        return 0


class Square(Shape):
    """A square."""

    def __init__(self, side):
        self.side = side
        self.helper = Corner()

    def area(self):
        return self.side * self.side


class Corner:
    """A corner of a square."""


def draw(model):
    model(1)
    return Square(2).area()
'''


def _code_concept(name: str, qual: str) -> ConceptDraft:
    return ConceptDraft(name=name, aliases=[qual], kind="code")


def test_code_edges_follow_hierarchy_nesting_and_composition(tmp_path):
    doc = read_bytes(str(tmp_path / "shapes.py"), CODE.encode(), {"module": "shapes"})
    concepts = [
        ConceptDraft(name="shapes", kind="code"),
        _code_concept("Shape", "shapes.Shape"),
        _code_concept("Square", "shapes.Square"),
        _code_concept("Square.area", "shapes.Square.area"),
        _code_concept("Corner", "shapes.Corner"),
        _code_concept("draw", "shapes.draw"),
        ConceptDraft(name="model", kind="code"),  # a module the word "model" could name
    ]
    edges = {
        (e.prerequisite, e.concept): e.reason
        for e in link_prerequisites(concepts, [doc])
        if e.kind == "prerequisite" and e.status == "active"
    }
    assert edges[("Shape", "Square")] == "Square is a subclass of Shape"
    assert edges[("Square", "Square.area")] == "Square.area is defined inside Square"
    assert edges[("Corner", "Square")] == "Square uses Corner"
    assert edges[("Square", "draw")] == "draw uses Square"
    assert edges[("shapes", "Shape")] == "Shape is defined inside shapes"
    assert ("Square.area", "Square") not in edges  # never the helper before its owner
    assert ("model", "draw") not in edges  # "model(1)" calls a variable, not the module


def _doc(paragraphs: list[str]) -> Document:
    text, sections = "", []
    for p in paragraphs:
        sections.append(Section("prose", len(text), len(text) + len(p), p, ("Notes",)))
        text += p + "\n\n"
    return Document("notes.md", "markdown", "Notes", text, sections)


def _terms(*names: str) -> list[ConceptDraft]:
    return [ConceptDraft(name=n, first_seen=(0, i)) for i, n in enumerate(names)]


def test_a_generic_word_is_not_a_prerequisite_of_everything():
    topics = [f"topic{k}" for k in range(12)]
    doc = _doc(
        ["Data is what we store."]
        + [f"A {t} is a kind of record that holds data about one thing." for t in topics]
    )
    edges = [
        e
        for e in link_prerequisites(_terms("data", *topics), [doc])
        if e.kind == "prerequisite" and e.prerequisite == "data"
    ]
    assert len(edges) <= 3
    assert all(e.reason for e in edges)


def test_mere_co_occurrence_later_in_the_text_is_not_a_prerequisite():
    doc = _doc(
        [
            "A hash table stores keys in buckets.",
            "A bucket is a slot of the table.",
            "Resizing happens when the table is full; resizing copies every bucket.",
        ]
    )
    concepts = _terms("hash table", "bucket", "resizing")
    edges = {
        (e.prerequisite, e.concept)
        for e in link_prerequisites(concepts, [doc])
        if e.kind == "prerequisite" and e.status == "active"
    }
    assert ("resizing", "bucket") not in edges and ("resizing", "hash table") not in edges
