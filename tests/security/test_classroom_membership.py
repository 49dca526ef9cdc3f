"""Probes of class membership: only the join code makes someone a member, and a member's id is a
random token, never derived from the display name or the session id shown to members (issue 14,
item 3: ``/join?learner=bob%20<sid>`` made a stranger "in class ... as Bob")."""

from __future__ import annotations

import re

from streamlit.testing.v1 import AppTest

from teachback.config import PACKAGE_DIR
from teachback.tests.signin import sign_in_app
from teachback.tutor.classroom import sessions

APP = str(PACKAGE_DIR / "app.py")


def join_page() -> AppTest:
    return AppTest.from_string(
        "from teachback.ui.classroom import join\njoin.render()\n", default_timeout=30
    )


def texts(at) -> str:
    return "\n".join(
        [m.value for m in at.markdown]
        + [e.value for e in (*at.success, *at.error, *at.warning, *at.info, *at.caption)]
    )


def test_a_name_and_session_id_in_the_address_do_not_make_a_member(served):
    klass = sessions.start_session(served, "water", "grace")
    sessions.join(served, klass.code, "Bob")
    for at in (join_page(), AppTest.from_file(APP, default_timeout=30)):
        at.query_params["learner"] = f"Bob ({klass.id})"
        at.query_params["curriculum"] = "water"
        at.run()
        assert not at.exception
        assert "in class" not in texts(at) and "as **Bob**" not in texts(at)
    # A signed-in stranger with Bob's name in the address is not in the class either.
    stranger = join_page()
    sign_in_app(stranger, served, "mallory")
    stranger.query_params["learner"] = f"bob {klass.id}"
    stranger.run()
    assert "in class" not in texts(stranger)
    assert [m["display_name"] for m in sessions.members(
        served, klass.id, sessions.Caller.instructor("grace"))] == ["Bob"]  # fmt: skip


def test_member_ids_are_random_tokens_not_names(served):
    first = sessions.start_session(served, "water", "grace")
    second = sessions.start_session(served, "water", "grace")
    a = sessions.join(served, first.code, "Bob")
    b = sessions.join(served, second.code, "Bob")
    for member, klass in ((a, first), (b, second)):
        assert re.fullmatch(r"learner-[0-9a-f]{24}", member.learner_id)
        assert "bob" not in member.learner_id.lower() and klass.id not in member.learner_id
    assert a.learner_id != b.learner_id


def test_the_join_page_signs_the_new_member_in_with_their_own_account(served):
    klass = sessions.start_session(served, "water", "grace")
    at = join_page()
    at.query_params["join"] = klass.code
    at.run()
    at.text_input(key="join_name").input("Cy")
    at.button[0].click().run()
    assert not at.exception
    (member,) = sessions.members(served, klass.id, sessions.Caller.instructor("grace"))
    assert member["display_name"] == "Cy"
    token = at.session_state["auth_token"]
    from teachback.curricula import accounts

    assert accounts.user_for_token(served, token).id == member["learner_id"]
    assert at.success[0].value == f"You are in class **{klass.id}** as **Cy**."


def test_a_signed_in_learner_joins_with_their_own_account(served):
    klass = sessions.start_session(served, "water", "grace")
    at = join_page()
    ada = sign_in_app(at, served, "ada", name="Ada")
    at.query_params["join"] = klass.code
    at.run()
    assert at.text_input(key="join_name").value == "Ada"
    at.button[0].click().run()
    (member,) = sessions.members(served, klass.id, sessions.Caller.instructor("grace"))
    assert member["learner_id"] == ada.id
    # Joining again with the code changes nothing.
    assert sessions.join(served, klass.code, "Ada", learner_id=ada.id).learner_id == ada.id
