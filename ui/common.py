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
    ids = [i for i in dict.fromkeys(ids) if i]
    if not ids:
        return {}
    rows = get_db().execute(
        f"select id, path, title from sources where id in ({','.join('?' * len(ids))})", ids
    )
    return {r[0]: (r[2] or r[1]) for r in rows.fetchall()}


# --------------------------------------------------------------------------------- the learner


@dataclass(frozen=True)
class Learner:
    id: str
    name: str
    curriculum: str


def learner_id(name: str) -> str:
    """A stable id from a display name: ``"Ada Lovelace" -> "learner-ada-lovelace"``."""
    from teachback.tutor.session import learner_id_for

    return learner_id_for(name)


def curricula_for_learners() -> dict[str, str]:
    """Curricula a learner can pick: the published ones, id -> title (learners only ever see
    a curriculum's published version, never the instructor's draft)."""
    rows = (
        get_db()
        .execute("select id, title from curricula where published_version is not null order by id")
        .fetchall()
    )
    return {r[0]: (r[1] or r[0]) for r in rows}


def unpublished_count() -> int:
    """Curricula that exist but are not published yet (being prepared by an instructor)."""
    return (
        get_db()
        .execute("select count(*) from curricula where published_version is null")
        .fetchone()[0]
    )


def current_learner() -> Learner | None:
    """Who is learning what: the session's choice, else the page address (so a reload or a
    bookmark comes back to the same place)."""
    state = st.session_state
    if "learner" not in state:
        qp = st.query_params
        name, curriculum = qp.get("learner"), qp.get("curriculum")
        if name and curriculum and curriculum in curricula_for_learners():
            state["learner"] = Learner(learner_id(name), name, curriculum)
    who = state.get("learner")
    if who is not None:
        st.query_params["learner"] = who.name
        st.query_params["curriculum"] = who.curriculum
    return who


def learner_sidebar() -> Learner | None:
    """The sidebar where a learner picks a curriculum and a name (or switches)."""
    who = current_learner()
    with st.sidebar:
        if who is not None:
            st.markdown(f"**{plain(who.name)}** \u00b7 {plain(who.curriculum)}")
            if st.button("Switch learner or curriculum", key="switch"):
                del st.session_state["learner"]
                st.query_params.clear()
                st.rerun()
            return who
        options = curricula_for_learners()
        waiting = unpublished_count()
        if not options:
            if waiting:
                st.info(
                    "Nothing to learn yet: a curriculum is being prepared and will appear here "
                    "as soon as an instructor publishes it (Instructor → Review & publish)."
                )
            else:
                st.warning("No curriculum yet. Run `teachback quickstart` or `teachback ingest`.")
            return None
        with st.form("who"):
            st.markdown("**Start learning**")
            curriculum = st.selectbox(
                "Curriculum", list(options), format_func=lambda c: options[c], key="pick_curriculum"
            )
            name = st.text_input("Your name", key="pick_name", max_chars=60)
            if waiting:
                st.caption(
                    f"{waiting} more {'curriculum is' if waiting == 1 else 'curricula are'} "
                    "being prepared and will appear once published."
                )
            if st.form_submit_button("Start"):
                if not name.strip():
                    st.error("Enter a name, so you can come back to the same place later.")
                else:
                    st.session_state["learner"] = Learner(
                        learner_id(name), name.strip(), curriculum
                    )
                    st.rerun()
    return None


def welcome() -> None:
    """What a newcomer sees before picking: what this is and the three steps to start."""
    st.info("**To begin:** pick a curriculum and type your name in the sidebar, then press Start.")
    st.markdown(
        "teachback has read the curriculum's source material and now teaches it to you, "
        "one concept at a time:\n\n"
        "1. **Learn** — a short lesson drawn from the sources, then a question. You get "
        "feedback at once, with the passage to reread.\n"
        "2. **Progress** — your concept map, coloured as you master each concept, and what "
        "is due for review.\n"
        "3. **Ask** — any question; the answer is quoted from the sources.\n\n"
        "Your place is kept under your name: come back later with the same name and you "
        "continue where you stopped."
    )


def require_learner() -> Learner:
    """The learner, or a friendly prompt and stop."""
    who = learner_sidebar()
    if who is None:
        welcome()
        st.stop()
    return who


# --------------------------------------------------------------------------------- navigation

EXTENSIONS = (("Instructor", "teachback.ui.instructor"), ("Classroom", "teachback.ui.classroom"))


def page_sections() -> dict[str, list]:
    """The app's pages by section: the learner's, then any extension module's ``PAGES``."""
    import importlib

    from teachback.ui import ask, learn, progress

    sections = {
        "Learn": [
            st.Page(
                learn.render,
                title="Learn",
                icon=":material/menu_book:",
                url_path="learn",
                default=True,
            ),
            st.Page(
                progress.render, title="Progress", icon=":material/insights:", url_path="progress"
            ),
            st.Page(ask.render, title="Ask", icon=":material/help:", url_path="ask"),
        ]
    }
    for section, module_name in EXTENSIONS:
        try:
            module = importlib.import_module(module_name)
        except ModuleNotFoundError as err:
            if err.name and module_name.startswith(err.name):
                continue  # that part of the app is not installed (yet)
            raise
        pages = list(getattr(module, "PAGES", None) or [])
        if pages:
            sections[section] = pages
    return sections
