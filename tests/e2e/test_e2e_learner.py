"""End to end in a real browser: a new learner picks a curriculum, climbs the hint ladder and
asks for a second explanation, answers one exercise right and one wrong and sees both
feedbacks, reloads and is back at the same question (also after the server restarts), sees the
concept map on the progress page (units opened, the map as a list), and asks the tutor a
question whose quoted source holds a ``<script>`` that must not run. No Streamlit developer
chrome (Deploy button) shows, and the server log stays free of tracebacks and warnings
(``conftest.clean_server_logs``).

A real ``streamlit run app.py`` server on a free port, over a real SQLite file made by a real
ingest of the bundled samples (plus one note with a ``<script>`` tag); headless Debian Chromium
driven by Playwright (never ``playwright install``). Screenshots of each step go to
``tests/artifacts/learner_*.png``.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import pytest

from teachback.config import SAMPLES_DIR
from teachback.core.kinds import answer_form

from .conftest import (
    StreamlitServer,
    choose,
    chromium,
    new_page,
    pick,
    require_chromium,
    screenshot,
    to_question,
)

pytestmark = pytest.mark.browser

HOSTILE_NOTE = """# Tombstones

A tombstone is a marker left in a bucket when an entry is deleted from an open addressing table.

Lookups skip over a tombstone <script>window.__pwned = true; document.title = "pwned"</script>
and keep probing.
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from teachback.curricula.db import open_db
    from teachback.curricula.publish import publish
    from teachback.ingest.pipeline import run_ingest
    from teachback.tests.session_fixture import build_fixture_curriculum

    require_chromium()
    tmp = tmp_path_factory.mktemp("learner-e2e")
    note = tmp / "tombstones.md"
    note.write_text(HOSTILE_NOTE, encoding="utf-8")
    db_path = tmp / "e2e.db"
    db = open_db(db_path)
    summary = run_ingest(db, [SAMPLES_DIR, note], curriculum="sample")
    assert summary.concepts > 0 and summary.exercises_kept > 0, summary
    publish(db, "sample", "e2e")  # learners see published versions only
    build_fixture_curriculum(db, "draft-water")  # a draft: not offered to learners
    db.close()
    server = StreamlitServer(db_path, tmp)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def page(server):
    with chromium() as browser:
        yield new_page(browser)


def shot(page, name: str) -> None:
    screenshot(page, f"learner_{name}")


def pending(db_path: Path, learner: str) -> dict:
    """What the server's tutor is waiting on, read from its checkpoint file (read-only)."""
    from teachback.curricula.db import open_db
    from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

    db = open_db(db_path)
    try:
        return TutorSessions(db, sqlite_checkpointer(sessions_path(db_path))).pending(
            learner, "sample"
        )
    finally:
        db.close()


def key_of(db_path: Path, exercise_id: str):
    from teachback.curricula.db import open_db

    db = open_db(db_path)
    try:
        row = db.execute("select answer from exercises where id = ?", [exercise_id]).fetchone()
        return json.loads(row[0])
    finally:
        db.close()


def _wait_step(db_path: Path, learner: str, step: int, timeout: float = 30) -> None:
    """Until the server's tutor has moved past ``step``."""
    deadline = time.monotonic() + timeout
    while (pending(db_path, learner) or {}).get("step") == step:
        if time.monotonic() > deadline:
            raise AssertionError(f"the tutor did not move past step {step}")
        time.sleep(0.2)


def concept_definition(db_path: Path, payload: dict) -> str:
    from teachback.curricula.db import open_db

    db = open_db(db_path)
    try:
        row = db.execute(
            "select definition from concepts where id = ?", [payload["concept"]["id"]]
        ).fetchone()
        return row[0]
    finally:
        db.close()


def wait_for_question(page, n: int):
    page.get_by_text(f"Question {n}", exact=True).wait_for()


