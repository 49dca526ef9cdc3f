"""Coverage where the material allows it: concepts the sources only name are counted apart,
and each concept below the goal is listed with the rules its candidates broke."""

from __future__ import annotations

from teachback.benchmarks.exercises.material import materials
from teachback.benchmarks.exercises.tally import tally
from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft, ExerciseDraft, SelfCheckResult
from teachback.ingest.readers import load_sources

NOTES = (
    "A bucket is one slot of the table's array. "
    "A collision happens when two keys land in the same bucket. "
    "Collisions are certain. "
    "Python's dict grows as it fills."
)


def _ex(concept: str, kind: str, passed: bool, reason: str = "") -> ExerciseDraft:
    ex = ExerciseDraft(concept=concept, kind=kind, prompt=f"{kind} about {concept}", answer="x")
    ex.self_check = SelfCheckResult(passed=passed, reasons=[reason] if reason else [])
    return ex


def test_concepts_without_a_defining_passage_or_code_are_counted_apart():
    doc = Document(
        path="notes.md",
        format="markdown",
        title="notes",
        text=NOTES,
        sections=[Section("prose", 0, len(NOTES), NOTES, ("Hashing",))],
    )
    names = ["bucket", "collision", "dict"]
    concepts = [ConceptDraft(name=n, definition="", kind="term") for n in names]
    assert materials(concepts, [doc]) == {
        "bucket": "defining passage",
        "collision": "mentioned only",  # ("happens when" is no definition it reads)
        "dict": "named once",
    }


def test_a_concept_below_the_goal_is_listed_with_its_rejection_rules():
    bucket, collision, dict_ = (
        ConceptDraft(name=n, definition=f"{n} is ...", kind="term")
        for n in ("bucket", "collision", "dict")
    )
    results = [
        (bucket, [_ex("bucket", k, True) for k in ("short_answer", "cloze", "true_false")], []),
        (
            collision,
            [_ex("collision", "short_answer", True)],
            [
                _ex("collision", "cloze", False, "duplicate: asks the same fact"),
                _ex("collision", "multiple_choice", False, "duplicate: asks the same fact"),
                _ex("collision", "true_false", False, "ambiguous: both ways"),
            ],
        ),
        (dict_, [], []),
    ]
    material = {"bucket": "defining passage", "collision": "code", "dict": "named once"}
    counts = tally(results, material)
    assert (counts.allowed, counts.allowed_ok) == (2, 1)
    assert dict(counts.material) == {"defining passage": 1, "code": 1, "named once": 1}
    assert counts.allowed_short == [
        "collision [code] (1 kept, 1 kinds; rejected: duplicate 2, ambiguous 1)"
    ]
    # the old figure (concepts with a definition) still counts every defined concept
    assert (counts.ok, len(counts.per_concept)) == (1, 3)


def _notebook(cells: list[tuple[str, str, list[str]]]) -> Document:
    """A notebook as the reader renders it: prose and code cells (saved outputs in signals)."""
    parts, sections, pos = [], [], 0
    for i, (kind, text, outputs) in enumerate(cells):
        signals = {"cell": i, "outputs": outputs} if kind == "code" else {"cell": i}
        sections.append(
            Section(kind, pos, pos + len(text), text, ("Series",), f"cell {i}", signals)
        )
        parts.append(text + "\n\n")
        pos += len(text) + 2
    return Document(
        path="nb/series.ipynb",
        format="notebook",
        title="series",
        text="".join(parts),
        sections=sections,
    )


def test_code_counts_when_the_cell_uses_the_concept_not_when_the_text_before_it_names_it():
    doc = _notebook(
        [
            (
                "prose",
                "Fancy indexing and the batch size both come up when a Series is sliced.",
                [],
            ),
            ("code", "# fancy indexing\ndata[['a', 'e']]", ["a    0.25"]),
            (
                "code",
                "batch_size = 20 * 5  # 5 is grad_accum, so the batch size is 100\nbatch_size",
                ["100"],
            ),
            ("prose", "A sentinel value reduces the range of valid values that can be stored.", []),
            ("code", "x[0] = None\nx", ["0    NaN"]),
        ]
    )
    names = ["fancy indexing", "batch size", "sentinel value"]
    concepts = [ConceptDraft(name=n, definition="", kind="term") for n in names]
    assert materials(concepts, [doc]) == {
        "fancy indexing": "code",  # (a comment labels the cell with it)
        "batch size": "named once",  # (a variable, a remark in passing, the text before)
        "sentinel value": "stated facts",  # (a property stated, and a cell under it)
    }


ESSAY = """Karpathy on agents

He spoke about robotics at length. Here are the core contents:

1. Generalization Problem: Intelligence has not fully overflowed.
2. Career Choice: Working in a frontier laboratory is not free.
3. Robotics: Manipulating atoms is much more difficult than manipulating bits.
"""


def test_a_labelled_point_counts_only_when_the_source_names_its_topic_outside_the_label(tmp_path):
    path = tmp_path / "podcast.txt"
    path.write_text(ESSAY, encoding="utf-8")
    docs = load_sources([str(path)]).documents
    names = ["robotics", "career choice"]
    concepts = [ConceptDraft(name=n, definition="", kind="term") for n in names]
    assert materials(concepts, docs) == {
        "robotics": "labelled point",  # (named in the prose before the list too)
        "career choice": "named once",  # (a list heading: its label and nothing else)
    }
