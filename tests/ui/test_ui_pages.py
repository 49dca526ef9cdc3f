"""Page logic with Streamlit's AppTest: the learner flow, progress, ask, safe rendering."""

from __future__ import annotations

import json
import types

import streamlit as st
from streamlit.testing.v1 import AppTest

from teachback.tutor.answers import answer_text
from teachback.tutor.hint_ladder import RUNGS


def key_for(db, prompt_start: str):
    row = next(db.query("select answer from exercises where prompt = ?", [prompt_start]))
    return answer_text(json.loads(row["answer"]))


def question(at) -> str:
    """The prompt of the exercise on screen (the markdown right after "### Question N")."""
    texts = [m.value for m in at.main.markdown]
    i = next(i for i, t in enumerate(texts) if t.startswith("### Question"))
    return texts[i + 1]


def fill(at, db, *, right: bool) -> None:
    """Answer the exercise on screen through its widget: the key, or something wrong."""
    row = next(db.query("select * from exercises where prompt = ?", [question(at)]))
    key = json.loads(row["answer"])
    step = next(m.value for m in at.main.markdown if m.value.startswith("### Question"))
    step = step.split()[-1]
    if at.radio:
        text = answer_text(key)
        at.radio[0].set_value(text if right else next(o for o in at.radio[0].options if o != text))
    elif row["kind"] == "ordering":
        order = key if right else list(reversed(key))
        for box, item in zip(at.selectbox, order, strict=True):
            box.set_value(item)
    elif at.text_area:
        at.text_area(key=f"answer_{step}").input(answer_text(key) if right else "lava")
    else:
        at.text_input(key=f"answer_{step}").input(answer_text(key) if right else "lava")
    at.button[0].click().run()


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [e.value for e in (*at.success, *at.error, *at.warning, *at.info, *at.caption)]
    )


def test_a_new_visitor_signs_in_with_a_code_and_starts_learning(app, app_db):
    from teachback.curricula import accounts

    accounts.create_user(app_db, "ada", "learner", display_name="Ada Lovelace")
    code = accounts.issue_code(app_db, "ada")
    at = app(learner=None)
    assert at.title[0].value == "Sign in to teachback"
    assert not any(m.value.startswith("### Question") for m in at.markdown)
    at.text_input(key="sign_in_code").input(code.lower())
    at.button(key="FormSubmitter:sign_in_code_form-Sign in with the code").click().run()
    assert not at.exception
    assert at.sidebar.markdown[0].value == "**Ada Lovelace** \u00b7 Learner"
    assert any(m.value.startswith("### Question 1") for m in at.markdown)
    # The widget of the exercise the tutor chose (its kind decides which).
    assert len(at.radio) + len(at.text_input) + len(at.text_area) + len(at.selectbox) >= 1


def test_right_then_wrong_answers_get_their_feedback_with_the_passage(app, app_db):
    at = app()
    assert at.main.get("progress")[0].proto.text.startswith("Concepts mastered: 0/4")
    cited = json.loads(
        next(app_db.query("select citations from exercises where prompt = ?", [question(at)]))[
            "citations"
        ]
    )[0]["quote"]
    fill(at, app_db, right=True)
    assert not at.exception
    assert at.success[0].value.startswith("**Correct**")
    assert any(m.value == f"> {cited}" for m in at.markdown)  # the cited passage
    assert any(m.value.startswith("### Question 2") for m in at.markdown)

    # The second question, answered wrongly whatever its kind.
    fill(at, app_db, right=False)
    assert at.error[0].value.startswith("**Not quite**")
    assert any(m.value.startswith("Answer: **") for m in at.markdown)
    assert any(m.value.startswith("### Question 3") for m in at.markdown)


def test_an_empty_answer_is_not_submitted(app, app_db):
    at = app()
    at.button[0].click().run()
    assert "Give an answer first" in at.warning[0].value
    assert app_db["attempts"].count == 0


def test_a_new_session_for_the_same_learner_resumes_at_the_same_question(app, app_db):
    at = app()
    fill(at, app_db, right=True)
    where = question(at)
    again = app()  # a reload: new browser session, same address
    assert question(again) == where
    assert any(m.value.startswith("### Question 2") for m in again.markdown)
    assert app_db["attempts"].count == 1


