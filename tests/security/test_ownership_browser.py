"""Probe in a real browser: instructor Bob, signed in, opens Alice's curriculum in the web UI
and finds nothing to change it with (no edit forms, no publish button, no learners' data, not
offered for a class), then can edit it and start a class on it once Alice shares it with him.

A real ``streamlit run app.py`` over a real SQLite store and headless Debian Chromium
(Playwright), as in ``tests/e2e``; screenshots go to ``tests/artifacts/``.
"""

from __future__ import annotations

import pytest

from teachback.curricula import ownership
from teachback.curricula.db import open_db
from teachback.tests.e2e.conftest import (
    chromium,
    new_page,
    require_chromium,
    screenshot,
    serving,
)
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tests.signin import make_user, sign_in_browser

from .test_accounts import ada_answered

pytestmark = pytest.mark.browser


def test_another_instructor_gets_a_read_only_view_until_it_is_shared(tmp_path):
    from playwright.sync_api import expect

    require_chromium()
    db_path = tmp_path / "owners.db"
    db = open_db(db_path)
    build_fixture_curriculum(db, publish=True)
    make_user(db, "alice", "instructor", name="Alice")  # the first instructor: "water" is hers
    make_user(db, "bob", "instructor", name="Bob")
    ada_answered(db)
    before = db["concepts"].get("water/evaporation")["name"]
    db.close()

    expect.set_options(timeout=60_000)
    with serving(db_path, tmp_path) as server, chromium() as browser:
        page = new_page(browser)
        sign_in_browser(page, server.base, "bob")
        page.goto(server.base + "/editor")
        expect(page.get_by_role("heading", name="Curriculum editor").first).to_be_visible()
        expect(page.get_by_text("This curriculum belongs to Alice.")).to_be_visible()
        expect(page.get_by_role("combobox", name="Curriculum")).to_have_value(
            "The water cycle (fixture) (owned by Alice, read-only)"
        )
        # What it teaches is there to read (the concept list with definitions).
        expect(page.get_by_text("Evaporation is the process by which liquid water")).to_be_visible()
        assert page.get_by_role("button", name="Rename", exact=True).count() == 0
        assert page.get_by_label("New name", exact=True).count() == 0
        screenshot(page, "ownership_1_read_only_editor")

        page.goto(server.base + "/review")
        expect(page.get_by_text("This curriculum belongs to Alice.")).to_be_visible()
        assert page.get_by_role("button", name="Publish a new version").count() == 0

        page.goto(server.base + "/exports")
        expect(page.get_by_text("This curriculum belongs to Alice.")).to_be_visible()
        expect(page.get_by_role("button", name="JSON")).to_be_visible()
        assert page.get_by_role("button", name="Mastery (CSV)").count() == 0
        assert page.get_by_role("heading", name="Learners").count() == 0
        screenshot(page, "ownership_2_no_learner_export")

        # Nor is it offered for a class: the start form lists only his own curricula.
        page.goto(server.base + "/classroom")
        expect(page.get_by_text("None of the published curricula is yours")).to_be_visible()
        assert page.get_by_role("button", name="Start a class").count() == 0

        db = open_db(db_path)
        assert db["concepts"].get("water/evaporation")["name"] == before
        ownership.share(db, "water", "bob", who="alice")  # Alice lets him in
        db.close()

        page.goto(server.base + "/classroom")
        expect(page.get_by_role("button", name="Start a class")).to_be_visible()

        page.goto(server.base + "/editor")
        page.get_by_label("New name", exact=True).fill("Evaporating water")
        page.get_by_role("button", name="Rename", exact=True).click()
        expect(page.get_by_text("Renamed to Evaporating water.")).to_be_visible()
        screenshot(page, "ownership_3_shared_and_renamed")

    db = open_db(db_path)
    assert db["concepts"].get("water/evaporation")["name"] == "Evaporating water"
    assert [r["who"] for r in db.query("select who from edits")] == ["bob"]
    db.close()
