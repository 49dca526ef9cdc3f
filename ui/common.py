"""Shared pieces of the learner pages: the store and tutor (cached), who is learning what, and
safe rendering of source text.

Pages only parse input, call a function and show the result: no teaching logic lives here.
Source text is untrusted, so it is shown with ``st.markdown`` and HTML disabled (Streamlit's
default, never ``unsafe_allow_html``); short labels that are not meant as Markdown go through
``plain`` first.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from teachback.config import default_db_path


def db_path() -> Path:
    """The store the app serves: ``$TEACHBACK_DB`` (set by ``teachback serve``) or the default."""
    return default_db_path().resolve()


@st.cache_resource(show_spinner=False)
def _db(path: str):
    from teachback.curricula.db import open_db

    return open_db(path)


@st.cache_resource(show_spinner=False)
def _tutor(path: str):
    from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

    return TutorSessions(_db(path), sqlite_checkpointer(sessions_path(path)), warm_up=True)


@st.cache_resource(show_spinner=False)
def get_engine():
    """The configured model engine (``$TEACHBACK_ENGINE``); None means offline quoting."""
    try:
        from teachback.engine.embedded import get_engine as configured
    except ImportError:
        return None
    try:
        return configured()
    except Exception:  # an unreachable or unknown engine: answer offline, never fail the page
        return None


def model_writes(engine, step: str) -> bool:
    """Whether ``engine`` writes ``step`` with a model (engine/openai_engine), so it streams."""
    config = getattr(engine, "config", None)
    return config is not None and config.target(step) == "llm"


def stream_then_clear(chunks) -> str:
    """Show text as it is written (``st.write_stream``, in a box), then clear it: the caller
    shows the checked text in its place. Returns the streamed text."""
    slot = st.empty()
    with slot.container(border=True):
        text = st.write_stream(chunks)
    slot.empty()
    return text if isinstance(text, str) else ""


_thread_local = threading.local()


def get_db():
    """The store for pages: one connection per script thread.

    Streamlit runs every browser session's script in its own thread, and one sqlite3
    connection must never interleave two transactions (an instructor's edit and a listing would
    share savepoints). WAL lets these connections read while another writes. The tutor keeps
    its own connection, serialised by its store lock (``TutorSessions``).
    """
    path = str(db_path())
    connections = getattr(_thread_local, "connections", None)
    if connections is None:
        connections = _thread_local.connections = {}
    if path not in connections:
        from teachback.curricula.db import open_db

        connections[path] = open_db(path)
    return connections[path]


def get_tutor():
    """The tutor sessions facade, one per server process, checkpointed beside the store."""
    return _tutor(str(db_path()))


_MD_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<&$])")


def plain(text: str) -> str:
    """Text shown literally inside Markdown: ``"a *b*"`` -> ``"a \\*b\\*"``."""
    return _MD_SPECIAL.sub(r"\\\1", str(text))


def show_source_text(text: str) -> None:
    """Source or lesson Markdown, rendered with HTML disabled."""
    st.markdown(text)


def show_citations(citations: list[dict], *, label: str = "From the source") -> None:
    """Each cited passage as a block quote, with the source it comes from."""
    if not citations:
        return
    names = _source_names([c.get("source", "") for c in citations])
    for c in citations:
        quote = " ".join(str(c.get("quote", "")).split())
        where = names.get(c.get("source", ""), c.get("source", ""))
        st.markdown(f"> {quote}")
        st.caption(f"{label}: {plain(where)}")


def source_titles(ids: list[str]) -> list[str]:
    """The titles (or paths) of the sources with these ids, once each, in order."""
    names = _source_names(ids)
    return list(dict.fromkeys(names.get(i, i) for i in ids))


_SOURCE_ID = re.compile(r"\bsrc-[0-9a-f]{8,}\b")


def name_sources(text: str) -> str:
    """Source ids in a message (``src-53ff...``) written as the sources' titles."""
    names = _source_names(_SOURCE_ID.findall(text))
    return _SOURCE_ID.sub(lambda m: plain(names.get(m.group(0), m.group(0))), text)


def _source_names(ids: list[str]) -> dict[str, str]:
    from teachback.curricula import catalogue

    return {r["id"]: (r["title"] or r["path"]) for r in catalogue.sources_named(get_db(), ids)}


# --------------------------------------------------------------------------------- the learner


@dataclass(frozen=True)
class Learner:
    """The signed-in person learning ``curriculum``: ``id`` is their account's id (never a
    name from the address bar)."""

    id: str
    name: str
    curriculum: str


def curricula_for_learners() -> dict[str, str]:
    """Curricula a learner can pick: the published ones, id -> title (learners only ever see
    a curriculum's published version, never the instructor's draft)."""
    from teachback.curricula import catalogue

    return {r["id"]: r["title"] for r in catalogue.published(get_db())}


def unpublished_count() -> int:
    """Curricula that exist but are not published yet (being prepared by an instructor)."""
    from teachback.curricula import catalogue

    return catalogue.unpublished_count(get_db())


