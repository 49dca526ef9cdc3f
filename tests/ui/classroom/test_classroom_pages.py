"""The classroom pages with Streamlit's AppTest: the live class behind the instructor login
(start, code, controls, dashboard, report) and the learner's join page."""

import pytest
from streamlit.testing.v1 import AppTest

from teachback.curricula import ownership
from teachback.curricula.db import open_db
from teachback.curricula.publish import publish
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tests.signin import make_user, sign_in_app
from teachback.tutor.attempts import AttemptEvent, record_attempt
from teachback.tutor.classroom import sessions


@pytest.fixture
def served(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    db = open_db(path)
    build_fixture_curriculum(db)
    publish(db, "water", "Grace")
    monkeypatch.setenv("TEACHBACK_DB", str(path))
    make_user(db, "grace", "instructor", name="Grace")
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


def logged_in_live(db) -> AppTest:
    at = page("live")
    sign_in_app(at, db, "grace", "instructor")
    return at.run()


def test_the_live_class_needs_an_instructor(served):
    at = page("live").run()
    assert [t.value for t in at.title] == ["Instructors only"]
    assert "Join code" not in text(at)
    learner = page("live")
    sign_in_app(learner, served, "lea")
    learner.run()
    assert [e.value for e in learner.error] == [
        "This page is for instructors: you are signed in as a learner."
    ]
    assert "Join code" not in text(learner)


def test_the_start_form_offers_only_curricula_the_instructor_owns_or_co_owns(served):
    # grace, the first instructor, owns "water"; bob owns nothing yet.
    make_user(served, "bob", "instructor", name="Bob")
    at = page("live")
    sign_in_app(at, served, "bob", "instructor")
    at.run()
    assert [i.value for i in at.info] == [
        "None of the published curricula is yours: a class runs on a curriculum you own or "
        "one shared with you (its owner can share it on the Library page)."
    ]
    assert [b.label for b in at.button] == ["Sign out"]  # no "Start a class"

    build_fixture_curriculum(served, "bobs")
    ownership.set_owner(served, "bobs", "bob")
    publish(served, "bobs", "bob")
    at.run()
    choice = at.selectbox(key="class_curriculum")
    assert (choice.options, choice.value) == (["The water cycle (fixture) (v1)"], "bobs")

    ownership.share(served, "water", "bob", who="grace")
    at.run()
    assert at.selectbox(key="class_curriculum").options == [
        "The water cycle (fixture) (v1)",
        "The water cycle (fixture) (v1)",
    ]
    at.selectbox(key="class_curriculum").select("water")
    at.button(key="FormSubmitter:start_class-Start a class").click().run()
    assert not at.exception, at.exception
    (started,) = sessions.sessions_of(served, sessions.Caller.instructor("bob"))
    assert started.curriculum_id == "water"


def test_start_a_class_then_control_it_and_see_the_dashboard(served, monkeypatch):
    monkeypatch.setenv("TEACHBACK_PUBLIC_URL", "https://class.example.org/")
    at = logged_in_live(served)
    at.button(key="FormSubmitter:start_class-Start a class").click().run()
    assert not at.exception, at.exception
    (s,) = sessions.sessions_of(served, sessions.Caller.instructor("grace"))
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
