"""Probe: a source folder whose symlinks lead out of it (``notes.md -> ~/.ssh/id_rsa``).

Sources are read only from inside the folder or archive given: a link that leaves it is
refused with a one-line error naming the link, and the rest of the batch lands.
"""

from __future__ import annotations

import io
import os
import stat
import zipfile

import pytest

from teachback.ingest.pipeline import run_ingest
from teachback.ingest.readers.loading import load_bytes, load_sources

pytestmark = pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")

SECRET = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA secret key\n"
LESSON = "# Osmosis\n\n**Osmosis** is the movement of water across a membrane.\n"


@pytest.fixture
def course(tmp_path):
    """A course folder with one real note and links that climb out of it, beside a
    'home' folder holding a secret and a private folder."""
    home = tmp_path / "home"
    (home / ".ssh").mkdir(parents=True)
    (home / ".ssh" / "id_rsa").write_text(SECRET)
    (home / "private").mkdir()
    (home / "private" / "diary.md").write_text("# Diary\n\nMy secret diary entry.\n")
    root = tmp_path / "course"
    (root / "part1").mkdir(parents=True)
    (root / "part1" / "osmosis.md").write_text(LESSON)
    os.symlink(home / ".ssh" / "id_rsa", root / "notes.md")  # absolute link out
    os.symlink("../../home/private", root / "part1" / "more")  # relative folder link out
    os.symlink("part1/osmosis.md", root / "again.md")  # stays inside: allowed
    return root


def test_links_leaving_the_folder_are_refused_and_the_rest_is_read(course):
    result = load_sources(course)
    read = sorted(os.path.relpath(d.path, course) for d in result.documents)
    assert read == ["again.md"]  # the link inside is followed; the file it names is read once
    errors = {os.path.relpath(e.where, course): e.problem for e in result.errors}
    home = os.path.realpath(course.parent / "home")
    assert errors == {
        "notes.md": f"symlink leads outside the folder given (to {home}/.ssh/id_rsa); not read",
        "part1/more": f"symlink leads outside the folder given (to {home}/private); not read",
    }
    for err in result.errors:
        assert "\n" not in str(err)
    texts = " ".join(s.text for d in result.documents for s in d.sections)
    assert "PRIVATE KEY" not in texts and "diary" not in texts


def test_a_link_swapped_in_after_the_walk_is_refused_when_read(course, monkeypatch):
    """The check is repeated at read time: replacing a file by a link between listing the
    folder and reading it does not get out either."""
    from teachback.ingest.readers import loading

    real_read_all = loading._read_all

    def swap_then_read(expander, limits, result, on_progress):
        target = course / "part1" / "osmosis.md"
        target.unlink()
        os.symlink(course.parent / "home" / ".ssh" / "id_rsa", target)
        return real_read_all(expander, limits, result, on_progress)

    monkeypatch.setattr(loading, "_read_all", swap_then_read)
    result = load_sources(course / "part1")
    assert result.documents == []
    assert sorted(os.path.basename(e.where) for e in result.errors) == ["more", "osmosis.md"]
    assert {e.problem.split(" (")[0] for e in result.errors} == {
        "symlink leads outside the folder given"
    }


def test_symlink_members_of_a_zip_are_not_followed():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("course/osmosis.md", LESSON)
        link = zipfile.ZipInfo("course/passwd.md")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        archive.writestr(link, "/etc/passwd")
    result = load_bytes([("course.zip", buffer.getvalue())])
    assert [d.path for d in result.documents] == ["course.zip!course/osmosis.md"]
    assert [str(e) for e in result.errors] == [
        "course.zip!course/passwd.md: symlink in zip archive; not followed, not read"
    ]


def test_ingest_lands_the_batch_and_stores_nothing_from_outside(course, db):
    summary = run_ingest(db, [course], curriculum="c", exercises=False)
    assert sorted(summary.errors) == sorted(
        [
            f"{course}/notes.md: symlink leads outside the folder given "
            f"(to {os.path.realpath(course.parent / 'home')}/.ssh/id_rsa); not read",
            f"{course}/part1/more: symlink leads outside the folder given "
            f"(to {os.path.realpath(course.parent / 'home')}/private); not read",
        ]
    )
    assert summary.sources_read == 1  # again.md and part1/osmosis.md are one file
    stored = " ".join(r["text"] or "" for r in db.query("select text from sources"))
    assert "Osmosis" in stored
    assert "PRIVATE KEY" not in stored and "diary" not in stored
