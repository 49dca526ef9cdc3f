# ruff: noqa: E501  (realistic source text has long lines)
"""Realistic hand-built Documents and ConceptDrafts for the exercise tests.

Built by hand (not by the readers/concepts helpers' code) so these tests pin down the exercise
generator alone; spans are computed from the text, exactly as a reader would produce them.
"""

from __future__ import annotations

import re

import pytest

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft, Evidence

BIOLOGY = """# Transport across membranes

Cells must move water and nutrients across the cell membrane to stay alive.

## Passive transport

Diffusion is the net movement of particles from a region of higher concentration to a region of lower concentration.
Diffusion needs no energy from the cell.
Osmosis is the diffusion of water molecules across a selectively permeable membrane.
In plants, osmosis keeps cells firm by filling the central vacuole with water.
A selectively permeable membrane is a barrier that lets some molecules pass but blocks others.

## Active transport

Active transport is the movement of molecules against their concentration gradient using energy from ATP.
The sodium-potassium pump is a protein that uses active transport to move sodium out of the cell.
Endocytosis is the process by which a cell engulfs material by folding its membrane inward.

## Steps of endocytosis

1. The membrane folds inward around the material.
2. The fold deepens into a pocket that surrounds the material.
3. The pocket pinches off to form a vesicle inside the cell.
"""

STATS_PY = '''"""Small statistics helpers."""


def mean(values):
    """Return the arithmetic average of a list of numbers.

    >>> mean([1, 2, 3, 4])
    2.5
    """
    return sum(values) / len(values)


def clamp(value, low, high):
    """Limit a number so that it stays inside a closed interval.

    >>> clamp(15, 0, 10)
    10
    """
    return max(low, min(high, value))


def normalize_scores(scores):
    """Rescale scores so they sum to one, keeping their proportions.

    >>> normalize_scores([1, 3])
    [0.25, 0.75]
    """
    total = sum(scores)
    return [s / total for s in scores]


def word_count(text):
    """Count whitespace-separated tokens in a piece of text.

    >>> word_count("to be or not")
    4
    """
    return len(text.split())
'''


def markdown_doc(path: str, text: str) -> Document:
    """Sections per line (headings) or paragraph block, with heading paths, as a reader would."""
    sections, path_stack, pos = [], [], 0
    for m in re.finditer(r"[^\n]+(?:\n(?!\n|#)[^\n]+)*", text):
        block = m.group(0)
        h = re.match(r"(#+)\s+(.*)", block)
        if h:
            level = len(h.group(1))
            path_stack = path_stack[: level - 1] + [h.group(2)]
            sections.append(Section("heading", m.start(), m.end(), block, tuple(path_stack[:-1])))
        else:
            sections.append(Section("prose", m.start(), m.end(), block, tuple(path_stack)))
        pos = m.end()
    del pos
    return Document(path=path, format="markdown", title=path, text=text, sections=sections)


def code_doc(path: str, text: str) -> Document:
    """Sections per function (code + docstring), with symbol/signature/doctests signals."""
    sections = []
    for m in re.finditer(r"^def (\w+)(\([^)]*\)):\n(?:    .*\n|\n)+", text, re.M):
        name, sig = m.group(1), m.group(2)
        doc = re.search(r'"""(.*?)"""', m.group(0), re.S)
        doctests = [
            {"source": s, "want": w.strip()}
            for s, w in re.findall(r">>> (.*)\n\s*(.*)\n", doc.group(1) if doc else "")
        ]
        symbol = f"stats.{name}"
        sig_signals = {"symbol": symbol, "symbol_kind": "function", "signature": f"def {name}{sig}"}
        sections.append(
            Section(
                "code",
                m.start(),
                m.end(),
                m.group(0),
                (),
                "",
                {**sig_signals, "doctests": doctests},
            )
        )
    return Document(
        path=path, format="code", title=path, text=text, sections=sections, language="python"
    )


def concept(name, definition="", aliases=(), kind="term", importance=0.5):
    return ConceptDraft(
        name=name, definition=definition, aliases=list(aliases), kind=kind, importance=importance
    )


def with_evidence(c: ConceptDraft, doc: Document) -> ConceptDraft:
    """Attach the definition sentence as definition evidence (as the extractor does)."""
    if c.definition and c.definition in doc.text:
        start = doc.text.index(c.definition)
        c.evidence.append(
            Evidence(
                source=doc.path,
                start=start,
                end=start + len(c.definition),
                quote=c.definition,
                role="definition",
            )
        )
    return c


