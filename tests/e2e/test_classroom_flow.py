"""End to end in a real browser: an instructor starts a class and caps it at the first concept;
two learners join with the code in their own browser contexts and only get questions inside the
cap; the instructor's dashboard updates by itself (no reload) as they answer; the instructor
releases the cap and pushes the class to a later concept, and the next question is on it.

A real ``streamlit run app.py`` over a real SQLite file made by the real ingest of the bundled
samples (published through ``publish``); headless Debian Chromium via Playwright (never
``playwright install``). Screenshots go to ``tests/artifacts/classroom_*.png``.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest

from teachback.config import SAMPLES_DIR
from teachback.core.kinds import answer_form
from teachback.tests.signin import make_user, sign_in_browser
from teachback.tutor.session_lesson import NAME_HIDDEN, TERM_HIDDEN

from .conftest import (
    choose,
    chromium,
    new_page,
    pick,
    require_chromium,
    screenshot,
    serving,
    to_question,
)

pytestmark = pytest.mark.browser

PUBLIC_URL = "http://class.example.test:8501"  # what learners' machines would open


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    from teachback.curricula.db import open_db
    from teachback.curricula.publish import publish
    from teachback.ingest.pipeline import run_ingest

    require_chromium()
    tmp = tmp_path_factory.mktemp("classroom-e2e")
    db_path = tmp / "class.db"
    db = open_db(db_path)
    summary = run_ingest(db, [SAMPLES_DIR], curriculum="sample")
    assert summary.concepts > 0 and summary.exercises_kept > 0, summary
    publish(db, "sample", "Grace")
    make_user(db, "grace", "instructor", name="Grace")
    db.close()
    with serving(db_path, tmp, {"TEACHBACK_PUBLIC_URL": PUBLIC_URL}) as server:
        yield server.base, db_path


@pytest.fixture(scope="module")
def browser(server):
    with chromium() as b:
        yield b


def shot(page, name: str) -> None:
    screenshot(page, f"classroom_{name}")


def read(db_path: Path, sql: str, args=()):
    from teachback.curricula.db import open_db

    db = open_db(db_path)
    try:
        return db.execute(sql, list(args)).fetchall()
    finally:
        db.close()


def pending(db_path: Path, learner: str) -> dict:
    """What the server's tutor is waiting on, read from its checkpoint file."""
    from teachback.curricula.db import open_db
    from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

    db = open_db(db_path)
    try:
        return TutorSessions(db, sqlite_checkpointer(sessions_path(db_path))).pending(
            learner, "sample"
        )
    finally:
        db.close()


def allowed_names(db_path: Path, cap: str) -> set[str]:
    """Names of the concepts a learner capped at ``cap`` may be asked about (pacing's rule)."""
    from teachback.curricula.db import open_db
    from teachback.tutor import learner_model, published
    from teachback.tutor.pacing import allowed_concepts

    db = open_db(db_path)
    try:
        cur = published.load_curriculum(db, "sample")
        allowed = allowed_concepts(learner_model.concept_graph(cur), cap) & cur.assessable
        return {cur.by_id[c]["name"] for c in allowed}
    finally:
        db.close()


def press(page, name: str, timeout: float = 30) -> None:
    """Click the button ``name`` once the page shows exactly one of it. The dashboard is a
    fragment that reruns every few seconds; while it reruns Streamlit can show the old and the
    new copy of its buttons side by side for a moment."""
    button = page.get_by_role("button", name=name)
    deadline = time.monotonic() + timeout
    while button.count() != 1:
        assert time.monotonic() < deadline, f"{button.count()} buttons named {name!r}"
        time.sleep(0.2)
    button.click()


def answer_something(page, exercise: dict) -> None:
    """Give some answer of the right shape (right or wrong does not matter here) and submit."""
    kind = exercise["kind"]
    if kind == "write_code":  # an editor and a Submit button, not a form
        page.locator("[class*='st-key-code_'] textarea").last.fill("return None")
        page.get_by_role("button", name="Submit").click()
        return
    form = page.get_by_test_id("stForm").last
    if answer_form(kind, bool(exercise["choices"])) == "choice":
        pick(form, 0)
    elif kind == "ordering":
        items = exercise.get("items") or exercise["choices"]
        for i, item in enumerate(items):
            choose(page, f"Position {i + 1}", item)
    elif kind == "matching":
        for left in exercise.get("items") or []:
            choose(page, left, exercise["choices"][0])
    else:
        form.get_by_label("Your answer").fill("I am not sure")
    form.get_by_role("button", name="Check answer").click()


