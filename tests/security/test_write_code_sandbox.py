"""A learner's code for a write-the-code exercise is untrusted: it runs in the sandbox and
whatever it tries is contained, reported as a failing check, and the machine is unharmed.

Real bubblewrap, real processes, the bundled sample's ``fnv1a`` exercise; skipped only where
bubblewrap cannot start (a failure under TEACHBACK_STRICT=1, as ``make test`` runs)."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from teachback.engine.protocol import ConceptDraft, GradeRequest
from teachback.ingest.exercises import generate_checked
from teachback.ingest.readers import load_sources
from teachback.tests.sandbox_required import require_sandbox
from teachback.tutor.grading import grade

HASHKIT = Path(__file__).resolve().parents[2] / "data" / "samples" / "hashkit"


@pytest.fixture(autouse=True)
def sandbox_here():
    require_sandbox()


@pytest.fixture(scope="module")
def exercise():
    docs = load_sources([str(HASHKIT)]).documents
    concept = ConceptDraft(name="hashkit.hashing.fnv1a", kind="code")
    kept, _ = generate_checked(concept, [concept], docs)
    (ex,) = [x for x in kept if x.kind == "write_code"]
    return ex


def _grade(exercise, body: str):
    started = time.monotonic()
    result = grade(GradeRequest(question="", reference="", answer=body, exercise=exercise))
    return result, time.monotonic() - started


def _first_failure(feedback: str) -> str:
    return feedback.split("First failing: ", 1)[1]


def test_no_network(exercise):
    body = "import socket\nsocket.create_connection(('1.1.1.1', 80), timeout=2)\nreturn 0"
    result, _ = _grade(exercise, body)
    assert result.verdict == "incorrect"
    assert "got OSError: [Errno 101] Network is unreachable" in _first_failure(result.feedback)


def test_no_writes_outside_the_scratch_folder(exercise, tmp_path):
    target = tmp_path / "escaped.txt"
    result, _ = _grade(exercise, f"open({str(target)!r}, 'w').write('x')\nreturn 0")
    assert result.verdict == "incorrect"
    assert not target.exists()
    home = Path.home() / "teachback-escaped.txt"
    _grade(exercise, f"open({str(home)!r}, 'w').write('x')\nreturn 0")
    assert not home.exists()


def test_an_infinite_loop_is_stopped(exercise):
    result, seconds = _grade(exercise, "while True:\n    pass")
    assert result.verdict == "incorrect"
    assert _first_failure(result.feedback).startswith(
        'fnv1a("") \u2014 expected 14695981039346656037, got it took too long (stopped)'
    )
    assert seconds < 25


def test_a_loop_that_swallows_the_alarm_is_killed(exercise):
    body = "while True:\n    try:\n        while True:\n            pass\n"
    body += "    except BaseException:\n        pass"
    result, seconds = _grade(exercise, body)
    assert result.verdict == "incorrect"
    assert "took too long" in result.feedback
    assert seconds < 30


def test_a_fork_bomb_cannot_start_a_process(exercise):
    body = "import os\nwhile True:\n    os.fork()\n"
    result, seconds = _grade(exercise, body)
    assert result.verdict == "incorrect"
    assert "got BlockingIOError: [Errno 11] Resource temporarily unavailable" in result.feedback
    assert seconds < 25
    body = "import subprocess\nsubprocess.run(['/bin/true'])\nreturn 0"
    result, _ = _grade(exercise, body)
    assert "got BlockingIOError: [Errno 11] Resource temporarily unavailable" in result.feedback


def test_huge_memory_is_refused(exercise):
    result, _ = _grade(exercise, "data = bytearray(8 * 1024 ** 3)\nreturn 0")
    assert result.verdict == "incorrect"
    assert "got MemoryError" in _first_failure(result.feedback)


def test_exiting_the_worker_is_a_failed_check(exercise):
    result, _ = _grade(exercise, "import os\nos._exit(0)")
    assert result.verdict == "incorrect"
    assert result.score == 0.0
