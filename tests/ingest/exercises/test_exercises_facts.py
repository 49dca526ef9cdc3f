"""Facts beyond the definition, asked once each, and the teacher's checks they pass."""

from __future__ import annotations

from teachback.engine.protocol import ExerciseDraft
from teachback.ingest.exercises import generate_checked, make_exercises, self_check
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds import predict_output
from teachback.ingest.exercises.kinds.true_false.falsify import _contrast_swap
from teachback.ingest.exercises.kinds.which_code import MASK, _Def, _where, shown_code, spelled
from teachback.ingest.exercises.quality.blanks import modifier_left
from teachback.ingest.exercises.quality.definitions import defines, states
from teachback.ingest.exercises.quality.form import narrative
from teachback.ingest.exercises.quality.restate import tidy
from teachback.ingest.readers import load_sources

from .conftest import asked_again, concept, markdown_doc, notebook_case, with_evidence


def test_a_sentence_is_tidied_into_a_statement_that_stands_on_its_own():
    assert tidy(
        "First, the `loc` attribute allows indexing and slicing that always references the "
        "explicit index:"
    ) == (
        "The `loc` attribute allows indexing and slicing that always references the explicit index."
    )
    assert (
        tidy(
            "The `index` is an array-like object of type `pd.Index`, which we'll discuss in "
            "more detail momentarily:"
        )
        == "The `index` is an array-like object of type `pd.Index`."
    )
    assert (
        tidy("Partial slicing works as long as the index is sorted (see Sorted Indices).")
        == "Partial slicing works as long as the index is sorted."
    )


def test_lead_ins_asides_and_pointers_elsewhere_define_nothing():
    lead_in = (
        "Often we would prefer to aggregate conditionally on some label or index: this is "
        "implemented in the so-called `groupby` operation."
    )
    assert not defines(lead_in, ["groupby"])
    alias = (
        "A far more common pattern is to make use of hierarchical indexing (also known as "
        "multi-indexing) to incorporate multiple index levels within a single index."
    )
    assert not defines(alias, ["multi-indexing"])
    assert defines("A Pandas `Series` is a one-dimensional array of indexed data.", ["Series"])
    assert not defines("Linear probing is fast in practice.", ["probing"])
    assert narrative("The index is an object, which we'll discuss in more detail momentarily.")
    assert narrative("It is similar to the concatenation you saw in Combining Datasets.")


def test_a_statement_needs_the_concept_as_its_subject_not_a_modifier():
    assert states("The `iloc` attribute allows indexing and slicing.", ["iloc"])
    assert states("While indexing refers to columns, slicing refers to rows.", ["slicing"])
    assert not states("Pandas objects can be thought of as enhanced arrays.", ["Pandas"])
    assert not states("Linear probing is fast in practice.", ["probing"])


def test_a_modifier_left_in_the_sentence_gives_a_two_word_answer_away():
    said = "The left join and _____ return joins over the left entries and right entries."
    assert modifier_left(said, "right join")
    assert not modifier_left("The _____ returns the rows in both inputs.", "inner join")


CONTRAST = """# Selecting data

## Indexing and slicing

Slicing takes a contiguous run of rows out of a table.
Indexing picks columns out of a table by their labels.
While indexing refers to columns, slicing refers to rows.
Slicing never copies the labels of the rows it leaves out.
"""


def _contrast_case():
    doc = markdown_doc("notes/select.md", CONTRAST)
    concepts = [
        with_evidence(
            concept("slicing", "Slicing takes a contiguous run of rows out of a table."), doc
        ),
        with_evidence(
            concept("indexing", "Indexing picks columns out of a table by their labels."), doc
        ),
    ]
    return doc, concepts


def test_a_contrast_swapped_is_a_false_statement_the_sources_contradict():
    doc, concepts = _contrast_case()
    view = ConceptView(concepts[0], concepts, Corpus.of([doc]), [doc])
    sentence = "While indexing refers to columns, slicing refers to rows."
    swapped, other = _contrast_swap(view, sentence)
    assert (swapped, other) == (
        "While slicing refers to columns, indexing refers to rows.",
        "indexing",
    )
    # not a contrast: two names in one sentence are not exchanged
    assert _contrast_swap(view, "Slicing takes rows, and indexing takes columns.") is None
    for statement, key in ((swapped, False), (sentence, True)):
        ex = ExerciseDraft(
            concept="slicing",
            kind="true_false",
            prompt="True or false: " + statement,
            answer=key,
            choices=["True", "False"],
            data={"statement": statement, "method": "contrast", "generator": "true_false"},
        )
        result = self_check(ex, [doc], [])
        assert result.passed, (statement, result.reasons)


def test_each_fact_is_asked_once_and_a_concept_with_several_gets_several_kinds():
    doc, concepts = _contrast_case()
    kept, rejected = generate_checked(concepts[0], concepts, [doc])
    assert len(kept) >= 3 and len({ex.kind for ex in kept}) >= 2, [ex.kind for ex in kept]
    assert asked_again(kept) == []
    assert any("asks the same fact" in " ".join(ex.self_check.reasons) for ex in rejected)


JOINS = """# Joins

## Kinds of join

An inner join keeps only the keys found in both inputs.
An outer join keeps every key found in either input and fills the gaps with missing values.
A join combines two tables on the values of a key column.
"""


