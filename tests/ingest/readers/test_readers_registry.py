"""The reader registry: built-ins and third-party readers go through the same door."""

import pytest

from teachback.core.document import Document, Section
from teachback.ingest.readers import (
    load_sources,
    read_bytes,
    reader_for,
    readers,
    register_reader,
    unregister_reader,
)


def test_builtins_are_registered_by_extension():
    assert set(readers()) >= {"markdown", "html", "pdf", "text", "notebook", "code"}
    assert reader_for("a/b/Notes.MD").format == "markdown"
    assert reader_for("x.ipynb").format == "notebook"
    assert reader_for("archive.zip!pkg/mod.py").format == "code"
    assert reader_for("page.htm").format == "html"
    assert reader_for("photo.jpeg") is None


def test_a_plugin_reader_registers_like_a_builtin(tmp_path):
    def read_org(name, data, hints):
        text = data.decode()
        title = text.splitlines()[0].lstrip("* ")
        return Document(
            path=name,
            format="org",
            title=title,
            text=text,
            sections=[Section(kind="heading", start=2, end=2 + len(title), text=title)],
        )

    register_reader("org", (".org",), read_org)
    try:
        (tmp_path / "todo.org").write_text("* Learn hashing\n")
        result = load_sources(tmp_path)
        assert [(d.format, d.title) for d in result.documents] == [("org", "Learn hashing")]
        with pytest.raises(ValueError, match="already"):
            register_reader("org2", (".org",), read_org)
        with pytest.raises(ValueError, match="already"):
            register_reader("org", (".org2",), read_org)
    finally:
        unregister_reader("org")
    assert reader_for("todo.org") is None


def test_a_crashing_plugin_becomes_a_source_error(tmp_path):
    def broken(name, data, hints):
        raise KeyError("boom")

    register_reader("broken", (".brk",), broken)
    try:
        (tmp_path / "a.brk").write_text("x")
        (tmp_path / "b.md").write_text("fine\n")
        result = load_sources(tmp_path)
        assert [d.format for d in result.documents] == ["markdown"]
        assert [str(e) for e in result.errors] == [
            f"{tmp_path / 'a.brk'}: broken reader failed: KeyError: 'boom'"
        ]
    finally:
        unregister_reader("broken")


def test_replacing_a_builtin_needs_replace_true():
    original = reader_for("x.txt")
    with pytest.raises(ValueError):
        register_reader("plain", (".txt",), original.read)
    try:
        register_reader("plain", (".txt",), original.read, replace=True)
        assert reader_for("x.txt").format == "plain"
        assert read_bytes("x.txt", b"hello\n").text == "hello\n"
    finally:
        unregister_reader("plain")
        register_reader("text", original.extensions, original.read, replace=True)
    assert reader_for("x.txt").format == "text"
