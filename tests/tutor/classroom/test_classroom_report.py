"""The end-of-session report: a CSV with one row per learner and a page whose names are text."""

import csv
import io
import re

import pytest

from teachback.tutor.attempts import AttemptEvent, record_attempt
from teachback.tutor.classroom import controls, report, sessions
from teachback.tutor.classroom.sessions import Caller, NotAllowed

GRACE = Caller.instructor("grace")
HOSTILE = "<script>alert(1)</script>"


def test_report_csv_and_page(klass):
    db, s = klass
    ada = sessions.join(db, s.code, "Ada")
    bad = sessions.join(db, s.code, HOSTILE)
    for n, ok in enumerate([True, True, False, True]):
        record_attempt(db, AttemptEvent(event_id=f"a{n}", learner_id=ada.learner_id,
                                        curriculum_id="water", exercise_id="x",
                                        concept_id="water/evaporation", correct=ok))  # fmt: skip
    record_attempt(db, AttemptEvent(event_id="b0", learner_id=bad.learner_id,
                                    curriculum_id="water", exercise_id="x",
                                    concept_id="water/condensation", correct=False))  # fmt: skip
    controls.end(db, s.id, GRACE)
    with pytest.raises(NotAllowed):
        report.session_report(db, s.id, Caller.learner(ada.learner_id))
    rep = report.session_report(db, s.id, GRACE)

    rows = list(csv.DictReader(io.StringIO(rep["csv"])))
    assert [r["learner"] for r in rows] == ["Ada", HOSTILE]  # a CSV holds the name as written
    assert (rows[0]["answers"], rows[0]["correct"], rows[0]["accuracy"]) == ("4", "3", "0.75")
    assert rows[0]["position"] == "Evaporation" and rows[1]["position"] == "Condensation"
    assert rows[0]["of"] == "4"
    assert list(rows[0]) == report.CSV_FIELDS

    page = rep["html"]
    assert HOSTILE not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("<svg") == 2 and "ended" in page
    assert "<h1>Class report: The water cycle (fixture)</h1>" in page
    assert re.search(r"\d{4}-\d\d-\d\dT\d\d", page) is None  # dates as people write them
    assert re.search(r"started \d{1,2} [A-Z][a-z]{2} \d{4}, \d\d:\d\d UTC", page)
    units = page.split("<h2>Class mastery by unit")[1].split("</svg>")[0]
    assert "Water rises" in units and "Water comes down" in units  # units, not 4 concept bars
    assert "<h2>Concepts, hardest first</h2>" in page
    by_concept = {r["concept"]: r for r in rep["concepts"]}
    assert list(by_concept) == ["Evaporation", "Condensation", "Precipitation", "Runoff"]
    assert by_concept["Evaporation"]["mean_mastery"] > by_concept["Runoff"]["mean_mastery"]