def biology_case():
    doc = markdown_doc("notes/transport.md", BIOLOGY)
    defs = {
        "diffusion": "Diffusion is the net movement of particles from a region of higher concentration to a region of lower concentration.",
        "osmosis": "Osmosis is the diffusion of water molecules across a selectively permeable membrane.",
        "selectively permeable membrane": "A selectively permeable membrane is a barrier that lets some molecules pass but blocks others.",
        "active transport": "Active transport is the movement of molecules against their concentration gradient using energy from ATP.",
        "sodium-potassium pump": "The sodium-potassium pump is a protein that uses active transport to move sodium out of the cell.",
        "endocytosis": "Endocytosis is the process by which a cell engulfs material by folding its membrane inward.",
    }
    concepts = [with_evidence(concept(n, d), doc) for n, d in defs.items()]
    concepts.append(concept("cell membrane"))
    return doc, concepts


def stats_case():
    doc = code_doc("pkg/stats.py", STATS_PY)
    concepts = [
        concept(f"stats.{n}", kind="code", aliases=[n])
        for n in ("mean", "clamp", "normalize_scores", "word_count")
    ]
    return doc, concepts


@pytest.fixture
def biology():
    return biology_case()


@pytest.fixture
def stats_code():
    return stats_case()


NOTEBOOK_CELLS = [
    (
        "markdown",
        "A dictionary maps each key to a value; looking up a key that is missing raises KeyError.",
    ),
    (
        "code",
        'ages = {"ada": 36, "alan": 41}\n# dictionary lookup by key\nprint(ages["ada"] + 1)',
        ["99"],
    ),
    ("markdown", "The get method of a dictionary returns a default instead of raising."),
    ("code", 'print(ages.get("grace", 0))', ["0"]),
    ("code", 'open("/tmp/teachback_exercise_probe.txt", "w").write("ran")  # dictionary', ["16"]),
]


def notebook_case():
    """A notebook as the notebook reader renders it: markdown prose, code cells with their
    SAVED outputs in ``signals["outputs"]`` plus an ``output`` section after each cell.
    The first cell's saved output (99) is deliberately not what running it would print (37):
    exercises must use the saved output, never run the code."""
    parts, sections, pos = [], [], 0
    for i, cell in enumerate(NOTEBOOK_CELLS):
        kind, text = cell[0], cell[1]
        start = pos
        parts.append(text)
        pos += len(text)
        if kind == "markdown":
            sections.append(
                Section("prose", start, pos, text, ("Dictionaries",), f"cell {i}", {"cell": i})
            )
        else:
            sections.append(
                Section(
                    "code",
                    start,
                    pos,
                    text,
                    ("Dictionaries",),
                    f"cell {i}",
                    {"cell": i, "outputs": cell[2]},
                )
            )
            out = "\n".join(cell[2])
            parts.append("\n")
            pos += 1
            sections.append(
                Section("output", pos, pos + len(out), out, ("Dictionaries",), f"cell {i} output")
            )
            parts.append(out)
            pos += len(out)
        parts.append("\n\n")
        pos += 2
    text = "".join(parts)
    doc = Document(
        path="nb/dicts.ipynb", format="notebook", title="dicts", text=text, sections=sections
    )
    assert doc.section_text_matches()
    concepts = [
        concept(
            "dictionary",
            "A dictionary maps each key to a value; looking up a key that is missing raises KeyError.",
        ),
        concept(
            "get method", "The get method of a dictionary returns a default instead of raising."
        ),
    ]
    return doc, concepts


@pytest.fixture
def notebook():
    return notebook_case()


def dump_exercises(results) -> list[list[dict]]:
    """``generate_checked`` results (kept, rejected) per concept as JSON rows, to compare."""
    return [[x.model_dump(mode="json") for x in kept + rejected] for kept, rejected in results]


def cold_run(concepts: list[ConceptDraft], docs: list[Document]) -> list[list[dict]]:
    """``dump_exercises`` of every concept generated from a new corpus (nothing remembered)."""
    from teachback.ingest.exercises import generate_checked
    from teachback.ingest.exercises.corpus import Corpus

    def cold_one(c):
        Corpus.release()
        return generate_checked(c, concepts, docs)

    return dump_exercises(cold_one(c) for c in concepts)


def asked_again(kept: list) -> list[tuple[str, str]]:
    """The kinds of two kept exercises that ask one source passage the same way round, or of
    a third on a passage two already ask: a fact is asked at most twice, once each way (what
    a term means; the term for what it means — ``selfcheck.direction``)."""
    from teachback.ingest.exercises.selfcheck import direction, fact_spans

    single = [e for e in kept if e.kind != "matching"]
    out = []
    for i, a in enumerate(single):
        sharing = [b for b in single[:i] if fact_spans(a) & fact_spans(b)]
        if len(sharing) > 1 or (
            sharing and (not direction(a) or direction(a) == direction(sharing[0]))
        ):
            out.append((sharing[0].kind, a.kind))
    return out
