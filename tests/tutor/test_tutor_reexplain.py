"""The tutor's second explanation after a miss (``lesson_for(angle="evidence")``): another
passage about the concept, not one the lesson already shows, the ones that teach it first."""

from teachback.tutor.published import Curriculum
from teachback.tutor.session_lesson import lesson_for

TEXT = {
    "lesson": "A key-value pair is made of a key, which names the item, and a value.",
    "aside": "A good hash function spreads keys uniformly over the buckets.",
    "about": "If keys were small whole numbers we could use them directly as slot numbers.",
    "code": '"""Hash functions: turning a key into a number."""',
    "glossary": "- **Key**: the name an item is stored and found under.",
}


def _evidence(name: str, start: int, role: str = "mention") -> dict:
    quote = TEXT[name]
    return {"quote": quote, "start": start, "end": start + len(quote), "source_id": "s1",
            "passage": quote, "path": "notes.md", "role": role}  # fmt: skip


def _curriculum(evidence: list[dict]) -> Curriculum:
    cited = {"source": "s1", "start": 0, "end": 60, "quote": TEXT["lesson"][:60]}
    return Curriculum(
        id="c",
        concepts=[{"id": "c/key", "name": "key", "definition": "", "unit_id": 1}],
        prerequisites={"c/key": []},
        units={1: {"id": 1, "title": "Keys", "position": 1}},
        lessons={"c/key": {"text": TEXT["lesson"], "citations": [cited]}},
        evidence={"c/key": evidence},
    )


def test_another_angle_is_a_passage_about_the_concept_not_one_the_lesson_shows():
    cur = _curriculum(
        [
            _evidence("aside", 100),  # uses the word in passing: about hash functions
            _evidence("lesson", 10),  # overlaps the lesson's own citation: already shown
            _evidence("code", 300),  # a module docstring: code after prose
            _evidence("about", 200),
        ]
    )
    shown = [lesson_for(cur, "c/key", angle="evidence", attempt=a)["text"] for a in range(4)]
    assert shown == [TEXT["about"], TEXT["aside"], TEXT["code"], TEXT["about"]]


def test_a_defining_passage_comes_first():
    cur = _curriculum([_evidence("about", 200), _evidence("glossary", 400, "definition")])
    other = lesson_for(cur, "c/key", angle="evidence")
    assert other["text"] == TEXT["glossary"] and other["angle"] == "evidence"
    assert other["citations"] == [
        {"source": "s1", "start": 400, "end": 400 + len(TEXT["glossary"]),
         "quote": TEXT["glossary"], "path": "notes.md"}
    ]  # fmt: skip


def test_a_passage_that_only_names_a_document_is_not_another_way_in():
    """A notebook's preface naming the article it follows ("the ideas from *How a Key Works*")
    says nothing about a key: the next passage about it comes instead, or none at all."""
    preface = "This notebook tries out the ideas from *How a Key Works* on a small package."
    cur = _curriculum(
        [
            {
                "quote": preface,
                "start": 0,
                "end": len(preface),
                "source_id": "nb",
                "passage": preface,
                "path": "notes.ipynb",
                "role": "mention",
            },
            _evidence("about", 200),
        ]
    )
    cur.source_titles = {"s1": "How a Key Works", "nb": "Keys in practice"}
    shown = [lesson_for(cur, "c/key", angle="evidence", attempt=a)["text"] for a in range(2)]
    assert shown == [TEXT["about"], TEXT["about"]]
    cur.evidence["c/key"] = cur.evidence["c/key"][:1]  # the preface alone: nothing else to show
    again = lesson_for(cur, "c/key", angle="evidence")
    assert (again["angle"], again["text"]) == ("lesson", TEXT["lesson"])
