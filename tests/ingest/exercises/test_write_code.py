"""Write-the-code exercises: made from real Python sources, verified and graded in the real
sandbox (bubblewrap). Skipped only where bubblewrap cannot start, a failure under
TEACHBACK_STRICT=1 (as ``make test`` runs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from teachback import code_checks, sandbox
from teachback.engine.protocol import ConceptDraft, GradeRequest
from teachback.ingest.exercises import generate_checked
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.readers import load_sources
from teachback.tests.sandbox_required import require_sandbox
from teachback.tutor.grading import grade

ROOT = Path(__file__).resolve().parents[3]
HASHKIT = ROOT / "data" / "samples" / "hashkit"

CLEAN = '''"""Text helpers."""


def slug(text):
    """Lower-case words joined by dashes.

    >>> slug("Hello World")
    'hello-world'
    """
    words = text.lower().split()
    return "-".join(words)


def shout(text):
    """The text in capitals with an exclamation mark."""
    loud = text.upper()
    return loud + "!"


def count_vowels(text):
    """How many vowels the text has."""
    n = 0
    for ch in text.lower():
        n += ch in "aeiou"
    return n
'''

TESTS = """from textkit.clean import count_vowels, shout


def test_shout():
    assert shout("hi") == "HI!"


def test_vowels():
    assert count_vowels("banana") == 3
    assert count_vowels("") == 0
"""


@pytest.fixture(autouse=True)
def sandbox_here():
    require_sandbox()


def _write_code(docs, symbol):
    concept = ConceptDraft(name=symbol, kind="code")
    kept, rejected = generate_checked(concept, [concept], docs)
    mine = [x for x in kept + rejected if x.kind == "write_code" and x.data["symbol"] == symbol]
    assert len(mine) == 1, [x.kind for x in kept + rejected]
    return mine[0], mine[0] in kept


def _grade(exercise, answer):
    return grade(GradeRequest(question="", reference="", answer=answer, exercise=exercise))


@pytest.fixture(scope="module")
def hashkit_docs():
    return load_sources([str(HASHKIT)]).documents


def test_a_documented_function_becomes_an_exercise_checked_by_its_doctests(hashkit_docs):
    ex, kept = _write_code(hashkit_docs, "hashkit.hashing.fnv1a")
    assert kept, ex.self_check.reasons
    assert ex.data["run"] == "verified"
    assert ex.data["checks"] == ["the examples in the docstring of `fnv1a`"]
    assert ex.data["cases"] == 3
    assert ex.answer.startswith("def fnv1a(key: str) -> int:")
    # the body is hidden, the constants it uses are shown, the starter is signature + docstring
    assert "value ^= byte" not in ex.prompt
    assert "FNV_PRIME = 0x100000001B3" in ex.prompt
    assert ex.data["stub"].endswith(
        '    >>> fnv1a("user1") == fnv1a("user2")\n    False\n    """\n    ...\n'
    )


def test_rejections_say_why(hashkit_docs):
    one_line, kept = _write_code(hashkit_docs, "hashkit.hashing.load_factor")
    assert not kept
    assert one_line.self_check.reasons == [
        "unanswerable: its body is 1 line: nothing worth writing (support 0.00)"
    ]
    untested, kept = _write_code(hashkit_docs, "hashkit.probing.LinearProbingTable.probe_length")
    assert not kept
    assert untested.self_check.reasons == [
        "unanswerable: no doctest or test in the sources calls it (support 0.00)"
    ]


def test_grading_runs_the_checks_and_names_the_first_failing_case(hashkit_docs):
    ex, _ = _write_code(hashkit_docs, "hashkit.hashing.bucket_index")
    right = _grade(
        ex,
        "    if capacity <= 0:\n        raise ValueError('no')\n    return fnv1a(key) % capacity",
    )
    assert (right.verdict, right.score) == ("correct", 1.0)
    assert right.feedback == "Correct. All 2 checks pass."
    wrong = _grade(ex, "def bucket_index(key, capacity):\n    return 3")
    assert (wrong.verdict, wrong.score) == ("partly", 0.5)
    assert wrong.feedback == (
        'Partly right. 1 of 2 checks pass. First failing: bucket_index("apple", 8) \u2014 '
        "expected 7, got 3 (from the examples in the docstring of bucket_index)."
    )
    empty = _grade(ex, ex.data["stub"].replace("...", "pass"))
    assert (empty.verdict, empty.score) == ("incorrect", 0.0)
    broken = _grade(ex, "return (")
    assert broken.verdict == "incorrect"
    assert broken.feedback.startswith("Not quite. Your code does not parse:")


