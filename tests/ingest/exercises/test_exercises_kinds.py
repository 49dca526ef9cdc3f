"""Every kind is generated from realistic hand-built sources, with a correct key."""

from __future__ import annotations

import os
from collections import defaultdict

import pytest

from teachback import sandbox
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises import generate_checked, make_exercises, self_check
from teachback.ingest.exercises.kinds.common import BLANK, accepts
from teachback.ingest.exercises.kinds.function_purpose import name_gives_away
from teachback.ingest.exercises.quality.restate import tidy
from teachback.ingest.exercises.registry import plugins
from teachback.ingest.exercises.text import clean_for_prompt

DEFINITION = {
    "diffusion": "the net movement of particles from a region of higher concentration to a "
    "region of lower concentration",
    "osmosis": "the diffusion of water molecules across a selectively permeable membrane",
    "active transport": "the movement of molecules against their concentration gradient using "
    "energy from ATP",
    "endocytosis": "the process by which a cell engulfs material by folding its membrane inward",
    "selectively permeable membrane": "a barrier that lets some molecules pass but blocks others",
    "sodium-potassium pump": "a protein that uses active transport to move sodium out of the cell",
}


def _all(case):
    doc, concepts = case
    out = []
    for c in concepts:
        out += make_exercises(c, concepts, [doc])
    return doc, concepts, out


def _by_kind(exercises):
    kinds = defaultdict(list)
    for ex in exercises:
        kinds[ex.kind].append(ex)
    return kinds


def test_all_ten_kinds_are_registered_through_the_registry():
    kinds = {p.kind for p in plugins()}
    assert kinds == {
        "multiple_choice",
        "cloze",
        "true_false",
        "short_answer",
        "ordering",
        "matching",
        "predict_output",
        "function_purpose",
        "which_function",
        "write_code",
    }


def test_every_kind_is_generated_and_passes_the_self_check_on_its_own(
    biology, stats_code, notebook
):
    # (which form a fact is asked in depends on the kinds before it: each fact is asked
    # once, so every kind is checked here on its own, against no kept exercise)
    passing = set()
    for doc, concepts in (biology, stats_code, notebook):
        for c in concepts:
            for ex in make_exercises(c, concepts, [doc]):
                if self_check(ex, [doc], []).passed:
                    passing.add(ex.kind)
    assert passing == {p.kind for p in plugins()}


def test_multiple_choice_keys_and_options(biology):
    doc, concepts, exercises = _all(biology)
    mcs = _by_kind(exercises)["multiple_choice"]
    assert len(mcs) >= 6
    for ex in mcs:
        assert 3 <= len(ex.choices) <= 4
        assert len({c.lower() for c in ex.choices}) == len(ex.choices)
        assert ex.choices.count(ex.answer) == 1
        if ex.data["variant"] == "term":
            # the key is the concept; the clue is that concept's definition
            assert ex.answer == ex.concept
            assert DEFINITION[ex.concept] in ex.prompt
            # exactly one option is a concept whose definition is the clue
            assert [c for c in ex.choices if DEFINITION.get(c) and DEFINITION[c] in ex.prompt] == [
                ex.answer
            ]
        elif ex.data["variant"] == "statement":
            assert ex.answer == DEFINITION[ex.concept]
            wrong = [c for c in ex.choices if c != ex.answer]
            assert all(c != DEFINITION[ex.concept] for c in wrong)
            assert all(c in DEFINITION.values() for c in wrong)


def test_multiple_choice_never_offers_another_name_of_the_key(biology):
    doc, concepts = biology
    # the same thing under other names (an alias, a plural, a near spelling) must never be a
    # distractor: it would be a second correct option
    concepts = concepts + [
        ConceptDraft(name="osmotic diffusion", aliases=["Osmosis"]),
        ConceptDraft(name="osmoses"),
        ConceptDraft(name="osmossis"),
    ]
    osmosis = next(c for c in concepts if c.name == "osmosis")
    mcs = [ex for ex in make_exercises(osmosis, concepts, [doc]) if ex.kind == "multiple_choice"]
    assert mcs
    for ex in mcs:
        assert not {"osmotic diffusion", "osmoses", "osmossis"} & set(ex.choices)