def answer(page, exercise: dict, value) -> None:
    """Fill the exercise's widget with ``value`` (the key, or something wrong) and submit."""
    from teachback.tutor.answers import answer_text

    kind = exercise["kind"]
    if kind == "write_code":  # an editor and a Submit button, not a form
        page.locator("[class*='st-key-code_'] textarea").last.fill(answer_text(value))
        page.get_by_role("button", name="Submit").click()
        return
    form = page.get_by_test_id("stForm").last
    if answer_form(kind, bool(exercise["choices"])) == "choice":
        pick(form, exercise["choices"].index(answer_text(value)))
    elif kind == "ordering":
        for i, item in enumerate(value):
            choose(page, f"Position {i + 1}", item)
    elif kind == "matching":
        for pair in value:
            left, right = (p.strip() for p in str(pair).split("=>", 1))
            choose(page, left, right)
    else:
        form.get_by_label("Your answer").fill(answer_text(value))
    form.get_by_role("button", name="Check answer").click()


def wrong_value(exercise: dict, key):
    from teachback.tutor.answers import answer_text

    if answer_form(exercise["kind"], bool(exercise["choices"])) == "choice":
        return next(c for c in exercise["choices"] if c != answer_text(key))
    if exercise["kind"] == "ordering":
        return list(reversed(key))
    if exercise["kind"] == "matching":
        lefts = [str(p).split("=>")[0].strip() for p in key]
        rights = [str(p).split("=>", 1)[1].strip() for p in key]
        return [f"{a} => {b}" for a, b in zip(lefts, rights[1:] + rights[:1], strict=True)]
    return "I really have no idea about this"


