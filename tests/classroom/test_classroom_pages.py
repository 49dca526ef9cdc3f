"""The classroom pages with Streamlit's AppTest: the live class behind the instructor login
(start, code, controls, dashboard, report) and the learner's join page."""

import pytest
from streamlit.testing.v1 import AppTest

from teachback.curricula.db import open_db
from teachback.curricula.publish import publish
from teachback.tutor.attempts import AttemptEvent, record_attempt
from teachback.tutor.classroom import sessions
from teachback.tutor.session_fixture import build_fixture_curriculum

PASSWORD = "correct horse battery"


@pytest.fixture
def served(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    db = open_db(path)
    build_fixture_curriculum(db)
    publish(db, "water", "Grace")
    monkeypatch.setenv("TEACHBACK_DB", str(path))
    monkeypatch.setenv("TEACHBACK_INSTRUCTOR_PASSWORD", PASSWORD)
    monkeypatch.delenv("TEACHBACK_INSTRUCTOR_PASSWORD_HASH", raising=False)
    yield db
    db.close()


def page(name: str) -> AppTest:
    script = f"from teachback.ui.classroom import {name}\n{name}.render()\n"
    return AppTest.from_string(script, default_timeout=30)


def text(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [e.value for e in (*at.success, *at.error, *at.warning, *at.info, *at.caption)]
        + [t.value for t in at.title]
    )


def logged_in_live() -> AppTest:
    at = page("live").run()
    at.text_input(key="login_name").input("Grace")
    at.text_input(key="login_password").input(PASSWORD)
    return at.button[0].click().run()


def test_the_live_class_needs_the_instructor_login(served):
    at = page("live").run()
    assert [t.value for t in at.title] == ["Instructor login"]
    assert "Join code" not in text(at)


def test_start_a_class_then_control_it_and_see_the_dashboard(served, monkeypatch):
    monkeypatch.setenv("TEACHBACK_PUBLIC_URL", "https://class.example.org/")
    at = logged_in_live()
    at.button(key="FormSubmitter:start_class-Start a class").click().run()
    assert not at.exception, at.exception
    (s,) = sessions.sessions_of(served, sessions.Caller.instructor("Grace"))
    assert at.metric[0].label == "Join code" and at.metric[0].value == s.code
    assert [c.value for c in at.code] == [f"https://class.example.org/join?join={s.code}"]

    ada = sessions.join(served, s.code, "Ada")
    for n in range(3):
        event = AttemptEvent(event_id=f"t:{n}", learner_id=ada.learner_id, curriculum_id="water",
                             exercise_id="x", concept_id="water/evaporation", correct=False,
                             answer="the moon")  # fmt: skip
        record_attempt(served, event)
    at.run()
    metrics = {m.label: m.value for m in at.metric}
    assert metrics["Learners"] == "1" and metrics["Stuck"] == "1" and metrics["Answers"] == "3"
    assert any("Ada" in e.label and "3 wrong answers" in e.label for e in at.expander)

    at.selectbox(key="cap_pick").select("water/condensation").run()
    at.button(key="cap_set").click().run()
    assert sessions.get_session(served, s.id).cap == "water/condensation"
    at.button(key="pause").click().run()
    assert sessions.get_session(served, s.id).status == "paused"
    at.button(key="resume").click().run()
    at.checkbox(key="end_sure").check().run()
    at.button(key="end").click().run()
    assert sessions.get_session(served, s.id).status == "ended"
    assert "Class report" in [h.value for h in at.subheader]
    assert "1 learner, 3 answers." in text(at)


def test_join_page_prefills_the_code_and_refuses_bad_ones(served):
    s = sessions.start_session(served, "water", "Grace")
    at = page("join")
    at.query_params["join"] = s.code
    at.run()
    assert at.text_input(key="join_code").value == s.code
    at.text_input(key="join_name").input("Bo")
    at.button[0].click().run()
    assert sessions.members(served, s.id, sessions.Caller.instructor("Grace"))[0][
        "display_name"] == "Bo"  # fmt: skip

    again = page("join").run()
    again.text_input(key="join_code").input("WRONG000")
    again.text_input(key="join_name").input("Cy")
    again.button[0].click().run()
    assert [e.value for e in again.error] == ["no class has this join code: check it with your "
                                               "instructor"]  # fmt: skip