def test_cloze_blanks_the_term_of_a_defining_sentence_and_accepts_variants(biology):
    doc, concepts, exercises = _all(biology)
    clozes = _by_kind(exercises)["cloze"]
    assert clozes
    for ex in clozes:
        template = ex.prompt.removeprefix("Fill in the blank: ")
        assert BLANK in template
        # putting the key back gives the source's sentence (a defining one, or another
        # statement about the concept)
        restored = template.replace(BLANK, ex.answer)
        assert restored == tidy(clean_for_prompt(ex.citations[0].quote))
    assert any(
        d in ex.prompt.replace(BLANK, ex.answer) for ex in clozes for d in DEFINITION.values()
    )
    at = next(ex for ex in clozes if ex.answer.lower() == "active transport")
    accepted = at.data["accepted"]
    for typed in ["active transport", "Active Transport", "active-transport", "active transports"]:
        assert typed.lower() in {a.lower() for a in accepted} or accepts(typed, accepted)
    assert accepts("activ transport", accepted)  # a near miss in spelling
    assert accepts("active transprot", accepted)
    assert not accepts("passive transport", accepted)
    assert not accepts("diffusion", accepted)
    assert at.data["fuzzy_threshold"] >= 80


def test_true_false_false_statements_carry_their_correction(biology):
    doc, concepts, exercises = _all(biology)
    tfs = _by_kind(exercises)["true_false"]
    # a concept's defining sentence is what "what is X?" asks, so it is asked here only as
    # the sibling's definition said of X (active transport's definition said of diffusion,
    # and the reverse), citing the sibling; that false is paired with a true statement of X
    # when there is one ("Diffusion needs no energy from the cell."), else kept by the coin
    assert sorted((ex.concept, ex.answer, ex.data["method"]) for ex in tfs) == [
        ("active transport", False, "swap"),
        ("diffusion", False, "swap"),
        ("diffusion", True, "source"),
    ]
    for ex in tfs:
        statement = ex.prompt.removeprefix("True or false: ")
        source = clean_for_prompt(ex.citations[0].quote)
        if ex.answer is True:
            assert statement == source
            assert ex.data["corrected"] == ""
        else:
            assert ex.data["corrected"] == source
            assert statement != source
            assert ex.data["method"] in {"swap", "direction", "quantity"}
            assert ex.data["corrected"] in ex.explanation


def test_short_answer_has_reference_and_rubric(biology):
    doc, concepts, exercises = _all(biology)
    sas = _by_kind(exercises)["short_answer"]
    what = [ex for ex in sas if ex.data["variant"] == "what"]
    assert what
    for ex in what:
        assert ex.data["reference"] == ex.answer
        assert DEFINITION[ex.concept] in ex.answer
        assert 2 <= len(ex.data["rubric"]) <= 4
        for point in ex.data["rubric"]:
            assert point in ex.answer
            assert ex.concept.lower() not in point.lower()


def test_ordering_follows_the_numbered_steps(biology):
    doc, concepts, exercises = _all(biology)
    (ex,) = _by_kind(exercises)["ordering"]
    assert ex.concept == "endocytosis"
    assert ex.answer == [
        "The membrane folds inward around the material.",
        "The fold deepens into a pocket that surrounds the material.",
        "The pocket pinches off to form a vesicle inside the cell.",
    ]
    assert sorted(ex.choices) == sorted(ex.answer) and ex.choices != ex.answer


def test_matching_pairs_terms_with_their_own_definitions(biology):
    doc, concepts, exercises = _all(biology)
    matchings = _by_kind(exercises)["matching"]
    assert matchings
    for ex in matchings:
        assert 3 <= len(ex.data["terms"]) <= 4
        for pair in ex.answer:
            term, desc = pair.split(" => ")
            assert DEFINITION[term] == desc
        assert sorted(ex.choices) == sorted(ex.data["descriptions"])