def _curriculum(options: dict[str, str], learner_id: str) -> str | None:
    """The curriculum this tab works on: the learner's choice, the page address (a bookmark),
    their class's, or the only one there is."""
    state = st.session_state
    if state.get("curriculum") in options:
        return state["curriculum"]
    wanted = st.query_params.get("curriculum")
    if wanted not in options:
        from teachback.tutor.classroom.sessions import membership

        member = membership(get_db(), learner_id)
        wanted = member.curriculum_id if member is not None else None
    if wanted not in options and len(options) == 1:
        wanted = next(iter(options))
    if wanted in options:
        state["curriculum"] = wanted
        return wanted
    return None


def current_learner() -> Learner | None:
    """The signed-in person and the curriculum they are learning, or None."""
    from teachback.ui.identity import current_user

    user = current_user()
    if user is None:
        return None
    curriculum = _curriculum(curricula_for_learners(), user.id)
    if curriculum is None:
        return None
    if "learner" in st.query_params:  # an old link's name grants nothing: drop it
        del st.query_params["learner"]
    st.query_params["curriculum"] = curriculum
    return Learner(user.id, user.display_name, curriculum)


def learner_sidebar() -> Learner | None:
    """The sidebar: who is signed in, the curriculum (a choice when there are several)."""
    from teachback.ui.identity import current_user, sidebar_account

    user = current_user()
    if user is None:
        return None
    sidebar_account(user)
    options = curricula_for_learners()
    with st.sidebar:
        if not options:
            if unpublished_count():
                st.info(
                    "Nothing to learn yet: a curriculum is being prepared and will appear here "
                    "as soon as an instructor publishes it (Instructor → Review & publish)."
                )
            else:
                st.warning("No curriculum yet. Run `teachback quickstart` or `teachback ingest`.")
            return None
        current = _curriculum(options, user.id)
        if len(options) > 1 or current is None:
            ids = list(options)
            picked = st.selectbox(
                "Curriculum",
                ids,
                index=ids.index(current) if current in ids else None,
                format_func=lambda c: options[c],
                key="pick_curriculum",
                placeholder="Pick a curriculum",
            )
            if picked is not None and picked != current:
                st.session_state["curriculum"] = picked
                st.rerun()
        if waiting := unpublished_count():
            st.caption(
                f"{waiting} more {'curriculum is' if waiting == 1 else 'curricula are'} "
                "being prepared and will appear once published."
            )
    return current_learner()


def welcome() -> None:
    """What a signed-in newcomer sees before picking a curriculum."""
    st.info("**To begin:** pick a curriculum in the sidebar.")
    st.markdown(
        "teachback has read the curriculum's source material and now teaches it to you, "
        "one concept at a time:\n\n"
        "1. **Learn** — a short lesson drawn from the sources, then a question. You get "
        "feedback at once, with the passage to reread.\n"
        "2. **Progress** — your concept map, coloured as you master each concept, and what "
        "is due for review.\n"
        "3. **Ask** — any question; the answer is quoted from the sources.\n\n"
        "Your place is kept with your account: sign in again later and you continue where "
        "you stopped."
    )


def require_learner() -> Learner:
    """The signed-in learner, or the sign-in form (or a curriculum prompt) and stop."""
    from teachback.ui.identity import current_user, sign_in_form

    if current_user() is None:
        st.info("Sign in to learn: your progress is kept with your account.")
        sign_in_form()
        st.stop()
    who = learner_sidebar()
    if who is None:
        welcome()
        st.stop()
    return who


# --------------------------------------------------------------------------------- navigation

# The sections a role sees: learners never get instructor pages in their menu (and each
# instructor page checks the role again itself, in ``require_instructor``).
EXTENSIONS = (("Instructor", "teachback.ui.instructor"), ("Classroom", "teachback.ui.classroom"))


def _extension_pages(module_name: str, attribute: str) -> list:
    import importlib

    try:
        module = importlib.import_module(module_name)
    except ModuleNotFoundError as err:
        if err.name and module_name.startswith(err.name):
            return []  # that part of the app is not installed (yet)
        raise
    return list(getattr(module, attribute, None) or [])


def page_sections(user=None) -> dict[str, list]:
    """The app's pages by section for ``user`` (None: not signed in).

    Signed out: sign in, or join a class by its code. A learner: Learn, Progress, Ask, Join a
    class and Account. An instructor also gets every extension module's instructor pages
    (``INSTRUCTOR_PAGES``, else ``PAGES``) and People. The address of a page someone may not
    open (a bookmark, a link) answers with the sign-in form or a plain refusal, from a hidden
    page at the same address, rather than Streamlit's "page not found".
    """
    from teachback.ui import account, ask, learn, people, progress, signin

    join = _extension_pages("teachback.ui.classroom", "LEARNER_PAGES")
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
    instructor_sections = {}
    for section, module_name in EXTENSIONS:
        pages = _extension_pages(module_name, "INSTRUCTOR_PAGES") or _extension_pages(
            module_name, "PAGES"
        )
        if pages:
            instructor_sections[section] = pages
    instructor_sections.setdefault("Instructor", []).append(
        st.Page(people.render, title="People", icon=":material/group:", url_path="people")
    )
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
    from teachback.ui.identity import current_user, sidebar_account

    if (user := current_user()) is not None:
        sidebar_account(user)
    st.title("Instructors only")
    st.error("This page is for instructors: you are signed in as a learner.")