def test_progress_page_draws_the_graph_and_the_timeline(app, app_db):
    at = app("learn")
    fill(at, app_db, right=True)
    at = app("progress")
    assert not at.exception
    assert not at.get("graphviz_chart")  # drawn in the browser: no Graphviz binary needed
    charts = at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
    assert len(charts) == 2  # the concept map and mastery over time
    concept_map = charts[0].proto.spec
    assert '"concept": "Condensation"' in concept_map and "Water rises" in concept_map
    assert at.metric[0].value == "0/4" and at.metric[1].value == "1"
    assert any(m.value.startswith("**Ready to learn next:**") for m in at.markdown)


def test_ask_page_quotes_the_sources_or_says_not_covered(app):
    at = app("ask")
    at.text_input(key="question").input("What is condensation?")
    at.button[0].click().run()
    assert any("> Condensation is the process" in m.value for m in at.markdown)
    assert any("water.md" in c.value or "The water cycle" in c.value for c in at.caption)
    at.text_input(key="question").input("Who painted the Mona Lisa?")
    at.button[0].click().run()
    assert "not covered here" in at.info[0].value


def test_source_text_is_never_rendered_as_html(app):
    at = app("ask")
    at.text_input(key="question").input("What note was pasted from a web page?")
    at.button[0].click().run()
    shown = [m for m in at.markdown if "<script>" in m.value]
    assert shown, "the quote with the <script> tag is shown as text"
    assert all(m.proto.allow_html is False for m in at.markdown)


def test_every_kind_gets_its_widget():
    def script():
        from teachback.ui import learn as page

        kinds = {
            "multiple_choice": {"choices": ["a", "b"]},
            "cloze": {},
            "short_answer": {},
            "ordering": {"items": ["x", "y", "z"], "choices": ["x", "y", "z"]},
            "matching": {"items": ["k1", "k2"], "choices": ["v1", "v2"]},
        }
        for step, (kind, extra) in enumerate(kinds.items()):
            page.answer_widget({"kind": kind, **extra}, step)

    at = AppTest.from_function(script).run()
    assert [r.options for r in at.radio] == [["a", "b"]]
    assert len(at.text_input) == 1 and len(at.text_area) == 1
    assert [s.label for s in at.selectbox] == [
        "Position 1", "Position 2", "Position 3", "k1", "k2"
    ]  # fmt: skip


def test_instructor_pages_plug_in_under_their_own_section(app_db, monkeypatch):
    fake = types.ModuleType("teachback.ui.instructor")

    def instructor_home():
        st.write("instructor home")

    def pages(name):  # st.Page needs a running script, so build PAGES when app.py asks
        if name == "PAGES":
            return [st.Page(instructor_home, title="Edit", url_path="edit")]
        raise AttributeError(name)

    fake.__getattr__ = pages
    from teachback.ui import navigation

    monkeypatch.setattr(navigation, "instructor", fake)

    def script():
        import streamlit as st

        from teachback.curricula.accounts import User
        from teachback.ui.navigation import page_sections

        grace = User("instructor-1", "grace", "Grace", "instructor", True, "2026-01-01")
        for section, pages in page_sections(grace).items():
            shown = [p.title for p in pages if p.visibility == "visible"]
            st.write(f"{section}: " + ", ".join(shown))

    at = AppTest.from_function(script).run()
    assert not at.exception
    shown = [m.value for m in at.markdown]
    assert shown == [
        "Learn: Learn, Progress, Ask, Join a class",
        "Instructor: Edit, People",
        "Classroom: Live class",
        "Account: Account",
    ]


def test_a_unit_ends_with_a_teach_back_whose_feedback_names_what_was_missing(app, app_db):
    at = app()
    for _ in range(30):
        if any(m.value == "### Teach it back" for m in at.markdown):
            break
        fill(at, app_db, right=True)
    else:
        raise AssertionError("no teach-back after mastering a unit")
    assert not at.exception
    assert "own words" in texts(at)
    at.text_area[0].input("It is something about water, I think.")
    at.button[0].click().run()
    assert not at.exception
    feedback = [e.value for e in (*at.error, *at.warning, *at.success)]
    assert feedback and feedback[0].startswith(("**Not quite**", "**Partly right**"))
    assert any(m.value.startswith("Missing: ") for m in at.markdown)


