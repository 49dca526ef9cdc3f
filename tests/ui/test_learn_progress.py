"""The Learn page's progress words say what the terminal says: concepts done and how, never a
"lessons read" count that a learner takes for every lesson read."""

from teachback.cli.learn_cmd import progress_line
from teachback.ui.learn import progress_text


def test_concepts_learnt_by_reading_count_as_done_with_how():
    progress = {"mastered": 3, "read": 2, "total": 10, "answered": 7}
    assert progress_text(progress) == "Concepts done: 5/10 (3 mastered, 2 read) · answers given: 7"
    assert progress_line(progress) == "5/10 concepts done (3 mastered, 2 read)"


def test_only_mastery_when_nothing_was_learnt_by_reading():
    progress = {"mastered": 0, "read": 0, "total": 4, "answered": 0}
    assert progress_text(progress) == "Concepts mastered: 0/4 · answers given: 0"