def test_a_method_is_checked_with_its_class_and_the_examples_that_call_it(hashkit_docs):
    ex, kept = _write_code(hashkit_docs, "hashkit.chaining.ChainedHashTable.delete")
    assert kept, ex.self_check.reasons
    assert "class ChainedHashTable:" in ex.prompt and "def _chain(self, key: str)" in ex.prompt
    body = (
        "chain = self._chain(key)\n"
        "for i, (k, _) in enumerate(chain):\n"
        "    if k == key:\n"
        "        del chain[i]\n"
        "        self._size -= 1\n"
        "        return True\n"
        "return False\n"
    )
    assert _grade(ex, body).verdict == "correct"
    forgets_size = body.replace("        self._size -= 1\n", "")
    assert _grade(ex, forgets_size).verdict == "correct"  # its doctest does not look at len()
    always_true = "self._chain(key).clear()\nreturn True"
    assert _grade(ex, always_true).verdict != "correct"


def test_tests_among_the_sources_check_the_function(tmp_path):
    pkg = tmp_path / "textkit"
    (pkg / "tests").mkdir(parents=True)
    (pkg / "__init__.py").write_text('"""Text kit."""\n')
    (pkg / "clean.py").write_text(CLEAN)
    (pkg / "tests" / "test_clean.py").write_text(TESTS)
    docs = load_sources([str(pkg)], include=["tests/**"]).documents
    ex, kept = _write_code(docs, "textkit.clean.count_vowels")
    assert kept, ex.self_check.reasons
    assert ex.data["checks"] == ["the test `test_vowels` in `test_clean.py`"]
    wrong = _grade(ex, "return 1")
    assert wrong.verdict == "incorrect"
    assert wrong.feedback == (
        "Not quite. 0 of 1 checks pass. First failing: count_vowels('banana') \u2014 expected 3, "
        "got 1 (from the test test_vowels in test_clean.py)."
    )
    right = _grade(ex, "return sum(c in 'aeiou' for c in text.lower())")
    assert right.verdict == "correct"
    shout, kept = _write_code(docs, "textkit.clean.shout")
    assert kept
    bad = _grade(shout, "return text + '!'")
    assert bad.feedback == (
        "Not quite. 0 of 1 checks pass. First failing: shout('hi') \u2014 expected 'HI!', "
        "got 'hi!' (from the test test_shout in test_clean.py)."
    )


def test_without_a_sandbox_nothing_is_kept_and_nothing_runs(monkeypatch):
    monkeypatch.setattr(sandbox, "available", lambda: "bubblewrap is not installed")
    monkeypatch.setattr(sandbox, "run_programs", lambda *a, **k: pytest.fail("ran code"))
    docs = load_sources([str(HASHKIT)]).documents
    corpus = Corpus.of(docs)  # (cached by content: its plan is dropped before and after)
    corpus.__dict__.pop("_write_code_plan", None)
    try:
        ex, kept = _write_code(docs, "hashkit.hashing.fnv1a")
    finally:
        corpus.__dict__.pop("_write_code_plan", None)
    assert not kept
    assert ex.self_check.reasons == [
        "unanswerable: no sandbox to run its checks here (bubblewrap is not installed) "
        "(support 0.00)"
    ]
    graded = _grade(ex.model_copy(update={"data": {**ex.data, "suite": {"checks": []}}}), "x")
    assert graded.feedback == (
        "Not quite. Code cannot be run safely on this machine (bubblewrap is not installed), "
        "so it was not checked."
    )


def test_learner_code_replaces_the_function_keeping_its_place():
    text = "class A:\n    @property\n    def x(self):\n        return 1\n\n    def y(self):\n"
    new = code_checks.substitute(text + "        return 2\n", "A.x", "def x(self):\n    return 5")
    assert new == text.replace("return 1", "return 5") + "        return 2\n"


def test_only_so_many_functions_are_verified_per_set_of_sources(monkeypatch):
    from teachback.ingest.exercises.kinds.write_code import verification

    monkeypatch.setattr(verification, "MAX_VERIFIED", 1)
    corpus = Corpus.of(load_sources([str(HASHKIT)]).documents)
    corpus.__dict__.pop("_write_code_plan", None)
    try:
        plan = verification.plan(corpus)
    finally:
        corpus.__dict__.pop("_write_code_plan", None)
    verified = [k[1] for k, v in plan.items() if not v.get("problem")]
    capped = [k[1] for k, v in plan.items() if str(v.get("problem")).startswith("not verified")]
    assert verified == ["hashkit.chaining.ChainedHashTable.put"]
    assert capped == [
        "hashkit.chaining.ChainedHashTable.get",
        "hashkit.chaining.ChainedHashTable.delete",
        "hashkit.hashing.fnv1a",
        "hashkit.hashing.bucket_index",
        "hashkit.probing.LinearProbingTable._probe",
        "hashkit.probing.LinearProbingTable.put",
        "hashkit.probing.LinearProbingTable.get",
        "hashkit.probing.LinearProbingTable.delete",
    ]
