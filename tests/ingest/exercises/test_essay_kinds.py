"""Essays teach without "X is a Y" sentences: a list of labelled points (``kinds/point_choice.py``,
its claims asked true or false by ``kinds/point_claim.py``),
a claim set against its foil (``kinds/contrast_claim.py``), and a term named in one sentence and
explained by the next ("AI researchers have a term for it: jagged frontier. It means ...")."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import _view, generate_checked
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds import contrast_claim, point_choice, point_claim
from teachback.ingest.exercises.quality.definitions import defines
from teachback.ingest.readers import load_sources

PODCAST = """Karpathy on agents

He spoke about robotics and about AI and education at length. Here are the core contents:

1. AI Programming: Since last December, the paradigm of AI programming has completely changed.
2. Generalization Problem: Intelligence has not fully overflowed. Better coding does not help the model tell new jokes.
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


def _point_choices(tmp_path, concept: int) -> list:
    docs, concepts = _docs(tmp_path), _concepts()
    kept, rejected = generate_checked(concepts[concept], concepts, docs)
    return [ex for ex in kept + rejected if ex.data.get("generator") == "point_choice"]


def test_a_labelled_point_is_asked_among_the_other_points_of_its_list(tmp_path):
    docs, concepts = _docs(tmp_path), _concepts()
    kept, _ = generate_checked(concepts[3], concepts, docs)
    (asked,) = [ex for ex in kept if ex.data.get("generator") == "point_choice"]
    assert asked.prompt == "Which point does the source make about **robotics**?"
    assert asked.answer == "Manipulating atoms is much more difficult than manipulating bits."
    # the nearest other points' claims, the long one cut to its main clause; not the claim
    # that names its own topic ("the paradigm of AI programming has completely changed")
    assert sorted(asked.choices) == [
        "Intelligence has not fully overflowed.",
        "Manipulating atoms is much more difficult than manipulating bits.",
        "The era of humans teaching each other knowledge is coming to an end.",
        "Working in a frontier laboratory is not free.",
    ]
    assert point_choice.solve(asked, Corpus.of(docs)).answer == asked.answer


def test_a_label_the_source_names_nowhere_else_is_a_heading_not_asked(tmp_path):
    # "Career Choice" stands only over its point: a heading, not a concept a teacher tests
    assert _point_choices(tmp_path, 2) == []


def test_a_label_that_leads_to_the_key_by_a_near_synonym_is_not_asked(tmp_path):
    # "AI and Education" is named in the text too, but its claim alone of the options says
    # "teaching": the label's word picks the key
    assert _point_choices(tmp_path, 4) == []


def test_a_point_whose_claim_names_its_topic_is_not_asked(tmp_path):
    assert _point_choices(tmp_path, 0) == []


def test_a_term_named_for_what_the_next_sentence_means_is_defined(tmp_path):
    passage = (
        "AI researchers have a term for it: jagged frontier. It means AI capabilities aren't "
        "advancing as a smooth line moving upward."
    )
    assert defines(passage, ["jagged frontier"]) is True
    assert defines("The clip went viral: jagged frontier.", ["jagged frontier"]) is False
    docs, concepts = _docs(tmp_path), _concepts()
    kept, _ = generate_checked(concepts[-1], concepts, docs)
    # asked both ways round: what the term means (the naming sentence folded into the
    # statement), and the term for what it means
    assert [(ex.kind, ex.answer) for ex in kept] == [
        (
            "short_answer",
            "Jagged frontier means AI capabilities aren't advancing as a smooth line moving "
            "upward.",
        ),
        ("cloze", "jagged frontier"),
    ]
    assert kept[1].prompt == (
        "Fill in the blank: AI researchers have a term for it: _____. It means AI "
        "capabilities aren't advancing as a smooth line moving upward."
    )


def test_a_claim_set_against_its_foil_is_asked_true_or_false():
    assert contrast_claim.statements(
        "What makes OpenClaw special is not that it has the strongest single function, but "
        "that it is closer to the AI form in people's minds."
    ) == (
        "OpenClaw is special because it is closer to the AI form in people's minds.",
        "OpenClaw is special because it has the strongest single function.",
    )
    assert contrast_claim.statements(
        "Productivity Anxiety: The current anxiety in the industry is no longer about fully "
        "utilizing GPUs, but about using up tokens."
    ) == (
        "The current anxiety in the industry is about using up tokens.",
        "The current anxiety in the industry is about fully utilizing GPUs.",
    )
    # a pronoun for a subject, or halves of two forms, say nothing whole on their own
    assert contrast_claim.statements("These are not methods, but attributes of the data.") is None
    assert (
        contrast_claim.statements("The index need not be an integer, but can be any type.") is None
    )


