"""What an essay's title names is taught there, even where the body takes it up only in
part."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.concepts import extract_concepts
from teachback.ingest.lessons import write_lesson
from teachback.ingest.readers import read_bytes

# One paragraph a line, as the shared articles are written.
ESSAY = """Ada: The Tide Clock Puzzle \u2014 Two Towns Reading One Sea
Two harbours. Two keepers reading the same water every morning at dawn, with the same \
instruments, the same care and the same old logbooks on the same kind of desk.
The keeper in the north swears the sea rises late; the keeper in the south swears it rises \
early. Both write it down. Neither one is wrong, and the puzzle is why.
Ada looked at both logbooks and found that each town sets its clock by its own church bell, \
which nobody in either town had ever thought to check against the other one.
Bells and Noon
The northern bell rings at local noon, the southern one by the railway timetable that the \
station master pins to the door of the waiting room every Monday morning.
A bell is only as good as the sun it follows, and the two towns follow different suns: one \
the sun over the harbour, the other the sun over the capital, two hundred miles east.
Charts of the Sea
Nobody reads a harbour chart for fun. Sailors trust the one they know, and the one they \
know is the one their town prints. Every chart prints its own times, in its own bell's hours.
Closing the Gap
In the end the keepers agreed to write down the railway time beside their own, so that \
anyone reading both logbooks later could line the two columns up without a bell at all.
"""

NOTEBOOK_LIKE = """# Combining Tables: Joins and Keys

Combining tables is what a join does, by matching keys between rows of both tables.

```python
left.join(right)
```

## Inner Joins

An inner join keeps the rows whose keys are in both tables.

## Outer Joins

An outer join keeps the rows whose keys are in either table.
"""


def _concepts(tmp_path, name: str, text: str) -> dict[str, ConceptDraft]:
    doc = read_bytes(str(tmp_path / name), text.encode())
    return {c.name.lower(): c for c in extract_concepts([doc])}, doc


def test_an_essays_title_names_the_topic_its_sections_build(tmp_path):
    concepts, doc = _concepts(tmp_path, "tides.txt", ESSAY)
    assert "tide clock puzzle" in concepts
    assert "ada" not in concepts  # the person the title opens with
    puzzle = concepts["tide clock puzzle"]
    assert puzzle.definition == ""  # "Two harbours." sets a scene, it says nothing yet
    lesson = write_lesson(puzzle, [doc]).text
    # the title and its subtitle are one heading about the concept: the lesson is its opening
    assert "Neither one is wrong, and the puzzle is why." in lesson
    assert "railway timetable" not in lesson  # the next section is another lesson


def test_a_tutorials_title_is_not_a_concept_by_itself(tmp_path):
    concepts, _ = _concepts(tmp_path, "joins.md", NOTEBOOK_LIKE)
    assert "combining table" not in concepts and "combining tables" not in concepts