def test_a_new_learner_learns_reloads_and_sees_progress(server, page):
    from teachback.curricula import accounts
    from teachback.curricula.db import open_db

    base, db_path = server.base, server.db_path
    db = open_db(db_path)
    learner = accounts.create_user(db, "grace", "learner", display_name="Grace Hopper").id
    link = accounts.sign_in_link(accounts.issue_code(db, "grace"), base)
    db.close()
    page.goto(base)
    page.get_by_test_id("stAppViewContainer").wait_for()
    page.get_by_role("heading", name="Sign in to teachback").first.wait_for()
    assert page.get_by_role("link", name="Progress").count() == 0  # nothing before signing in
    shot(page, "1_sign_in")

    # The one-time link an instructor handed out signs Grace in; the only published
    # curriculum is hers to learn (the draft is not offered, only announced).
    page.goto(link)
    s1 = to_question(page)  # past any lesson with nothing to ask, read on the way
    assert "code=" not in page.url
    page.get_by_text("1 more curriculum is being prepared", exact=False).wait_for()
    assert page.get_by_text("fixture", exact=False).count() == 0
    first = pending(db_path, learner)
    assert first["type"] == "exercise" and first["step"] == s1
    expect_progress = f"Concepts mastered: 0/{first['progress']['total']}"
    page.get_by_text(expect_progress, exact=False).wait_for()  # one, once the page settles
    shot(page, "2_first_question")

    assert page.get_by_test_id("stAppDeployButton").count() == 0  # production: no Deploy
    assert page.get_by_text("Deploy", exact=True).count() == 0

    # Help before answering: two rungs of the hint ladder, neither giving the key away nor
    # repeating the question, then the concept again in other words.
    page.get_by_role("button", name="Stuck? Get a hint").click()
    page.get_by_text("Hint 1 of 3: Where to look", exact=True).wait_for()
    page.get_by_role("button", name="Another hint (2 of 3)").click()
    page.get_by_text("Hint 2 of 3: A narrower cue", exact=True).wait_for()
    hints_text = [page.locator(f".st-key-hint_text_{s1}_{i}").inner_text() for i in (0, 1)]
    assert hints_text[0] != hints_text[1]
    first_key = key_of(db_path, first["exercise"]["id"])
    if isinstance(first_key, str) and len(first_key) >= 3:
        assert all(first_key.lower() not in h.lower() for h in hints_text), (first_key, hints_text)
    assert "What belongs in the gap" not in " ".join(hints_text)
    page.get_by_role("button", name="Explain it another way").click()
    page.get_by_text("In other words", exact=True).wait_for()
    page.get_by_text("Hint 2 of 3: A narrower cue", exact=True).wait_for()  # hints stay
    assert page.get_by_role("button", name="Another hint (3 of 3)").count() == 1
    shot(page, "2b_hint_ladder_and_explanation")

    # Right answer: a "Correct" box and the passage to reread.
    answer(page, first["exercise"], key_of(db_path, first["exercise"]["id"]))
    wait_for_question(page, s1 + 1)
    success = page.get_by_test_id("stAlertContentSuccess")
    success.wait_for()
    assert success.inner_text().startswith("Correct")
    assert page.get_by_text("Reread:", exact=False).count() >= 1
    shot(page, "3_right_answer_feedback")

    # Wrong answer: a "Not quite" box with the right answer shown.
    second = pending(db_path, learner)
    assert second["step"] == s1 + 1
    key = key_of(db_path, second["exercise"]["id"])
    answer(page, second["exercise"], wrong_value(second["exercise"], key))
    wait_for_question(page, s1 + 2)
    error = page.get_by_test_id("stAlertContentError")
    error.wait_for()
    assert error.inner_text().startswith("Not quite")
    assert page.get_by_text("Answer:", exact=False).count() >= 1
    shot(page, "4_wrong_answer_feedback")

    # Reload: the same learner, the same question, nothing counted twice.
    third = pending(db_path, learner)
    assert "learner=" not in page.url  # who she is lives in the store, not the address
    page.reload()
    wait_for_question(page, s1 + 2)
    prompt = third["exercise"]["prompt"].split("\n")[0][:40]
    assert prompt.strip()
    assert pending(db_path, learner) == third
    shot(page, "5_after_reload")
    db = open_db(db_path)
    hints = db.execute(
        "select hints from attempts where learner_id = ? order by id", [learner]
    ).fetchall()
    assert [h[0] for h in hints] == [2, 0]  # two attempts; the hints are on the first's record
    db.close()

    # The server restarts (a deploy, a crash): the learner is still at the same question.
    server.restart()
    page.reload()
    wait_for_question(page, s1 + 2)
    assert pending(db_path, learner) == third
    shot(page, "6_after_server_restart")

    # Progress: the concept map, units closed (fits one screen), then opened; the frontier in
    # words; the map as a list; no raw timestamps.
    page.get_by_role("link", name="Progress").click()
    page.get_by_text("Ready to learn next:", exact=False).wait_for()
    concept_map = page.get_by_test_id("stVegaLiteChart").first
    concept_map.locator("canvas, svg").first.wait_for()
    box = concept_map.bounding_box()
    assert box is not None and box["height"] < 1000  # every unit closed: one screen
    assert page.get_by_text("Concepts mastered").count() >= 1
    assert page.get_by_text(re.compile(r"\d{4}-\d\d-\d\dT")).count() == 0  # no ISO times
    # (drawn after the charts above it: waited for, not counted at once, on a slow machine)
    last_answer = re.compile(r"Last answer: (just now|\d+ (seconds|minutes?) ago|a minute ago)")
    page.get_by_text(last_answer).first.wait_for()
    assert page.get_by_text(last_answer).count() == 1
    shot(page, "7_progress")
    page.get_by_role("button", name="Open all").click()
    page.get_by_role("button", name="Close all").wait_for()
    deadline = time.monotonic() + 30  # the chart redraws after the button
    while page.get_by_test_id("stVegaLiteChart").first.bounding_box()["height"] <= box["height"]:
        assert time.monotonic() < deadline, "opening the units did not grow the map"
        time.sleep(0.3)
    shot(page, "7b_progress_units_open")
    page.get_by_text("The map as a list", exact=True).click()
    listing = page.get_by_test_id("stExpander").filter(has_text="The map as a list")
    listing.get_by_text("ready to learn", exact=False).first.wait_for()
    assert "src-" not in listing.inner_text() and "__init__" not in listing.inner_text()
    shot(page, "7c_progress_map_as_list")

    # Ask: quoted sources; a <script> in a source is shown as text and never runs.
    page.get_by_role("link", name="Ask").click()
    page.get_by_label("Your question").fill("What does a lookup do at a tombstone?")
    page.get_by_role("button", name="Ask").click()
    page.get_by_text("You asked:", exact=False).wait_for()
    quote = page.locator("blockquote").filter(has_text="keep probing").first
    quote.wait_for()
    shot(page, "8_ask")
    assert page.evaluate("window.__pwned === undefined")
    assert page.title() != "pwned"
    assert page.locator("[data-testid='stMarkdown'] script").count() == 0
    body = page.get_by_test_id("stMain").inner_text()
    assert re.search(r"tombstone", body, re.I)
    # Shown as text: either the tag's literal characters or nothing of it, never a script.
    assert "__pwned" in quote.inner_text() or "<script>" not in quote.inner_html()