def test_the_claim_or_its_foil_is_kept_with_the_key_the_source_gives(tmp_path):
    text = PODCAST + (
        "\nWhat makes OpenClaw special is not that it has the strongest single function, but "
        "that it is closer to the AI form in people's minds.\n"
    )
    path = tmp_path / "openclaw.txt"
    path.write_text(text, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    concepts = [*_concepts(), ConceptDraft(name="OpenClaw", definition="", kind="term")]
    made = contrast_claim.generate(_view(concepts[-1], concepts, Corpus.of(docs)))
    (asked,) = made
    claim, foil = contrast_claim.statements(
        "What makes OpenClaw special is not that it has the strongest single function, but "
        "that it is closer to the AI form in people's minds."
    )
    assert asked.data["statement"] == (claim if asked.answer else foil)
    assert asked.prompt == "True or false, according to the source: " + asked.data["statement"]
    for statement, key in ((claim, True), (foil, False)):
        asked.data["statement"] = statement
        assert contrast_claim.solve(asked, Corpus.of(docs)).answer is key


def test_a_contrast_names_the_concept_in_what_it_is_about(tmp_path):
    sentence = "Now, humans are not really programming, but expressing their ideas to agents."
    assert contrast_claim.lead(sentence) == "Now, humans"
    assert contrast_claim.lead("Productivity Anxiety: The anxiety is not A, but B.") == (
        "Productivity Anxiety: The anxiety"
    )
    path = tmp_path / "agents.txt"
    path.write_text(PODCAST + "\n" + sentence + "\n", encoding="utf-8")
    docs = load_sources([str(path)]).documents
    for name, asked in (("agent", 0), ("humans", 1)):
        concepts = [*_concepts(), ConceptDraft(name=name, definition="", kind="term")]
        made = contrast_claim.generate(_view(concepts[-1], concepts, Corpus.of(docs)))
        assert len(made) == asked, name  # 'agent' is only inside the claim: a truism if asked


def test_the_nearest_points_are_picked_from_a_window_as_from_the_whole_list():
    """``_around`` hands the nearest-point pick only the points beside the concept's own;
    the pick (the four nearest, ties in the list's order) must be the one the whole list
    gives, wherever the own point stands and whatever the gaps between ids."""
    import heapq
    import random
    from types import SimpleNamespace

    rng = random.Random(3)
    ids = sorted(rng.sample(range(2_000), 300))
    points = [SimpleNamespace(sentence=SimpleNamespace(id=i)) for i in ids]
    for at in ids + [0, 1_999, ids[150] + 1]:

        def near(p, at=at):
            return abs(p.sentence.id - at)

        whole = heapq.nsmallest(4, points, key=near)
        window = heapq.nsmallest(4, point_choice._around(points, at), key=near)
        assert [p.sentence.id for p in window] == [p.sentence.id for p in whole]


def test_a_points_claim_is_asked_true_or_false_against_the_view_it_argues_against(tmp_path):
    docs, concepts = _docs(tmp_path), _concepts()
    asked = []
    for c in concepts:
        kept, _ = generate_checked(c, concepts, docs)
        asked += [
            (ex.concept, ex.prompt, ex.answer)
            for ex in kept
            if ex.data.get("generator") == "point_claim"
        ]
    on = "True or false, according to the source's point on "
    # "Since last December" has no claim to turn round
    assert asked == [
        ("generalization problem", on + "Generalization Problem: Better coding does not help "
         "the model tell new jokes.", True),
    ]  # fmt: skip
    # robotics is named outside its label: its point is asked by "which point does the
    # source make about robotics?" (above), not again true or false


def test_a_claims_twin_turns_its_one_negation_or_comparison_round():
    assert point_claim.twin(
        "The improvement of verifiable capabilities does not drive the improvement of soft ones."
    ) == (
        "The improvement of verifiable capabilities drives the improvement of soft ones.",
        "negation",
    )
    # "is free" reads two ways out of its paragraph (of cost? of constraints?)
    assert point_claim.twin("Working in a frontier laboratory is not free.") is None
    assert point_claim.twin("Manipulating atoms is more difficult than bits.") == (
        "Manipulating atoms is less difficult than bits.",
        "direction",
    )
    # a date's "last" is no claim; two comparison words may be a pair ("from higher to lower")
    assert point_claim.twin("Since last December, the paradigm has changed.") is None
    assert point_claim.twin("Water moves from higher to lower concentration.") is None
    assert point_claim.twin("It did not work and it is not cheap.") is None


ESSAY = """Notes on scaling

Here are the points the talk made:

1. Data Quality: Cleaner data does not raise the ceiling of a small model. Bigger models learn faster from the same data.
2. Compute Budget: Training runs cost more than they did before.
3. Evaluation Drift: Benchmarks become easier once models are trained on them.
4. Tokenizers: A byte tokenizer handles rare words better than a word tokenizer.

Data quality matters, and so does the compute budget; evaluation drift is the quiet one.
The real bottleneck is not about buying more GPUs, but about finding clean data.
Scaling research is no longer about bigger models, but about better evaluation.
"""  # noqa: E501


def _claims_asked(docs, concepts, order) -> dict[str, bool]:
    """Statement -> key of every essay true/false draft, the concepts asked in ``order``
    over a fresh corpus."""
    Corpus.release()
    corpus = Corpus.of(docs)
    asked = {}
    for i in order:
        view = _view(concepts[i], concepts, corpus)
        for ex in contrast_claim.generate(view) + point_claim.generate(view):
            asked[ex.data["statement"]] = ex.answer
    return asked


def test_the_sides_claims_are_asked_on_alternate_along_the_source_whatever_asks_them(tmp_path):
    path = tmp_path / "scaling.txt"
    path.write_text(ESSAY, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    names = [
        "data quality", "compute budget", "evaluation drift", "tokenizers", "bottleneck",
        "scaling research",
    ]  # fmt: skip
    concepts = [ConceptDraft(name=n, definition="", kind="term") for n in names]
    every = range(len(concepts))
    asked = _claims_asked(docs, concepts, every)
    assert len(asked) >= 5  # both kinds ask, for several concepts
    keys = list(asked.values())
    assert abs(keys.count(True) - keys.count(False)) <= 1
    # in whatever order the concepts are asked, and each alone (as a worker process that
    # makes only some concepts' exercises): every claim on the same side
    assert _claims_asked(docs, concepts, reversed(every)) == asked
    alone = {}
    for i in every:
        alone.update(_claims_asked(docs, concepts, [i]))
    assert alone == asked
    # a claim keeps its side when its exercises are made again
    corpus = Corpus.of(docs)
    view = _view(concepts[0], concepts, corpus)
    again = {ex.data["statement"]: ex.answer for ex in point_claim.generate(view)}
    assert again.items() <= asked.items() and again
