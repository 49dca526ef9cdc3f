"""In a real browser: teach first, then ask. A concept whose only question its lesson would
answer (which function is this?) is taught by its lesson as a step of its own, which says
its questions come afterwards; "Got it", and the question comes without the lesson.

A real ``streamlit run app.py`` over a real SQLite file (the hand-built water curriculum with
Evaporation's one question a which-function question, the others rejected), headless Debian
Chromium driven by Playwright (``tests/e2e/conftest.py``). Screenshots go to
``tests/artifacts/teach_first_*.png``.
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
from teachback.tutor.session_lesson import NAME_HIDDEN

pytestmark = pytest.mark.browser

LATER = "Read this lesson first, then mark it read: its questions come afterwards, without it."


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from teachback.curricula.db import open_db
    from teachback.tests.session_fixture import which_function_only

    require_chromium()
    tmp = tmp_path_factory.mktemp("teach-first")
    db_path = tmp / "teach.db"
    db = open_db(db_path)
    which_function_only(db)
    db.close()
    server = StreamlitServer(db_path, tmp)
    server.start()
    yield server
    server.stop()


def test_the_lesson_comes_first_as_a_step_and_the_question_after_it_without_it(server):
    from teachback.curricula import accounts
    from teachback.curricula.db import open_db

    db = open_db(server.db_path)
    try:
        accounts.create_user(db, "hedy", "learner", display_name="Hedy")
        link = accounts.sign_in_link(accounts.issue_code(db, "hedy"), server.base)
    finally:
        db.close()

    with chromium() as browser:
        page = new_page(browser)
        page.goto(link)
        page.get_by_text(LATER, exact=True).wait_for()
        page.get_by_role("heading", name="Evaporation").first.wait_for()
        page.get_by_text(
            "Evaporation is the process by which liquid water turns into vapour", exact=False
        ).first.wait_for()
        assert page.get_by_text(re.compile(r"^Question \d+$")).count() == 0
        screenshot(page, "teach_first_1_lesson")

        page.get_by_role("button", name="Got it").last.click()
        page.get_by_text(re.compile(r"^Question \d+$")).first.wait_for()
        page.get_by_role("heading", name=NAME_HIDDEN).first.wait_for()
        page.get_by_text(LATER, exact=True).wait_for(state="detached")
        main = page.get_by_test_id("stMain").inner_text()
        assert "Which function is this?" in main
        assert "Evaporation is the process" not in main  # the lesson would answer it
        screenshot(page, "teach_first_2_question")
