"""Write the code in a real browser: the editor starts with the function's signature and
docstring; a wrong body is run (the failing case shown: the call, expected, got), submitted and
graded partly right; a right body runs clean and is graded correct.

A real ``streamlit run app.py`` over a real SQLite file holding the real write-the-code
exercise of the bundled sample (made and verified in the real sandbox), headless Debian
Chromium driven by Playwright. Screenshots go to ``tests/artifacts/write_code_*.png``."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from teachback.tests.sandbox_required import require_sandbox
from teachback.tests.signin import make_user, sign_in_browser
from teachback.tests.write_code_curriculum import BODY_LINE, RIGHT, WRONG, build

from .conftest import StreamlitServer, chromium, new_page, require_chromium, screenshot

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from teachback.curricula.db import open_db

    require_chromium()
    require_sandbox()
    tmp = tmp_path_factory.mktemp("write-code")
    db_path = tmp / "code.db"
    db = open_db(db_path)
    build(db)
    make_user(db, "ada", name="Ada")
    make_user(db, "bea", name="Bea")  # a learner of her own: her answers leave Ada's course alone
    db.close()
    server = StreamlitServer(db_path, tmp)
    server.start()
    yield server
    server.stop()


def _editor(page, step: int):
    return page.locator(f".st-key-code_{step} textarea")


def test_the_lesson_above_the_editor_shows_the_signature_not_the_body(server):
    with chromium() as browser:
        page = new_page(browser)
        sign_in_browser(page, server.base, "bea")
        page.get_by_text("Question 1", exact=True).wait_for()
        # Question 1 is a placement check: asked without the lesson, which would answer it.
        expect(page.get_by_text("placement check", exact=False).first).to_be_visible()
        lessons = page.get_by_test_id("stCode").filter(has_text="the body is left out")
        assert lessons.count() == 0
        editor = _editor(page, 1)
        expect(editor).to_have_value(re.compile(r"^def bucket_index\("), timeout=60_000)
        editor.fill(WRONG)
        page.get_by_role("button", name="Submit").click()
        # Missed: the course teaches from its start, the lesson above the editor.
        page.get_by_text("Question 2", exact=True).wait_for()
        lesson = lessons.first
        lesson.wait_for()
        shown = lesson.inner_text()
        assert shown.startswith("def bucket_index(key: str, capacity: int) -> int:")
        assert shown.rstrip().endswith("...  # the body is left out: you write it in an exercise")
        page.get_by_text("Sources for this lesson").click()
        sources = page.get_by_test_id("stExpander").filter(has_text="Sources for this lesson")
        expect(sources.first).to_contain_text("Reduce the hash of")  # signature and docstring
        assert BODY_LINE not in sources.first.inner_text()
        assert "capacity must be positive" not in sources.first.inner_text()
        screenshot(page, "write_code_0_lesson")


def test_write_run_and_submit_a_wrong_then_a_right_body(server):
    with chromium() as browser:
        page = new_page(browser)
        sign_in_browser(page, server.base, "ada")
        page.get_by_text("Question 1", exact=True).wait_for()
        editor = _editor(page, 1)
        expect(editor).to_have_value(
            re.compile(r"^def bucket_index\(key: str, capacity: int\)"), timeout=60_000
        )
        assert '>>> bucket_index("apple", 8)' in editor.input_value()
        screenshot(page, "write_code_1_editor")

        editor.fill(WRONG)
        page.get_by_role("button", name="Run checks").click()
        page.get_by_text("1 of 2 checks pass.", exact=False).first.wait_for()
        failing = page.get_by_test_id("stText").filter(has_text="expected: 7")
        assert failing.inner_text() == "expected: 7\ngot:      3"
        screenshot(page, "write_code_2_run_wrong")
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Question 2", exact=True).wait_for()
        warning = page.get_by_test_id("stAlertContentWarning").first
        warning.wait_for()
        assert warning.inner_text().startswith("Partly right (50%)")
        assert 'bucket_index("apple", 8) \u2014 expected 7, got 3' in warning.inner_text()
        warning.scroll_into_view_if_needed()
        screenshot(page, "write_code_2b_feedback")

        editor = _editor(page, 2)
        editor.fill(RIGHT)
        page.get_by_role("button", name="Run checks").click()
        page.get_by_text("All 2 checks pass.", exact=True).wait_for()
        screenshot(page, "write_code_3_run_right")
        page.get_by_role("button", name="Submit").click()
        page.get_by_text("Question 3", exact=True).wait_for()
        success = page.get_by_test_id("stAlertContentSuccess").first
        success.wait_for()
        assert success.inner_text().startswith("Correct")
        screenshot(page, "write_code_4_correct")