def test_code_kinds_from_docstrings_and_doctests(stats_code):
    doc, concepts, exercises = _all(stats_code)
    kinds = _by_kind(exercises)
    expected_outputs = {
        "stats.mean": "2.5",
        "stats.clamp": "10",
        "stats.normalize_scores": "[0.25, 0.75]",
        "stats.word_count": "4",
    }
    assert {ex.concept: ex.answer for ex in kinds["predict_output"]} == expected_outputs
    for ex in kinds["predict_output"]:
        assert ex.data["origin"] == "doctest"
        assert '"""' not in ex.prompt  # no docstring, so no example output, in the prompt
        assert ex.answer not in ex.prompt.split("\n")
    purposes = {ex.concept: ex.answer for ex in kinds["function_purpose"]}
    assert purposes["stats.mean"] == "Return the arithmetic average of a list of numbers."
    assert purposes["stats.clamp"] == "Limit a number so that it stays inside a closed interval."
    for ex in kinds["function_purpose"]:
        assert ex.answer in ex.choices and 3 <= len(ex.choices) <= 4
        assert ex.answer not in ex.prompt
    which = {ex.concept: ex for ex in kinds["which_function"]}
    assert which["stats.clamp"].answer == "clamp()"
    assert "limit a number so that it stays inside a closed interval" in which["stats.clamp"].prompt
    assert "clamp()" in which["stats.clamp"].choices


def _predict(notebook) -> list:
    from teachback.ingest.exercises.corpus import Corpus

    doc, concepts = notebook
    Corpus.release()  # the plan of runs is remembered per corpus
    kept = []
    for c in concepts:
        kept += generate_checked(c, concepts, [doc])[0]
    return [ex for ex in kept if ex.kind == "predict_output"]


@pytest.mark.skipif(bool(sandbox.available()), reason="no sandbox here")
def test_predict_output_keeps_only_what_reproduces_in_the_sandbox(notebook):
    probe = "/tmp/teachback_exercise_probe.txt"
    if os.path.exists(probe):
        os.remove(probe)
    kept = _predict(notebook)
    # the notebook saved 99 for print(ages["ada"] + 1), which prints 37 when run: dropped.
    # print(ages.get("grace", 0)) needs the cell defining ages: shown with it, and it
    # reproduces 0. The cell that writes a file ran only inside the sandbox.
    assert {ex.answer for ex in kept} == {"0"}
    for ex in kept:
        assert ex.data["cells"] == [
            'ages = {"ada": 36, "alan": 41}\n# dictionary lookup by key\nprint(ages["ada"] + 1)',
            'print(ages.get("grace", 0))',
        ]
        assert ex.data["run"] == "reproduced" and ex.data["origin"] == "notebook"
        assert all(f"```python\n{cell}\n```" in ex.prompt for cell in ex.data["cells"])
        # the cell asked about is cited first (what "Reread" and hints quote), then the
        # cell it needs
        assert [c.quote.strip() for c in ex.citations] == ex.data["cells"][::-1]
    assert not os.path.exists(probe)


def test_without_a_sandbox_only_self_contained_cells_are_kept_from_recorded_outputs(
    notebook, monkeypatch
):
    monkeypatch.setattr(sandbox, "available", lambda: "bubblewrap is not installed")
    monkeypatch.setattr(sandbox, "run_programs", lambda *a, **k: pytest.fail("ran code"))
    kept = _predict(notebook)
    # single cells keep their saved outputs unchecked (99, 16: nothing ran); the cell that
    # needs an earlier one is not shown alone
    assert {ex.answer for ex in kept} == {"99", "16"}
    assert {ex.data["run"] for ex in kept} == {"recorded"}


def test_difficulty_is_in_range_and_orders_kinds(biology, stats_code):
    for case in (biology, stats_code):
        _, _, exercises = _all(case)
        for ex in exercises:
            assert 0.0 <= ex.difficulty <= 1.0
    _, _, bio = _all(biology)
    kinds = _by_kind(bio)
    mean = {k: sum(e.difficulty for e in v) / len(v) for k, v in kinds.items()}
    assert mean["true_false"] < mean["cloze"] < mean["short_answer"]