def metric(page, label: str) -> str:
    box = page.get_by_test_id("stMetric").filter(has_text=label).first
    return box.get_by_test_id("stMetricValue").inner_text().strip()


def wait_metric(page, label: str, want, timeout: float = 60) -> str:
    """Poll a dashboard metric until ``want(value)``; the page is never reloaded."""
    deadline = time.monotonic() + timeout
    value = ""
    while time.monotonic() < deadline:
        try:
            value = metric(page, label)
            if want(value):
                return value
        except Exception:  # noqa: BLE001 - the fragment is mid-refresh
            pass
        time.sleep(0.5)
    raise AssertionError(f"metric {label!r} stayed at {value!r}")


def join(browser, base: str, code: str, name: str):
    page = new_page(browser)
    page.goto(f"{base}/join?join={code}")
    page.get_by_role("textbox", name="Class code").wait_for()
    # pre-filled from the link
    assert page.get_by_role("textbox", name="Class code").input_value() == code
    page.get_by_label("Your name, as the class will see it").fill(name)
    page.get_by_role("button", name="Join").click()
    # Joined (signed in with a guest account of their own), then on to the Learn page.
    page.get_by_text(f"as {name}.", exact=False).wait_for()
    page.get_by_role("link", name="Go to Learn").click()
    to_question(page)
    return page


def question_concept(page, db_path: Path, learner: str) -> str:
    """The concept of the question on screen: its heading, or, when the heading hides the name
    the question asks for (which function is this? which term fills the blank?), the concept
    the server's tutor asks."""
    shown = page.get_by_test_id("stHeading").filter(has_not_text="Learn").filter(
        has_not_text="Question").first.inner_text().strip()  # fmt: skip
    if shown not in (NAME_HIDDEN, TERM_HIDDEN):
        return shown
    concept_id = pending(db_path, learner)["concept"]["id"]
    return read(db_path, "select name from concepts where id = ? and curriculum_id = 'sample'",
                [concept_id])[0][0]  # fmt: skip


