"""End to end in a real browser: an instructor signs in, renames a concept, rejects an exercise,
publishes, and a learner then sees the change.

A real ``streamlit run app.py`` server on a free port over a real SQLite file made by a real
ingest of the bundled sample article; headless Debian Chromium driven by Playwright (never
``playwright install``). Screenshots of each step go to ``tests/artifacts/``.
"""

from __future__ import annotations

import contextlib
import re
import time
from pathlib import Path

import pytest

from teachback.config import SAMPLES_DIR
from teachback.tests.signin import PASSWORD, make_user, sign_in_browser

from .conftest import CHROMIUM, CHROMIUM_ARGS, require_chromium, screenshot, serving

pytestmark = pytest.mark.browser


@contextlib.contextmanager
def _serve(tmp_path: Path, *, preload: bool):
    """A real ``streamlit run app.py`` over a fresh store (the sample article ingested first
    when ``preload``); yields ``(base_url, db_path)``."""
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    require_chromium()
    db_path = tmp_path / "e2e.db"
    db = open_db(db_path)
    if preload:
        summary = run_ingest(db, [SAMPLES_DIR / "hash_tables.md"], curriculum="sample")
        assert summary.concepts > 0 and summary.exercises_kept > 0
        from teachback.curricula.publish import publish

        publish(db, "sample", "setup")  # version 1: what learners see until the next publish
    make_user(db, "irene", "instructor", name="Irene")
    make_user(db, "lea", name="Lea")
    db.close()
    with serving(db_path, tmp_path) as server:
        yield server.base, db_path


@pytest.fixture
def server(tmp_path):
    with _serve(tmp_path, preload=True) as served:
        yield served


@pytest.fixture
def empty_server(tmp_path):
    with _serve(tmp_path, preload=False) as served:
        yield served


def _shot(page, name: str) -> None:
    screenshot(page, f"instructor_{name}")


def _wait_app(page) -> None:
    page.wait_for_selector("[data-testid='stAppViewContainer']", timeout=30_000)


def test_instructor_edits_publish_and_learner_sees_it(server):
    from playwright.sync_api import expect, sync_playwright

    from teachback.curricula import repository as repo
    from teachback.curricula.db import open_db
    from teachback.curricula.publish import published_view

    expect.set_options(timeout=30_000)  # a page with forms for every exercise takes a moment
    base, db_path = server
    db = open_db(db_path)
    concepts = repo.get_concepts(db, "sample")
    first = concepts[0]
    new_name = f"{first['name']} renamed by instructor"
    # The exercise to reject: the first one the self-check kept (the first concept's may all
    # be rejected already, and a rejected exercise offers only "Approve").
    kept = repo.get_exercises(db, "sample", statuses=["kept"])[0]
    reviewed = next(c for c in concepts if c["id"] == kept["concept_id"])
    db.close()

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.set_default_timeout(30_000)
            page.goto(base + "/editor")
            _wait_app(page)
            expect(page.get_by_role("heading", name="Sign in to teachback").first).to_be_visible()
            page.get_by_label("Username").fill("irene")
            page.get_by_label("Password", exact=True).fill("not the password")
            page.get_by_role("button", name="Sign in", exact=True).click()
            expect(page.get_by_text("Wrong username or password")).to_be_visible()
            _shot(page, "1_wrong_password")
            page.get_by_label("Password", exact=True).fill(PASSWORD)
            page.get_by_role("button", name="Sign in", exact=True).click()
            page.get_by_role("link", name="Curriculum editor").click()
            expect(page.get_by_role("heading", name="Curriculum editor").first).to_be_visible()
            _shot(page, "2_editor")

            page.get_by_label("New name", exact=True).fill(new_name)
            page.get_by_role("button", name="Rename", exact=True).click()
            expect(page.get_by_text(f"Renamed to {new_name}.")).to_be_visible()
            # The picker stays on the renamed concept and shows its new name.
            expect(page.get_by_role("heading", name=new_name).first).to_be_visible()
            expect(page.get_by_role("combobox", name="Concept", exact=True)).to_have_value(new_name)
            _shot(page, "3_renamed")
            # The history says what changed, by whom, when: no payloads, ids or ISO times.
            said = f"Renamed \u201c{first['name']}\u201d to \u201c{new_name}\u201d"
            page.get_by_text(said).scroll_into_view_if_needed()
            expect(page.get_by_text("by Irene \u00b7 just now")).to_be_visible()
            _shot(page, "3b_history")
            shown = page.inner_text("[data-testid='stMain']")
            assert "{" not in shown and not re.search(r"\d{4}-\d\d-\d\dT\d\d", shown)

            page.get_by_role("link", name="Review & publish").click()
            expect(page.get_by_role("heading", name="Review & publish").first).to_be_visible()
            if reviewed["id"] != first["id"]:
                page.get_by_role("combobox", name="Concept", exact=True).click()
                page.keyboard.type(reviewed["name"])  # the option list is virtualised
                option = re.compile(rf"^{re.escape(reviewed['name'])} \(")
                page.get_by_role("option", name=option).first.click()
            page.get_by_role("button", name="Reject", exact=True).first.click()
            expect(page.get_by_text("Exercise rejected.")).to_be_visible()
            _shot(page, "4_rejected")

            # Before publishing, learners still see version 1: the old name, not the new one.
            learner = browser.new_page(viewport={"width": 1400, "height": 1000})
            learner.set_default_timeout(30_000)
            sign_in_browser(learner, base, "lea")
            learner.goto(base + "/progress?curriculum=sample")
            _wait_app(learner)
            # The concept map's text alternative names every concept ("<name>: <state>").
            learner.get_by_text("The map as a list").click()
            line = re.compile(rf"^{re.escape(first['name'])}: ")
            expect(learner.get_by_text(line).first).to_be_attached()
            expect(learner.get_by_text(new_name)).to_have_count(0)
            _shot(learner, "5a_learner_before_publish")

            page.get_by_role("button", name="Publish a new version").click()
            expect(page.get_by_text("Published version 2.")).to_be_visible()
            _shot(page, "5_published")

            learner.reload()
            _wait_app(learner)
            learner.get_by_text("The map as a list").click()
            expect(learner.get_by_text(new_name).first).to_be_attached()
            _shot(learner, "6_learner_sees_change")
            # Learners never see instructor pages: not in their menu, not by their address.
            expect(learner.get_by_role("link", name="Curriculum editor")).to_have_count(0)
            learner.goto(base + "/editor?learner=irene&curriculum=sample")
            _wait_app(learner)
            expect(learner.get_by_role("heading", name="Instructors only").first).to_be_visible()
            expect(learner.get_by_role("heading", name="Curriculum editor")).to_have_count(0)
            expect(learner.get_by_role("button", name="Rename")).to_have_count(0)
            _shot(learner, "7_learner_locked_out")
        finally:
            browser.close()

    db = open_db(db_path)
    try:
        view = published_view(db, "sample")
        assert {c["id"]: c["name"] for c in view["concepts"]}[first["id"]] == new_name
        rejected = [
            x["id"] for x in repo.get_exercises(db, "sample", statuses=["rejected"]) if x["edited"]
        ]
        assert rejected == [kept["id"]]
        assert rejected[0] not in {x["id"] for x in view["exercises"]}
        assert [e["who"] for e in db["edits"].rows] == ["irene", "irene"]
    finally:
        db.close()