@pytest.mark.parametrize(
    ("symbol", "key", "distractors", "word"),
    [
        # the only option that says "linear probing" answers "what does LinearProbingTable do?"
        (
            "hashkit.probing.LinearProbingTable",
            "A hash table using open addressing with linear probing.",
            [
                "Rehash every entry into a new bucket array.",
                "Remove key; return whether it was there.",
            ],
            "linear",
        ),
        # fnv1a meets "FNV-1a" once hyphens are dropped
        (
            "hashkit.hashing.fnv1a",
            "Return the 64-bit FNV-1a hash of key.",
            ["Remove key; return whether it was there.", "The load factor of the table."],
            "fnv1a",
        ),
        # a word every option shares tells nothing
        (
            "table.bucket_index",
            "Reduce the hash of key to a bucket index.",
            ["Grow the bucket array.", "Count the entries of one bucket."],
            "index",
        ),
        ("table.grow", "Double the capacity and rehash.", ["Grow nothing; a no-op."], ""),
    ],
)
def test_a_purpose_question_is_refused_when_only_the_key_echoes_the_name(
    symbol, key, distractors, word
):
    assert name_gives_away(symbol, key, distractors) == word


def test_a_short_answer_reference_stops_where_a_clause_about_another_concept_starts():
    from teachback.ingest.exercises.kinds.short_answer import first_claim

    two = (
        "Quadratic probing tries `i + 1`, `i + 4`, `i + 9`, and so on, and double hashing "
        "uses a second hash function to choose the step size."
    )
    assert first_claim(two, ["Quadratic probing"], ["double hashing", "hash function"]) == (
        "Quadratic probing tries `i + 1`, `i + 4`, `i + 9`, and so on."
    )
    assert first_claim(two, ["double hashing"], ["Quadratic probing", "hash function"]) == (
        "Double hashing uses a second hash function to choose the step size."
    )
    # the second clause is about the concept too: kept whole
    both = "A heap keeps the smallest on top, and a stack is unlike a heap in every way."
    assert first_claim(both, ["heap"], ["stack"]) == both
    # another concept named as an object, not a new subject: kept whole
    obj = "Linear probing steps to the next bucket, and clusters form around hash values."
    assert first_claim(obj, ["Linear probing"], ["hash value"]) == obj


def test_predict_output_takes_a_short_series_but_not_seeded_random_draws():
    from teachback.ingest.exercises.kinds.predict_output.filters import DRAWS, predictable

    series = "0    NaN\n1    5.0\n2    9.0\n3    NaN\ndtype: float64"
    code = (
        "A = pd.Series([2, 4, 6], index=[0, 1, 2])\n"
        "B = pd.Series([1, 3, 5], index=[1, 2, 3])\nA + B"
    )
    assert predictable(code, series, 10)
    assert not predictable(code, series + "\n4    NaN", 10)  # six lines: too long to write
    # read off the list shown above it: copying, not predicting
    shown = "models = [[44000000.0, 512, 2048, 64, 8, 8], [57000000.0, 576, 2304]]\nmodels[0]"
    assert not predictable(shown, "[44000000.0, 512, 2048, 64, 8, 8]", 10)
    assert predictable("np.concatenate([x, y, z])", "array([1, 2, 3, 4, 5, 6, 7, 8, 9])", 10)
    structured = "array([(0, 0.), (0, 0.)], dtype=[('A', '<i8'), ('B', '<f8')])"
    assert not predictable("np.zeros(2, dtype=[('A', 'i8'), ('B', 'f8')])", structured, 10)
    # repeatable when run, but no learner can say by hand what a seeded generator draws
    assert DRAWS.search("rng = np.random.RandomState(0)\nrng.randint(0, 10, 6)")
    assert DRAWS.search("np.random.seed(0)\nx = np.random.rand(3)")
    assert not DRAWS.search("data.dropna()\npd.Series([2, 4, 6])")


def test_one_set_of_definitions_is_matched_under_one_of_its_concepts(monkeypatch):
    from types import SimpleNamespace

    from teachback.ingest.exercises.kinds import matching

    def view(name):
        return SimpleNamespace(concept=SimpleNamespace(name=name))

    arr, assoc, coll = view("array"), view("associative array"), view("collision")
    same = {id(arr): ["array", "associative array", "collision"]}
    # (stands in for each view's own choice of related concepts, made from its sources)
    monkeypatch.setattr(
        matching, "_items", lambda v: [(t, "", None, None) for t in same.get(id(v), [])]
    )
    items = [(t, "", None, v) for t, v in (("associative array", assoc), ("array", arr))]
    items.append(("collision", "", None, coll))
    # "array" makes this very set and comes first: "associative array" does not ask it again
    assert matching._asked_by_another(assoc, items) is True
    # "collision" comes after "array", whose set is another: asked
    coll_items = [items[2], items[1], items[0]]
    same[id(arr)] = ["array", "hash function", "collision"]
    assert matching._asked_by_another(coll, coll_items) is False


