"""In a real browser: a concept with nothing to practise is taught by its lesson on the Learn
page; "Got it" marks it read, the tutor goes on, and the Progress page shows it as read (not
mastered).

A real ``streamlit run app.py`` over a real SQLite file (the hand-built water curriculum with
Evaporation's exercises rejected and republished), headless Debian Chromium driven by
Playwright (``tests/e2e/conftest.py``). Screenshots go to ``tests/artifacts/read_*.png``.
"""

from __future__ import annotations

import re

import pytest

from teachback.tests.e2e.conftest import (  # noqa: F401 - clean_server_logs is a fixture
    StreamlitServer,
    chromium,
    clean_server_logs,
    new_page,
    require_chromium,
    screenshot,
)
from teachback.tutor.session_lesson import TERM_HIDDEN

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from teachback.curricula.db import open_db
    from teachback.curricula.publish import publish
    from teachback.tests.session_fixture import build_fixture_curriculum

    require_chromium()
    tmp = tmp_path_factory.mktemp("learn-read")
    db_path = tmp / "read.db"
    db = open_db(db_path)
    build_fixture_curriculum(db, publish=True)
    db.execute("update exercises set status = 'rejected' where concept_id = 'water/evaporation'")
    publish(db, "water", "instructor")
    db.close()
    server = StreamlitServer(db_path, tmp)
    server.start()
    yield server
    server.stop()


def tutor_at(db_path):
    from teachback.curricula.db import open_db
    from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

    db = open_db(db_path)
    return db, TutorSessions(db, sqlite_checkpointer(sessions_path(db_path)), prepare=False)


def test_a_lesson_with_nothing_to_practise_is_read_with_got_it(server):
    from teachback.curricula import accounts

    db, tutor = tutor_at(server.db_path)
    try:
        learner = accounts.create_user(db, "grace", "learner", display_name="Grace").id
        link = accounts.sign_in_link(accounts.issue_code(db, "grace"), server.base)
        # The placement question missed (a novice): the next step is Evaporation's lesson.
        first = tutor.current(learner, "water")
        lesson = tutor.answer(learner, "water", "no idea at all", step=first["step"])
        assert lesson["type"] == "lesson"
    finally:
        db.close()

    with chromium() as browser:
        page = new_page(browser)
        page.goto(link)
        got_it = page.get_by_role("button", name="Got it")
        got_it.wait_for()
        page.get_by_role("heading", name="Evaporation").first.wait_for()
        page.get_by_text(
            "Evaporation is the process by which liquid water turns into vapour", exact=False
        ).first.wait_for()
        page.get_by_text("There are no questions on this one", exact=False).wait_for()
        # no question asked (the missed placement question is shown in its feedback only)
        assert page.get_by_text(re.compile(r"^Question \d+$")).count() == 0
        assert page.get_by_role("button", name="Check answer").count() == 0
        page.get_by_text("Concepts mastered: 0/4", exact=False).wait_for()
        screenshot(page, "read_1_lesson")

        got_it.click()
        page.get_by_text(f"Question {lesson['step'] + 1}", exact=True).wait_for()
        # (the heading names the concept unless the question asks for that name)
        shown = re.compile(rf"^(Condensation|{TERM_HIDDEN})$")
        page.get_by_role("heading", name=shown).first.wait_for()
        page.get_by_text("Concepts done: 1/4 (0 mastered, 1 read)", exact=False).wait_for()
        page.get_by_role("button", name="Got it").wait_for(state="detached")  # stale ones go
        screenshot(page, "read_2_next_question")

        db, tutor = tutor_at(server.db_path)
        try:
            assert tutor.pending(learner, "water")["concept"]["name"] == "Condensation"
            marks = db.execute(
                "select count(*) from lesson_reads where learner_id = ?", [learner]
            ).fetchone()[0]
            assert marks == 1
        finally:
            db.close()

        page.get_by_role("link", name="Progress").click()
        page.get_by_text("Lessons read", exact=True).wait_for()
        page.get_by_text("The map as a list", exact=True).click()
        listing = page.get_by_test_id("stExpander").filter(has_text="The map as a list")
        listing.get_by_text("lesson read (nothing to practise)", exact=False).first.wait_for()
        assert "Evaporation" in listing.inner_text()
        screenshot(page, "read_3_progress")