def test_join_capped_advance_and_live_dashboard(server, browser):
    base, db_path = server
    teacher = new_page(browser)
    sign_in_browser(teacher, base, "grace")
    teacher.goto(f"{base}/classroom")
    teacher.get_by_role("button", name="Start a class").click()
    teacher.get_by_text("Join link:").wait_for()
    code = teacher.get_by_test_id("stMetric").filter(has_text="Join code").get_by_test_id(
        "stMetricValue").inner_text().strip()  # fmt: skip
    ((sid, stored_code),) = read(db_path, "select id, code from classroom_sessions")
    assert code == stored_code and re.fullmatch(r"[2-9A-HJKMNP-Z]{8}", code)
    link = teacher.get_by_test_id("stCode").inner_text().strip()
    assert link == f"{PUBLIC_URL}/join?join={code}"  # never the teacher's localhost
    assert wait_metric(teacher, "Learners", lambda v: v == "0") == "0"

    # Cap the class at the first concept in the selector (the first one taught).
    press(teacher, "Cap the class here")
    deadline = time.monotonic() + 30
    while not (cap := read(db_path, "select cap from classroom_sessions")[0][0]):
        assert time.monotonic() < deadline, "the cap was not stored"
        time.sleep(0.3)
    inside = allowed_names(db_path, cap)
    shot(teacher, "1_instructor_capped")

    ada = join(browser, base, code, "Ada")
    bob = join(browser, base, code, "Bob")
    members = dict(read(db_path, "select display_name, learner_id from classroom_members"))
    assert set(members) == {"Ada", "Bob"}
    for who, page in (("Ada", ada), ("Bob", bob)):
        assert question_concept(page, db_path, members[who]) in inside
    shot(ada, "2_ada_capped_question")
    assert wait_metric(teacher, "Learners", lambda v: v == "2") == "2"

    # Ada answers twice: still inside the cap; the dashboard counts her answers by itself.
    for _ in range(2):
        before = pending(db_path, members["Ada"])
        answer_something(ada, before["exercise"])
        to_question(ada, after=before["step"])
        assert question_concept(ada, db_path, members["Ada"]) in inside
    wait_metric(teacher, "Answers", lambda v: v == "2")
    shot(teacher, "3_dashboard_updated")

    # Release the cap and push the class to the last concept: Ada's next question is on it.
    last = read(db_path, """select c.id, c.name from concepts c left join units u
                on u.id = c.unit_id where c.curriculum_id = 'sample' and exists (select 1
                from exercises e where e.concept_id = c.id and e.status in ('kept', 'approved'))
                order by coalesce(u.position, 0) desc, c.position desc limit 1""")[0]  # fmt: skip
    press(teacher, "Release the cap")
    teacher.get_by_text("Cap released.").wait_for()
    teacher.get_by_label("Review together").click()
    teacher.keyboard.type(last[1])  # the option list is virtualised: filter it first
    teacher.get_by_role("option", name=last[1], exact=True).first.click()
    press(teacher, "Push everyone there")
    teacher.get_by_text("Group review started.").wait_for()
    assert read(db_path, "select cap, push from classroom_sessions") == [(None, last[0])]

    before = pending(db_path, members["Ada"])
    answer_something(ada, before["exercise"])
    to_question(ada, after=before["step"])
    assert question_concept(ada, db_path, members["Ada"]) == last[1]
    ada.get_by_text("group review").first.wait_for()
    shot(ada, "4_ada_group_review")
    wait_metric(teacher, "Answers", lambda v: v == "3")
    shot(teacher, "5_dashboard_after_push")
    stored = read(db_path, "select count(*) from attempts where learner_id = ?", [members["Ada"]])
    assert stored == [(3,)]
    events = [r[0] for r in read(db_path, "select op from classroom_events where session_id = ?",
                                 [sid])]  # fmt: skip
    assert events == ["start", "cap", "join", "join", "release_cap", "push"]

    # The dashboard and its drill-downs (a tall window: Streamlit scrolls inside the page).
    teacher.set_viewport_size({"width": 1280, "height": 2400})
    for tab in ("Overview", "By unit", "By learner", "Questions"):
        teacher.get_by_role("tab", name=tab).click()
        teacher.get_by_role("tab", name=tab).scroll_into_view_if_needed()
        teacher.wait_for_timeout(1500)  # the charts draw
        shot(teacher, f"6_dashboard_{tab.lower().replace(' ', '_')}")
    teacher.get_by_role("tab", name="Overview").click()

    # Pause: Ada answers the question on screen and sees its feedback with the pause message.
    press(teacher, "Pause the class")
    teacher.get_by_text("Class paused.").wait_for()
    before = pending(db_path, members["Ada"])
    answer_something(ada, before["exercise"])
    ada.get_by_text("paused the class").first.wait_for()
    ada.get_by_text("Your answer:").first.wait_for()
    shot(ada, "7_ada_paused_sees_feedback")
    ada.reload()  # the page asks the tutor again: the feedback is still there
    ada.get_by_text("paused the class").first.wait_for()
    ada.get_by_text("Your answer:").first.wait_for()
    press(teacher, "Resume the class")
    teacher.get_by_text("Class resumed.").wait_for()

    # End the class: the report, with its charts, and both downloads.
    teacher.get_by_text("I want to end this class").click()
    press(teacher, "End the class")
    teacher.get_by_text("Class report").wait_for()
    teacher.get_by_text("Class report").scroll_into_view_if_needed()
    teacher.wait_for_timeout(1500)
    shot(teacher, "8_report")
    shown = teacher.inner_text("[data-testid='stMain']")
    assert not re.search(r"\d{4}-\d\d-\d\dT\d\d", shown)  # no ISO timestamps
    assert "0.000000" not in shown and "**" not in shown
