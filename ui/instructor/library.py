"""Library: add sources (upload, a path on the server, a URL), ingest them in the background and
watch progress while doing other things, see each source's status and errors, re-ingest.

The ingest runs in a background thread with its own database connection; the progress panel is
an ``st.fragment`` that re-renders itself every second from the job's last progress event and
the ``ingest_runs`` table, so the rest of the app stays usable meanwhile.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import streamlit as st

from teachback.config import default_db_path
from teachback.curricula import catalogue
from teachback.errors import TeachbackError
from teachback.ingest.jobs import job_for, start_ingest
from teachback.ui.humanize import human_time
from teachback.ui.instructor.common import (
    instructor_db,
    may_change,
    pick_curriculum,
    plain,
    require_instructor,
)


def uploads_dir(curriculum: str) -> Path:
    """Where uploaded and downloaded sources are kept: beside the database."""
    safe = re.sub(r"[^A-Za-z0-9_-]+", "_", curriculum) or "default"
    return default_db_path().resolve().parent / "uploads" / safe


def _safe_name(name: str) -> str:
    name = Path(name).name  # never a path from the browser
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name).strip("._")[:120] or "upload"


def _pending() -> list[str]:
    return st.session_state.setdefault("library_pending", [])


def _add_pending(path: Path) -> None:
    pending = _pending()
    if str(path) not in pending:
        pending.append(str(path))


def _stats(text: str | None) -> dict:
    try:
        value = json.loads(text or "{}")
    except ValueError:
        return {}
    return value if isinstance(value, dict) else {}


@st.fragment(run_every=1.0)
def progress_panel(curriculum: str) -> None:
    """The running (or last) ingest of this curriculum; refreshes itself every second."""
    job = job_for(curriculum)
    seen = st.session_state.setdefault("_ingest_seen_done", set())
    if job is not None and job.done and id(job) not in seen:
        seen.add(id(job))
        st.rerun(scope="app")  # the ingest just ended: refresh sources, curricula, sidebar
    if job is None:
        st.caption("No ingest started from this server yet.")
    else:
        last = job.events[-1] if job.events else {}
        total, done = last.get("total") or 0, last.get("done") or 0
        label = f"{last.get('stage', 'starting')}: {last.get('message', '')}".strip(": ")
        if not job.done:
            st.progress(min(done / total, 1.0) if total else 0.0, text=plain(label))
            st.caption(
                f"Running for {time.monotonic() - job.started:.0f} s — you can keep "
                "working on other pages."
            )
        elif job.error:
            st.error(f"Ingest failed: {job.error}")
        else:
            s = job.summary or {}
            st.success(
                f"Ingest finished: {s.get('sources_read', 0)} sources read, "
                f"{s.get('concepts', 0)} concepts, {s.get('lessons', 0)} lessons, "
                f"{s.get('exercises_kept', 0)} exercises kept."
            )
            if s.get("llm"):  # a model was configured: what it cost and what fell back
                from teachback.engine.llm_budget import describe_usage

                st.info(describe_usage(s["llm"]))
            for line in s.get("errors", []):
                st.warning(line)
    db = instructor_db()
    runs = catalogue.recent_ingest_runs(db, curriculum, limit=5)
    if runs:
        st.dataframe(
            [
                {
                    "started": human_time(r["started_at"]),
                    "finished": human_time(r["finished_at"]) if r["finished_at"] else "",
                    "status": r["status"],
                    "sources read": stats.get("sources_read", len(stats.get("paths", []))),
                    "concepts": stats.get("concepts", ""),
                    "model tokens": stats.get("tokens", 0),
                    "errors": len(stats.get("errors", [])),
                }
                for r in runs
                for stats in [_stats(r["stats"])]
            ],
            hide_index=True,
        )


def _ingest(db, who: str, curriculum: str, paths: list[str]) -> bool:
    """Start an ingest once the store agrees: a new curriculum becomes ``who``'s; adding to
    an existing one needs its owner or a co-owner."""
    from teachback.curricula import ownership

    try:
        ownership.prepare(db, curriculum, who)
        start_ingest(curriculum, paths)
    except (TeachbackError, RuntimeError) as err:
        st.error(str(err))
        return False
    return True


def _sharing(db, who: str, curriculum: str) -> None:
    """Who else may change this curriculum: add or remove co-owners."""
    from teachback.curricula import accounts, ownership

    seen = ownership.access(db, curriculum, who)
    with st.expander(f"Owner: {seen.owner_name} \u00b7 shared with {len(seen.editors)}"):
        for user in seen.editors:
            col1, col2 = st.columns([4, 1])
            col1.markdown(f"{plain(user.display_name)} ({plain(user.username)})")
            if col2.button("Remove", key=f"unshare_{user.username}"):
                ownership.unshare(db, curriculum, user.username, who=who)
                st.rerun()
        taken = {u.id for u in seen.editors} | ({seen.owner.id} if seen.owner else set())
        others = [u for u in accounts.list_users(db, "instructor")
                  if u.id not in taken and not u.disabled]  # fmt: skip
        if not others:
            st.caption("No other instructor to share it with.")
            return
        pick = st.selectbox("Share with", [u.username for u in others], key="share_with",
                            format_func=lambda n: next(u.display_name for u in others
                                                       if u.username == n))  # fmt: skip
        if st.button("Share", key="share_go"):
            try:
                ownership.share(db, curriculum, pick, who=who)
            except TeachbackError as err:
                st.error(str(err))
            else:
                st.rerun()


def render() -> None:
    who = require_instructor()
    db = instructor_db()
    st.title("Library")
    curriculum = pick_curriculum(db, allow_new=True, who=who)
    if curriculum is None:
        st.info("Choose a curriculum in the sidebar, or name a new one.")
        return
    st.caption(f"Curriculum: `{curriculum}`")
    from teachback.curricula.repository import get_sources

    exists = catalogue.exists(db, curriculum)
    if exists and not may_change(db, curriculum, who):
        _sources_table(get_sources(db, curriculum))
        return
    if exists:
        _sharing(db, who, curriculum)

    st.subheader("Add sources")
    tab_upload, tab_path, tab_url = st.tabs(["Upload", "Path on the server", "URL"])
    with tab_upload:
        _add_uploads(curriculum)
    with tab_path:
        _add_path()
    with tab_url:
        _add_url(curriculum)
    sources = _ingest_buttons(db, who, curriculum)
    st.subheader("Progress")
    progress_panel(curriculum)
    _sources_table(sources)


def _add_uploads(curriculum: str) -> None:
    files = st.file_uploader(
        "Markdown, HTML, PDF, text, notebooks, zip archives",
        accept_multiple_files=True,
        key="library_upload",
    )
    if files and st.button("Add the uploaded files", key="add_uploads"):
        folder = uploads_dir(curriculum)
        folder.mkdir(parents=True, exist_ok=True)
        for f in files:
            target = folder / _safe_name(f.name)
            target.write_bytes(f.getvalue())
            _add_pending(target)
        st.success(f"Added {len(files)} file(s).")


def _add_path() -> None:
    raw = st.text_input("A file or folder on the server", key="library_path")
    if st.button("Add the path", key="add_path"):
        path = Path(raw.strip()).expanduser()
        if not raw.strip():
            st.error("Enter a path.")
        elif not path.exists():
            st.error(f"{raw.strip()}: no such file or folder on the server.")
        else:
            _add_pending(path.resolve())
            st.success(f"Added {path.resolve()}.")


def _add_url(curriculum: str) -> None:
    url = st.text_input("http(s) URL of an article, PDF or notebook", key="library_url")
    if st.button("Download and add", key="add_url"):
        from teachback.config import IngestLimits
        from teachback.curricula.sources_fetch import fetch_url, save_fetched

        try:
            fetched = fetch_url(url, max_bytes=IngestLimits().max_file_bytes)
            saved = save_fetched(fetched, uploads_dir(curriculum))
        except TeachbackError as err:
            st.error(str(err))
        else:
            _add_pending(saved)
            st.success(f"Downloaded {len(fetched.data)} bytes as {saved.name}.")


def _ingest_buttons(db, who: str, curriculum: str) -> list[dict]:
    """Ingest the sources just added, or re-ingest chosen ones (one job at a time); returns
    the curriculum's sources."""
    from teachback.curricula.repository import get_sources

    pending = _pending()
    if pending:
        st.markdown("**Ready to ingest:** " + ", ".join(f"`{Path(p).name}`" for p in pending))
    job = job_for(curriculum)
    busy = job is not None and not job.done
    col1, col2 = st.columns(2)
    if col1.button("Ingest the new sources", disabled=busy or not pending, key="ingest_new"):
        if _ingest(db, who, curriculum, pending):
            st.session_state["library_pending"] = []
            st.rerun()
    sources = get_sources(db, curriculum)
    on_disk = [s["path"] for s in sources if s["path"] and Path(s["path"]).exists()]
    chosen = col2.multiselect(
        "Sources to re-ingest",
        on_disk,
        default=on_disk,
        format_func=lambda p: Path(p).name,
        key=f"reingest_pick_{curriculum}",
        help="Only what depends on a changed file is redone; instructor edits are kept.",
    )
    if col2.button("Re-ingest", disabled=busy or not chosen, key="reingest"):
        if _ingest(db, who, curriculum, chosen):
            st.rerun()
    return sources


def _sources_table(sources: list[dict]) -> None:
    st.subheader("Sources")
    if not sources:
        st.caption("No sources in this curriculum yet.")
    else:
        st.dataframe(
            [
                {
                    "source": s["title"] or Path(s["path"]).name,
                    "path": s["path"],
                    "format": s["format"],
                    "status": s["status"],
                    "error": s["error"] or "",
                    "ingested": human_time(s["ingested_at"]),
                }
                for s in sources
            ],
            hide_index=True,
        )
        for s in sources:
            if s["status"] == "error":
                st.error(f"{s['path']}: {s['error']}")
