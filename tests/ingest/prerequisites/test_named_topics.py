"""A common word a source is named after is that source's topic: what a definition there
builds from it builds on it; the same text under another name gives no edge."""

from __future__ import annotations

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.prerequisites import link_prerequisites

PARAGRAPHS = [
    "The agent wrote most of the code this year, and the agent ran the tests too.",
    "People now talk to an agent all day instead of typing.",
    "Here are the main points of the talk:",
    "1. Vibe coding: humans no longer write code but express their ideas to an agent.",
]


def _doc(name: str) -> Document:
    text, sections = "", []
    for p in PARAGRAPHS:
        sections.append(Section("prose", len(text), len(text) + len(p), p, ()))
        text += p + "\n"
    return Document(name, "text", "Talk", text, sections)


def _concepts(doc: Document) -> list[ConceptDraft]:
    sentence = PARAGRAPHS[3][3:]
    start = doc.text.index(sentence)
    defined = Evidence(
        source=doc.path, start=start, end=start + len(sentence), quote=sentence, role="definition"
    )
    at = doc.text.index("agent")
    mention = Evidence(source=doc.path, start=at, end=at + 5, quote="agent", role="mention")
    return [
        ConceptDraft(name="agent", aliases=["agents"], evidence=[mention]),
        ConceptDraft(name="vibe coding", definition=sentence, evidence=[defined]),
    ]


def _edges(name: str) -> list[tuple[str, str, str]]:
    doc = _doc(name)
    return [
        (e.prerequisite, e.concept, e.reason)
        for e in link_prerequisites(_concepts(doc), [doc])
        if e.kind == "prerequisite" and e.status == "active"
    ]


def test_a_common_word_the_source_is_named_after_is_built_on():
    assert _edges("talks/podcast-agents.txt") == [
        (
            "agent",
            "vibe coding",
            'the definition of "vibe coding" builds on "agent", which its source is named after',
        )
    ]


def test_the_same_common_word_in_a_source_named_otherwise_is_no_prerequisite():
    assert _edges("talks/podcast.txt") == []
