"""Probes of identity: a learner is an account, not a name typed in the address bar; instructors
each have their own login; passwords have a minimum strength; the server listens on this machine
only unless told otherwise; an identity provider makes no one an instructor without a list.

Each probe is the attack as it worked before accounts existed (issue 14, items 0 and 2).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from streamlit.testing.v1 import AppTest

from teachback.cli import cli
from teachback.config import PACKAGE_DIR
from teachback.curricula import accounts
from teachback.curricula.accounts_passwords import WeakPassword
from teachback.tests.signin import PASSWORD, make_user, sign_in_app
from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

APP = str(PACKAGE_DIR / "app.py")
SECRET = "my secret answer 42"


def all_text(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [e.value for e in (*at.success, *at.error, *at.warning, *at.info, *at.caption)]
        + [t.value for t in at.title]
    )


def ada_answered(db) -> str:
    """Ada (an account carried over from her typed name, id ``learner-ada``) answered the first
    question with a secret; returns her learner id."""
    path = db.execute("pragma database_list").fetchone()[2]
    tutor = TutorSessions(db, sqlite_checkpointer(sessions_path(path)), prepare=False)
    first = tutor.current("learner-ada", "water", "Ada")
    tutor.answer("learner-ada", "water", SECRET, step=first["step"])
    assert db["attempts"].count == 1
    return "learner-ada"


def test_a_name_in_the_address_shows_nothing_of_that_learner(served):
    ada_answered(served)
    at = AppTest.from_file(APP, default_timeout=30)
    at.query_params["learner"] = "ADA"
    at.query_params["curriculum"] = "water"
    at.run()
    assert not at.exception
    assert SECRET not in all_text(at)
    assert not any(m.value.startswith("### Question") for m in at.markdown)  # nothing to answer
    assert at.title[0].value == "Sign in to teachback"
    assert served["attempts"].count == 1


def test_a_signed_in_learner_with_another_name_in_the_address_sees_only_their_own(served):
    ada_answered(served)
    at = AppTest.from_file(APP, default_timeout=30)
    sign_in_app(at, served, "mallory", name="Mallory")
    at.query_params["learner"] = "Ada"
    at.query_params["curriculum"] = "water"
    at.run()
    assert not at.exception
    assert SECRET not in all_text(at)
    assert "learner" not in at.query_params  # the name in the address is dropped, unused
    assert any(m.value.startswith("### Question 1") for m in at.markdown)  # Mallory's own start


def test_the_terminal_tutor_needs_the_accounts_password(served):
    ada_answered(served)
    db_file = served.execute("pragma database_list").fetchone()[2]
    runner = CliRunner()
    args = ["learn", "--db", db_file, "--curriculum", "water", "--learner", "ada"]
    result = runner.invoke(cli, args, input=f"guess\n{SECRET}\nq\n")
    assert result.exit_code != 0
    assert str(result.exception) == "wrong username or password"
    assert SECRET not in result.output
    assert served["attempts"].count == 1


def _ada_answered_before_accounts(db) -> str:
    """Ada's first answer as the code before accounts stored it: a learner row under her typed
    name and one attempt. (Today's tutor cannot run on that schema: it also reads tables added
    since, such as ``lesson_reads``.)"""
    ex = next(iter(db.query("select id, concept_id from exercises order by id limit 1")))
    at = "2026-01-01T00:00:00+00:00"
    db["learners"].insert({"id": "learner-ada", "name": "Ada", "created_at": at})
    db["attempts"].insert(
        {
            "event_id": "learner-ada::water:1",
            "learner_id": "learner-ada",
            "curriculum_id": "water",
            "exercise_id": ex["id"],
            "concept_id": ex["concept_id"],
            "correct": 0,
            "score": 0.0,
            "answer": SECRET,
            "time_taken": 3.0,
            "hints": 0,
            "at": at,
            "session_id": "learner-ada::water",
        }
    )
    return "learner-ada"


def test_a_learner_claims_an_old_name_only_with_an_instructors_code(tmp_path):
    from teachback.curricula.db import open_db
    from teachback.curricula.migrations import migrations
    from teachback.tests.session_fixture import build_fixture_curriculum

    path = tmp_path / "before-accounts.db"
    old = open_db(path, migrate=False)
    migrations.apply(old, stop_before="m0007_accounts")
    build_fixture_curriculum(old, publish=True)
    learner_id = _ada_answered_before_accounts(old)
    old.close()

    db = open_db(path)  # the upgrade: her typed name became an account without a password
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(db, "ada", "")
    with pytest.raises(accounts.SignInFailed):
        accounts.sign_in(db, "ada", "learner-ada")
    code = accounts.issue_code(db, "ada", created_by="grace")
    _, user = accounts.sign_in_with_code(db, code)
    assert user.id == learner_id  # her attempts come with the account
    assert [r["answer"] for r in db.query("select answer from attempts where learner_id = ?",
                                          [user.id])] == [SECRET]  # fmt: skip
    db.close()


def test_the_old_shared_instructor_password_opens_nothing(served, monkeypatch):
    monkeypatch.setenv("TEACHBACK_INSTRUCTOR_PASSWORD", "shared-class-password")
    at = AppTest.from_string(
        "from teachback.ui.instructor import editor\neditor.render()\n", default_timeout=30
    ).run()
    at.text_input(key="instructor_sign_in_username").input("anyone")
    at.text_input(key="instructor_sign_in_password").input("shared-class-password")
    at.button(key="FormSubmitter:instructor_sign_in-Sign in").click().run()
    assert at.error[0].value == "Wrong username or password"
    assert at.title[0].value == "Instructors only"


def test_each_instructor_signs_in_as_themselves_and_owns_their_classes(served):
    from teachback.tutor.classroom import controls, sessions

    grace = make_user(served, "grace", "instructor", name="Grace")
    bob = make_user(served, "bob", "instructor", name="Bob")
    assert accounts.sign_in(served, "grace", PASSWORD)[1] == grace
    assert accounts.sign_in(served, "bob", PASSWORD)[1] == bob
    klass = sessions.start_session(served, "water", grace.username)
    with pytest.raises(sessions.NotAllowed):
        controls.end(served, klass.id, sessions.Caller.instructor(bob.username))
    with pytest.raises(sessions.NotAllowed):
        sessions.members(served, klass.id, sessions.Caller.instructor(bob.username))


def test_a_learner_sees_no_instructor_page_in_the_menu(served):
    def script():
        import streamlit as st

        from teachback.curricula.accounts import User
        from teachback.ui.navigation import page_sections

        for role in ("learner", "instructor"):
            user = User(f"{role}-1", role, role.title(), role, True, "2026-01-01")
            sections = page_sections(user).values()
            titles = [p.title for pages in sections for p in pages if p.visibility == "visible"]
            st.write(f"{role}: " + ", ".join(titles))
        shown = [p.title for p in page_sections(None)[""] if p.visibility == "visible"]
        st.write("nobody: " + ", ".join(shown))

    at = AppTest.from_function(script, default_timeout=30).run()
    assert not at.exception
    assert [m.value for m in at.markdown] == [
        "learner: Learn, Progress, Ask, Join a class, Account",
        "instructor: Learn, Progress, Ask, Join a class, Library, Curriculum editor, "
        "Review & publish, Exports, People, Live class, Account",
        "nobody: Sign in, Join a class",
    ]


def test_an_instructor_page_refuses_a_signed_in_learner(served):
    at = AppTest.from_string(
        "from teachback.ui.instructor import review\nreview.render()\n", default_timeout=30
    )
    sign_in_app(at, served, "lea")
    at.run()
    assert [e.value for e in at.error] == [
        "This page is for instructors: you are signed in as a learner."
    ]
    assert len(at.button) == 1 and at.button[0].label == "Sign out"  # nothing to act on


@pytest.mark.parametrize(
    ("password", "message"),
    [
        (" ", "at least 8 characters"),
        ("        ", "at least 8 characters"),
        ("short1", "at least 8 characters"),
        ("aaaaaaaaaaaa", "one repeated character"),
        ("Password123", "most common"),
        ("grace-rocks-2026", "must not contain the username"),
    ],
)
def test_weak_passwords_are_refused(served, password, message):
    with pytest.raises(WeakPassword, match=message):
        accounts.create_user(served, "grace", "instructor", password=password)
    assert accounts.find_user(served, "grace") is None


def test_a_one_space_password_is_refused_by_the_cli_too(served):
    db_file = served.execute("pragma database_list").fetchone()[2]
    result = CliRunner().invoke(
        cli, ["users", "add", "grace", "--role", "instructor", "--password-stdin", "--db", db_file],
        input=" \n",
    )  # fmt: skip
    assert result.exit_code != 0
    assert str(result.exception) == "a password needs at least 8 characters"
    assert accounts.find_user(served, "grace") is None


def test_adding_an_instructor_with_no_terminal_says_how_to_give_the_password(served):
    db_file = served.execute("pragma database_list").fetchone()[2]
    result = CliRunner().invoke(cli, ["users", "add", "grace", "--role", "instructor",
                                      "--db", db_file])  # fmt: skip
    assert result.exit_code == 2
    assert "pass --password-stdin" in result.output
    assert accounts.find_user(served, "grace") is None


def test_serve_listens_on_this_machine_unless_told_otherwise():
    from teachback.cli.serve_cmd import exposed_warning, streamlit_command

    cmd = streamlit_command(8765)
    assert cmd[cmd.index("--server.address") + 1] == "127.0.0.1"
    assert exposed_warning("127.0.0.1") is None and exposed_warning("localhost") is None
    warning = exposed_warning("0.0.0.0")
    assert warning.startswith("teachback: warning: listening on 0.0.0.0")
    assert "HTTPS reverse proxy" in warning
    help_text = CliRunner().invoke(cli, ["serve", "--help"]).output
    assert "[default: 127.0.0.1]" in help_text


def test_an_identity_provider_makes_no_one_an_instructor_without_a_list():
    assert not accounts.oidc_instructor("eve@example.org", None)
    assert not accounts.oidc_instructor("eve@example.org", [])
    assert not accounts.oidc_instructor("eve@example.org", ["grace@example.org"])
    assert accounts.oidc_instructor("Grace@Example.org", ["grace@example.org"])
    assert not accounts.oidc_instructor("", ["grace@example.org"])