def _login(page, base: str, path: str) -> None:
    sign_in_browser(page, base, "irene")
    page.goto(base + path)
    _wait_app(page)


def test_fresh_ingest_to_published_and_exported_through_the_browser(empty_server, tmp_path):
    """Library (server path, background ingest with progress) -> publish -> every export."""
    import json
    import zipfile

    import nbformat
    from playwright.sync_api import expect, sync_playwright

    expect.set_options(timeout=60_000)
    base, db_path = empty_server
    article = tmp_path / "hash_tables.md"
    article.write_text((SAMPLES_DIR / "hash_tables.md").read_text(encoding="utf-8"))
    downloads = tmp_path / "downloads"
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
            page.set_default_timeout(30_000)
            _login(page, base, "/library")
            expect(page.get_by_role("heading", name="Library").first).to_be_visible()
            page.get_by_label("New curriculum id (letters, digits, -)").fill("hashing")
            page.get_by_label("New curriculum id (letters, digits, -)").press("Enter")
            page.get_by_role("tab", name="Path on the server").click()
            page.get_by_label("A file or folder on the server").fill(str(article))
            page.get_by_label("A file or folder on the server").press("Enter")
            page.get_by_role("button", name="Add the path").click()
            expect(page.get_by_text(f"Added {article}.")).to_be_visible()
            page.get_by_role("button", name="Ingest the new sources").click()
            expect(page.get_by_text("Ingest finished: 1 sources read")).to_be_visible()
            _shot(page, "fresh_1_ingested")

            page.get_by_role("link", name="Review & publish").click()
            expect(page.get_by_role("heading", name="Review & publish").first).to_be_visible()
            page.get_by_role("button", name="Publish a new version").click()
            expect(page.get_by_text("Published version 1.")).to_be_visible()
            _shot(page, "fresh_2_published")

            page.get_by_role("link", name="Exports").click()
            expect(page.get_by_role("heading", name="Exports").first).to_be_visible()
            labels = ["JSON", "Markdown", "Notebooks (zip)", "Mastery (CSV)",
                      "Mastery (xAPI statements)"]  # fmt: skip
            started = []
            page.on("download", lambda download: started.append(download))
            for label in labels:  # pressed in quick succession: none cancels another
                page.get_by_role("button", name=label, exact=True).click()
            deadline = time.monotonic() + 60
            while len(started) < len(labels) and time.monotonic() < deadline:
                page.wait_for_timeout(200)
            names = {d.suggested_filename: d for d in started}
            wanted = ["hashing.json", "hashing.md", "hashing-notebooks.zip",
                      "hashing-mastery.csv", "hashing-xapi.json"]  # fmt: skip
            assert sorted(names) == sorted(wanted)
            files = {}
            for label, name in zip(labels, wanted, strict=True):
                assert names[name].failure() is None, name
                names[name].save_as(downloads / name)
                files[label] = downloads / name
            _shot(page, "fresh_3_exports")
        finally:
            browser.close()

    data = json.loads(files["JSON"].read_text(encoding="utf-8"))
    assert data["format"] == "teachback-curriculum" and data["curriculum"]["id"] == "hashing"
    assert data["concepts"] and data["exercises"]
    assert files["Markdown"].read_text(encoding="utf-8").startswith("# ")
    with zipfile.ZipFile(files["Notebooks (zip)"]) as zf:
        names = zf.namelist()
        assert names and all(n.endswith(".ipynb") for n in names)
        nbformat.validate(nbformat.reads(zf.read(names[0]).decode(), as_version=4))
    assert files["Mastery (CSV)"].read_text().startswith("learner_id,learner_name,concept_id")
    assert json.loads(files["Mastery (xAPI statements)"].read_text()) == []  # nobody learned yet