def test_a_name_inside_a_longer_concept_name_is_never_blanked():
    doc = markdown_doc("notes/joins.md", JOINS)
    defs = {
        "inner join": "An inner join keeps only the keys found in both inputs.",
        "outer join": (
            "An outer join keeps every key found in either input and fills the gaps with "
            "missing values."
        ),
        "join": "A join combines two tables on the values of a key column.",
    }
    concepts = [with_evidence(concept(n, d), doc) for n, d in defs.items()]
    join = concepts[2]
    for ex in make_exercises(join, concepts, [doc]):
        if ex.kind == "cloze" or ex.data.get("variant") == "blank":
            assert "inner _____" not in ex.prompt and "outer _____" not in ex.prompt, ex.prompt


MODEL_PY = '''"""A tiny model."""


class Feed:
    """Two linear layers with a nonlinearity between them."""

    def __init__(self, n):
        self.up = Linear(n, 4 * n)
        self.down = Linear(4 * n, n)

    def __call__(self, x):
        return self.down(gelu(self.up(x)))


class Stack:
    """Layers applied in order."""

    def __init__(self, layers):
        self.layers = layers

    def __call__(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class Scale:
    """Multiply by a constant."""

    def __init__(self, k):
        self.k = k

    def __call__(self, x):
        return self.k * x
'''


def test_code_is_recognised_by_its_body_with_its_name_hidden(tmp_path):
    path = tmp_path / "tiny" / "model.py"
    path.parent.mkdir()
    path.write_text(MODEL_PY)
    docs = load_sources([str(path)]).documents
    concepts = [concept(n, kind="code") for n in ("Feed", "Stack", "Scale")]
    made = [
        ex
        for ex in make_exercises(concepts[1], concepts, docs)
        if ex.data.get("generator") == "which_code"
    ]
    assert len(made) == 1
    ex = made[0]
    assert ex.answer == "Stack" and sorted(ex.choices) == ["Feed", "Scale", "Stack"]
    assert f"class {MASK}:" in ex.prompt and "Stack" not in ex.prompt
    assert "Layers applied in order" not in ex.prompt  # (the docstring is another exercise)
    # the answer names it and its file, not the module's docstring as a title
    assert ex.explanation == "This is the code of `Stack` in `model.py`."
    assert self_check(ex, docs, []).passed
    # a body that still spells the name gives it away
    assert spelled(
        shown_code("def get_batch(n):\n    return batch[:n]\n", "get_batch"), "get_batch"
    )


def test_which_code_tells_a_method_by_its_class():
    forward = _Def("forward", "model.GPT.forward", "method", "model.GPT", "", 0, 0, 0)
    assert _where(forward, "/src/nanogpt/model.py") == (
        "This is the code of `GPT.forward` in `model.py`."
    )
    encode = _Def("encode", "prepare.encode", "function", "", "", 0, 0, 0)
    assert _where(encode, "data.zip!shakespeare/prepare.py") == (
        "This is the code of `encode` in `prepare.py`."
    )


def test_a_notebook_cell_belongs_to_the_concept_its_prose_is_about():
    doc, concepts = notebook_case()
    view = ConceptView(concepts[0], concepts, Corpus.of([doc]), [doc])
    owner = predict_output.owners(view)
    cells = sorted(owner.items())
    # the cell after "The get method of a dictionary returns ..." is the get method's
    get_cell = next(k for k, v in cells if "get(" in doc.text[k[1] : k[1] + 40])
    assert owner[get_cell] == "get method"
    asked = {
        c.name: [
            ex.data["source"]
            for ex in generate_checked(c, concepts, [doc])[0]
            if ex.kind == "predict_output"
        ]
        for c in concepts
    }
    assert not set(asked["dictionary"]) & set(asked["get method"])


def test_a_name_part_the_options_share_does_not_give_the_answer_away():
    code = shown_code(
        "def gpt_params(n):\n    total_params = 12 * n\n    return total_params\n", "gpt_params"
    )
    assert spelled(code, "gpt_params") == "params"
    assert spelled(code, "gpt_params", ["chinchilla_params", "palm_params"]) == ""


def test_functions_defined_in_notebook_cells_are_recognised_by_their_code():
    from teachback.core.document import Document, Section
    from teachback.ingest.exercises.kinds.which_code import definitions

    cells = [
        "def area(w, h):\n    return w * h\n",
        "def perimeter(w, h):\n    return 2 * (w + h)\n",
        "def diagonal(w, h):\n    return (w ** 2 + h ** 2) ** 0.5\n",
    ]
    text, sections, pos = "", [], 0
    for i, code in enumerate(cells):
        sections.append(Section("code", pos, pos + len(code), code, ("Shapes",), f"cell {i}"))
        text += code + "\n"
        pos = len(text)
    doc = Document(
        path="nb/shapes.ipynb", format="notebook", title="shapes", text=text, sections=sections
    )
    defs = definitions(Corpus.of([doc]))
    assert [(d.name, doc.text[d.start : d.end]) for d in defs] == [
        ("area", cells[0].rstrip("\n")),
        ("perimeter", cells[1].rstrip("\n")),
        ("diagonal", cells[2].rstrip("\n")),
    ]
    concepts = [concept(n, kind="code") for n in ("area", "perimeter", "diagonal")]
    made = [
        ex
        for ex in make_exercises(concepts[1], concepts, [doc])
        if ex.data.get("generator") == "which_code"
    ]
    assert [ex.answer for ex in made] == ["perimeter()"]
    assert "return 2 * (w + h)" in made[0].prompt and "perimeter" not in made[0].prompt
    assert self_check(made[0], [doc], []).passed


def test_a_number_inside_a_name_is_not_a_quantity_to_change():
    from teachback.ingest.exercises.kinds.true_false.falsify import _NUMBER

    found = [m.group(1) for m in _NUMBER.finditer("A GPT-2 model gets a val loss of about 3.11.")]
    assert found == ["3.11"]
