"""The app's menu: which pages each role sees, and what the address of a page someone may not
open shows instead (``app.py`` passes ``page_sections(user)`` to ``st.navigation``)."""

from __future__ import annotations

import streamlit as st

from teachback.ui import (
    account,
    ask,
    classroom,
    identity,
    instructor,
    learn,
    people,
    progress,
    signin,
)


def page_sections(user=None) -> dict[str, list]:
    """The app's pages by section for ``user`` (None: not signed in).

    Signed out: sign in, or join a class by its code. A learner: Learn, Progress, Ask, Join a
    class and Account. An instructor also gets the instructor pages, People and the live
    class; learners never get instructor pages in their menu (and each instructor page checks
    the role again itself, in ``require_instructor``). The address of a page someone may not
    open (a bookmark, a link) answers with the sign-in form or a plain refusal, from a hidden
    page at the same address, rather than Streamlit's "page not found".
    """
    join = classroom.LEARNER_PAGES
    learner_pages = [
        st.Page(learn.render, title="Learn", icon=":material/menu_book:", url_path="learn",
                default=user is not None),
        st.Page(progress.render, title="Progress", icon=":material/insights:",
                url_path="progress"),
        st.Page(ask.render, title="Ask", icon=":material/help:", url_path="ask"),
    ]  # fmt: skip
    account_page = st.Page(
        account.render, title="Account", icon=":material/person:", url_path="account"
    )
    people_page = st.Page(people.render, title="People", icon=":material/group:", url_path="people")
    instructor_sections = {
        "Instructor": [*instructor.PAGES, people_page],
        "Classroom": classroom.INSTRUCTOR_PAGES,
    }
    instructor_paths = [_path(p) for pages in instructor_sections.values() for p in pages]

    if user is None:
        page = st.Page(signin.render, title="Sign in", icon=":material/login:",
                       url_path="signin", default=True)  # fmt: skip
        closed = [_path(p) for p in learner_pages] + ["account", *instructor_paths]
        return {"": [page, *join, *_hidden(closed, signin.render, "Sign in")]}
    sections = {"Learn": [*learner_pages, *join]}
    if user.is_instructor:
        sections.update(instructor_sections)
    else:
        sections["Learn"] += _hidden(instructor_paths, _instructors_only, "Instructors only")
    sections["Account"] = [account_page]
    return sections


def _path(page) -> str:
    """A page's address (also for a default page, whose ``url_path`` reads ``""``); "" for a
    page object made outside a running app (a module imported by a test first)."""
    return getattr(page, "_url_path", "") or ""


def _hidden(paths: list[str], render, title: str) -> list:
    """Pages left out of the menu whose addresses show ``render`` instead."""
    return [
        st.Page(render, title=title, url_path=path, visibility="hidden")
        for path in dict.fromkeys(paths)
        if path
    ]


def _instructors_only() -> None:
    if (user := identity.current_user()) is not None:
        identity.sidebar_account(user)
    st.title("Instructors only")
    st.error("This page is for instructors: you are signed in as a learner.")
