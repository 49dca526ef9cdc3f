"""Essays teach without "X is a Y" sentences: a list of labelled points (``kinds/point_choice.py``)
and a term named in one sentence and explained by the next ("AI researchers have a term for it:
jagged frontier. It means ...")."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import generate_checked
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds import point_choice
from teachback.ingest.exercises.quality.definitions import defines
from teachback.ingest.readers import load_sources

PODCAST = """Karpathy on agents

Here are the core contents of this podcast:

1. AI Programming: Since last December, the paradigm of AI programming has completely changed.
2. Generalization Problem: Intelligence has not fully overflowed. Better coding does not help jokes.
3. Career Choice: Working in a frontier laboratory is not free. There are too many constraints.
4. Robotics: Manipulating atoms is much more difficult than manipulating bits, but the market of the physical world may be larger than that of the pure digital world by far.
5. AI and Education: The era of humans teaching each other knowledge is coming to an end.

The second fracture is the one that makes this whole gap unfixable. AI researchers have a term for it: jagged frontier. It means AI capabilities aren't advancing as a smooth line moving upward.
"""  # noqa: E501


def _concepts():
    names = [
        "AI programming", "generalization problem", "career choice", "robotics",
        "AI and education", "jagged frontier",
    ]  # fmt: skip
    return [ConceptDraft(name=n, definition="", kind="term") for n in names]


def _docs(tmp_path):
    path = tmp_path / "podcast.txt"
    path.write_text(PODCAST, encoding="utf-8")
    return load_sources([str(path)]).documents


def test_a_labelled_point_is_asked_among_the_other_points_of_its_list(tmp_path):
    docs, concepts = _docs(tmp_path), _concepts()
    kept, _ = generate_checked(concepts[2], concepts, docs)
    (asked,) = [ex for ex in kept if ex.data.get("generator") == "point_choice"]
    assert asked.prompt == "Which point does the source make about **career choice**?"
    assert asked.answer == "Working in a frontier laboratory is not free."
    # the other points' claims, the long one cut to its main clause; not the claim that
    # names its own topic ("the paradigm of AI programming has completely changed")
    assert sorted(asked.choices) == [
        "Intelligence has not fully overflowed.",
        "Manipulating atoms is much more difficult than manipulating bits.",
        "The era of humans teaching each other knowledge is coming to an end.",
        "Working in a frontier laboratory is not free.",
    ]
    assert point_choice.solve(asked, Corpus.of(docs)).answer == asked.answer


def test_a_point_whose_claim_names_its_topic_is_not_asked(tmp_path):
    docs, concepts = _docs(tmp_path), _concepts()
    kept, rejected = generate_checked(concepts[0], concepts, docs)
    assert [ex for ex in kept + rejected if ex.data.get("generator") == "point_choice"] == []


def test_a_term_named_for_what_the_next_sentence_means_is_defined(tmp_path):
    passage = (
        "AI researchers have a term for it: jagged frontier. It means AI capabilities aren't "
        "advancing as a smooth line moving upward."
    )
    assert defines(passage, ["jagged frontier"]) is True
    assert defines("The clip went viral: jagged frontier.", ["jagged frontier"]) is False
    docs, concepts = _docs(tmp_path), _concepts()
    kept, _ = generate_checked(concepts[-1], concepts, docs)
    assert [(ex.kind, ex.answer) for ex in kept] == [("short_answer", passage)]
