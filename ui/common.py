"""Shared pieces of every page: the store, the tutor and the engine (cached), and safe rendering
of source text. Who is learning what is ``ui/learner.py``; the menu is ``ui/navigation.py``.

Pages only parse input, call a function and show the result: no teaching logic lives here.
Source text is untrusted, so it is shown with ``st.markdown`` and HTML disabled (Streamlit's
default, never ``unsafe_allow_html``); short labels that are not meant as Markdown go through
``plain`` first.
"""

from __future__ import annotations

import re
import threading
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
    from teachback.tutor.algorithms import tutor_engine

    try:
        return tutor_engine()
    except Exception:  # an unreachable or unknown engine: answer offline, never fail the page
        return None


def model_writes(engine, step: str) -> bool:
    """Whether ``engine`` writes ``step`` with a model (engine/openai_engine/), so it streams."""
    return engine.writes_with_model(step)


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