def test_a_class_is_asked_what_its_documented_methods_do_not_its_crud_ones():
    from pathlib import Path

    from teachback.ingest.exercises.context import ConceptView
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.exercises.kinds.function_purpose import units_of
    from teachback.ingest.readers import load_sources

    hashkit = Path(__file__).resolve().parents[3] / "data" / "samples" / "hashkit"
    docs = load_sources([str(hashkit)]).documents
    c = ConceptDraft(name="ChainedHashTable", kind="code")
    view = ConceptView(c, [c], Corpus.of(docs), docs)
    # put / get / delete say what they do in their names: not asked
    assert [u.symbol for u in units_of(view)] == [
        "hashkit.chaining.ChainedHashTable",
        "hashkit.chaining.ChainedHashTable.chain_lengths",
        "hashkit.chaining.ChainedHashTable.load_factor",
    ]
    asked = [ex.prompt for ex in make_exercises(c, [c], docs) if ex.kind == "function_purpose"]
    assert (
        "What does the method `def chain_lengths(self) -> list[int]` of `ChainedHashTable` do?"
        in asked
    )


def test_which_code_leaves_out_a_docstring_under_a_decorator():
    from teachback.ingest.exercises.kinds.which_code import shown_code

    code = (
        '@torch.no_grad()\ndef generate(self, idx):\n    """\n    Complete the sequence.\n    """\n'
        "    return idx\n"
    )
    assert shown_code(code, "generate") == "@torch.no_grad()\ndef ___(self, idx):\n    return idx"


SCRIPT = '''"""Training script."""
import math


def get_lr(it):
    if it < 10:
        return 0.1 * it
    return 0.5 * (1 + math.cos(it))


def get_batch(split):
    data = split * 2
    return data[:4]


def estimate_loss():
    out = {}
    out["x"] = 1.0
    return out
'''


def test_a_script_is_asked_about_its_functions_but_not_one_that_is_a_concept(tmp_path):
    from teachback.ingest.readers import load_sources

    (tmp_path / "train.py").write_text(SCRIPT)
    docs = load_sources([str(tmp_path)]).documents
    script = ConceptDraft(name="train", kind="code")
    batch = ConceptDraft(name="get_batch", kind="code")
    asked = [
        (ex.answer, sorted(ex.choices))
        for ex in make_exercises(script, [script, batch], docs)
        if ex.data.get("variant") == "code"
    ]
    assert asked == [
        ("get_lr()", ["estimate_loss()", "get_batch()", "get_lr()"]),
        ("estimate_loss()", ["estimate_loss()", "get_batch()", "get_lr()"]),
    ]


def _purpose_exercises(concept_name: str) -> dict[str, object]:
    from pathlib import Path

    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.readers import load_sources

    hashkit = Path(__file__).resolve().parents[3] / "data" / "samples" / "hashkit"
    docs = load_sources([str(hashkit)]).documents
    # the curriculum's concepts as ingest finds them: the options are names it teaches
    concepts = extract_concepts(docs)
    c = next(c for c in concepts if c.name == concept_name)
    return {
        ex.data["symbol"]: ex
        for ex in make_exercises(c, concepts, docs)
        if ex.kind == "function_purpose"
    }