def test_a_learner_who_masters_everything_is_told_so(app, app_db):
    at = app()
    for _ in range(60):
        if any("finished everything you can reach" in s.value for s in at.success):
            break
        if any(m.value == "### Teach it back" for m in at.markdown):
            name = at.main.subheader[0].value
            definition = app_db.execute("select definition from concepts where name = ?", [name])
            at.text_area[0].input(definition.fetchone()[0])
            at.button[0].click().run()
        else:
            fill(at, app_db, right=True)
    else:
        raise AssertionError("never reached the end")
    assert not at.exception
    assert at.main.get("progress")[0].proto.text.startswith("Concepts mastered: 4/4")


HINT_OPENINGS = (
    "Look in ", "The answer is", "You can rule out", "Check ", "A full answer", "A worked example",
    "Here is the passage", "That is every hint", "Work through",
)  # fmt: skip


def test_help_explains_again_and_hints_without_giving_the_key_away(app, app_db):
    at = app()
    assert at.button[0].label == "Check answer"  # help sits under the question, not before it
    key = key_for(app_db, question(at))
    at.button(key="explain_1").click().run()
    assert not at.exception
    assert "In other words" in [c.value for c in at.caption]
    # the sources, quoted (under a line naming them when the step showed no lesson)
    assert any(m.value.startswith("> ") or "\n\n> " in m.value for m in at.markdown)

    hints = []
    for n in (1, 2, 3):  # the ladder: where to look, a narrower cue, a worked example
        assert at.button(key="hint_1").label == (
            "Stuck? Get a hint" if n == 1 else f"Another hint ({n} of 3)"
        )
        at.button(key="hint_1").click().run()
        assert not at.exception
        captions = [c.value for c in at.caption]
        assert captions.count(f"Hint {n} of 3: " + RUNGS[n - 1]) == 1
        hints = [m.value for m in at.markdown if m.value.startswith(HINT_OPENINGS)]
        assert len(hints) == n and len(set(hints)) == n  # each rung says something new
    assert at.button(key="hint_1").disabled and at.button(key="hint_1").label == "No more hints"
    assert not [b for b in at.button if b.key == "explain_1"]  # explained once per step
    assert not any(key.lower() in h.lower() for h in hints[:2])
    assert hints[0].startswith("Look in ")
    assert "In other words" in [c.value for c in at.caption]  # still shown after the reruns

    fill(at, app_db, right=True)
    row = next(app_db.query("select hints from attempts"))
    assert row["hints"] == 3  # the hints are on the record with the answer


def test_the_first_question_on_a_concept_comes_with_its_whole_lesson_then_the_key_idea(app, app_db):
    """Teach first: the first question on a concept has its lesson whole above it; once the
    learner has met it and is doing well, its key idea, with the whole lesson one click away."""
    at = app()
    captions = [c.value for c in at.caption]
    assert not any(c.startswith("The key idea") for c in captions)
    assert not at.expander or at.expander[0].label != "The whole lesson again"
    for _ in range(6):
        fill(at, app_db, right=True)
        assert not at.exception
        if any(c.value.startswith("The key idea") for c in at.caption):
            break
    else:
        raise AssertionError("never a reminder, after six right answers")
    assert "The whole lesson again" in [e.label for e in at.expander]


def test_a_question_asked_again_has_no_lesson_above_it_and_the_lesson_one_click_away():
    def page():
        from teachback.ui.learn import show_lesson

        recall = {"text": "", "recall": True, "whole": "A **key** names an item.", "citations": []}
        show_lesson({**recall, "angle": "lesson", "concept_name": "key"}, "learn")

    at = AppTest.from_function(page).run()
    assert not at.exception
    assert [c.value for c in at.caption] == ["From memory this time:"]
    assert [e.label for e in at.expander] == ["The lesson, if you need it"]
    assert [m.value for m in at.expander[0].markdown] == ["A **key** names an item."]