def test_a_functions_purpose_is_offered_beside_other_functions_purposes_not_a_class():
    asked = _purpose_exercises("load_factor")
    function = asked["hashkit.hashing.load_factor"]
    assert function.answer == "The load factor: stored entries divided by the number of buckets."
    # what other functions do; not a class's description ("A hash table that ..."), nor
    # the other load_factor's (the same computation: a second right answer)
    assert sorted(c for c in function.choices if c != function.answer) == [
        "How many entries each bucket's chain holds.",
        "Reduce the hash of `key` to a bucket index between 0 and `capacity - 1`.",
        "Return the 64-bit FNV-1a hash of `key`.",
    ]
    # the method of the same name is another symbol: asked with its class (the technique the
    # class implements), among the other methods of its class
    assert "hashkit.chaining.ChainedHashTable.load_factor" not in asked
    method = _purpose_exercises("separate chaining")[
        "hashkit.chaining.ChainedHashTable.load_factor"
    ]
    assert method.answer == "Average chain length: entries divided by buckets."
    assert sorted(c for c in method.choices if c != method.answer) == [
        "How many entries each bucket's chain holds.",
        "Remove `key`; return whether it was there.",
        "Return the value stored under `key`, or `default`.",
    ]


def _cells_notebook(tmp_path, cells) -> list:
    """A notebook file of ``cells``: markdown text, or (code, recorded output)."""
    import json

    from teachback.ingest.readers import load_sources

    def cell(c, i):
        if isinstance(c, str):
            return {"cell_type": "markdown", "metadata": {}, "source": c}
        src, out = c
        result = {"output_type": "execute_result", "execution_count": i, "metadata": {},
                  "data": {"text/plain": out}}  # fmt: skip
        return {"cell_type": "code", "metadata": {}, "execution_count": i, "source": src,
                "outputs": [result]}  # fmt: skip

    nb = {"cells": [cell(c, i) for i, c in enumerate(cells, 1)], "metadata": {},
          "nbformat": 4, "nbformat_minor": 5}  # fmt: skip
    path = tmp_path / "copies.ipynb"
    path.write_text(json.dumps(nb))
    return load_sources([str(path)]).documents


def test_of_a_run_of_cells_the_one_that_shows_the_point_is_asked_not_its_setup(tmp_path):
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.tests.sandbox_required import require_sandbox

    require_sandbox()
    docs = _cells_notebook(
        tmp_path,
        [
            "# Copies\n\nA shallow copy is a new list holding the same items: slicing makes "
            "one, so changing the copy leaves the original alone.",
            ("a = [1, 2, 3]\na", "[1, 2, 3]"),
            ("b = a[:]\nb[0] = 99\na, b", "([1, 2, 3], [99, 2, 3])"),
            "Notice that the original list still starts with 1.",
            ("len(a)", "3"),
        ],
    )
    c = ConceptDraft(name="shallow copy", definition="a new list holding the same items")
    Corpus.release()
    asked = [ex for ex in make_exercises(c, [c], docs) if ex.kind == "predict_output"]
    # the second cell makes the point (and needs the first, shown above it); the first is
    # its setup; the last cell follows other text, about something else
    assert [(ex.answer, ex.data["cells"]) for ex in asked] == [
        ("([1, 2, 3], [99, 2, 3])", ["a = [1, 2, 3]\na", "b = a[:]\nb[0] = 99\na, b"])
    ]
    assert asked[0].data["run"] == "reproduced"


SCHEDULE = '''"""Training settings and the learning-rate schedule."""
import math
import os

learning_rate = 6e-4  # max learning rate
warmup_iters = 2000
lr_decay_iters = 600000
min_lr = 6e-5


def get_lr(it):
    # 1) linear warmup
    if it < warmup_iters:
        return learning_rate * (it + 1) / (warmup_iters + 1)
    if it > lr_decay_iters:
        return min_lr
    decay_ratio = (it - warmup_iters) / (lr_decay_iters - warmup_iters)
    coeff = 0.5 * (1.0 + math.cos(math.pi * decay_ratio))
    return min_lr + coeff * (learning_rate - min_lr)


def checkpoint_path(it):
    if it > lr_decay_iters:
        return os.path.join("out", "final.pt")
    return os.path.join("out", f"ckpt{it}.pt")
'''


def test_a_small_function_of_module_constants_is_asked_at_the_edges_of_its_branches(tmp_path):
    from teachback.ingest.exercises.corpus import Corpus
    from teachback.ingest.readers import load_sources
    from teachback.tests.sandbox_required import require_sandbox

    require_sandbox()
    (tmp_path / "train.py").write_text(SCHEDULE)
    docs = load_sources([str(tmp_path / "train.py")]).documents
    c = ConceptDraft(name="train", kind="code")
    Corpus.release()
    kept, rejected = generate_checked(c, [c], docs)
    asked = [ex for ex in kept + rejected if ex.kind == "predict_output"]
    # its tests name 2000 and 600000: the schedule's peak and its floor. get_lr(2000)'s key
    # is what the function returns (no output is recorded for it); checkpoint_path reads the
    # file system's module: not asked
    assert [(ex.data["source"], ex.answer, ex.self_check.passed) for ex in asked] == [
        ("get_lr(2000)", "0.0006", True),
        ("get_lr(600000)", "6e-05", True),
    ]
    shown = asked[0].data["cells"]
    assert shown[0] == (
        "import math\nlearning_rate = 6e-4\nwarmup_iters = 2000\nlr_decay_iters = 600000\n"
        "min_lr = 6e-5"
    )
    assert "#" not in shown[1] and shown[1].startswith("def get_lr(it):")
    assert asked[0].data["run"] == "computed"


QUEUE_PY = '''"""A tiny priority queue."""


def _sift(q, i):
    """Move the item at i up until its parent is smaller."""
    while i and q[(i - 1) // 2] > q[i]:
        q[i], q[(i - 1) // 2] = q[(i - 1) // 2], q[i]
        i = (i - 1) // 2


def qpush(q, item):
    """Push item onto the queue, keeping the smallest first."""
    q.append(item)
    _sift(q, len(q) - 1)


def qpop(q):
    """Take the smallest item off the queue and return it."""
    return q.pop(0)


def qsize(q):
    """Count the entries waiting to be served."""
    return len(q)


def qclear(q):
    """Forget every entry waiting to be served."""
    q.clear()
'''


def test_options_are_public_names_the_curriculum_teaches_and_no_name_holds_the_task(tmp_path):
    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.exercises.kinds.which_function import inside_name
    from teachback.ingest.readers import load_sources

    (tmp_path / "queue.py").write_text(QUEUE_PY)
    docs = load_sources([str(tmp_path)]).documents
    concepts = extract_concepts(docs)
    assert "_sift" not in {c.name for c in concepts}
    options = set()
    asked = []
    for c in concepts:
        for ex in make_exercises(c, concepts, docs):
            if ex.kind in ("which_function", "function_purpose", "matching"):
                options |= {str(o) for o in ex.choices}
                if ex.kind == "which_function" and "variant" not in ex.data:
                    asked.append(ex.answer)
    # the private helper is neither an option nor a description among the options
    assert options and not any("_sift" in o or "parent is smaller" in o for o in options)
    # "Push item onto the queue" for qpush() beside qpop(), qsize(): the word "push" is only
    # in the right name, so that task is not asked; "Count the entries" is
    assert "qpush()" not in asked and "qsize()" in asked
    assert inside_name("Push item onto the queue", "qpush()", ["qpop()", "qsize()"]) == "push"
    assert inside_name("Push item onto the queue", "qpush()", ["qpushpop()"]) == ""
    # one other option of three holding it too leaves a coin toss
    assert inside_name("Push onto the queue", "qpush()", ["qpushpop()", "qsize()", "qpop()"])


def test_options_show_a_class_by_its_name_and_a_function_called():
    from teachback.ingest.exercises.corpus import CodeUnit
    from teachback.ingest.exercises.kinds.which_function import _name

    def unit(symbol, kind):
        return CodeUnit(0, symbol, kind, "", "", None)

    assert _name(unit("fractions.Fraction", "class")) == "Fraction"
    assert _name(unit("bisect.bisect_left", "function")) == "bisect_left()"
    assert _name(unit("hashkit.hashing", "module")) == "hashkit.hashing"


def test_code_shown_with_its_name_hidden_leaves_out_a_one_line_docstring_in_quotes():
    from teachback.ingest.exercises.kinds.which_code import shown_code

    code = 'def samples(self, n):\n    "Generate *n* samples."\n    return [0] * n\n'
    assert shown_code(code, "samples") == "def ___(self, n):\n    return [0] * n"
    # a string that opens the body but is not alone on its line stays
    code = 'def g(x):\n    "a".join(x)\n    return x\n'
    assert shown_code(code, "g") == 'def ___(x):\n    "a".join(x)\n    return x'
