"""Markdown reader: sections from markdown-it token maps, spans into the file itself."""

from teachback.ingest.readers import read_bytes, read_file

ARTICLE = """---
title: Caching
author: someone
---
# Caching basics

A **cache** is a small, fast store that keeps copies of data. It sits in front of
a slower *backing store*; see [the glossary](https://example.org/glossary).

## Hits and misses

A `cache hit` means the data was found.

- A **hit** is cheap.
- A **miss** goes to the backing store.

```python
>>> lookup("k")
'v'
```

### Eviction

> Eviction is choosing what to drop.

---

## Summary
Plain closing words.
"""


def _check_spans(doc, raw_text):
    assert doc.text == raw_text
    assert doc.section_text_matches()
    for a, b in zip(doc.sections, doc.sections[1:], strict=False):
        assert a.end <= b.start, (a, b)


def test_markdown_structure_signals_and_spans(tmp_path):
    path = tmp_path / "caching.md"
    path.write_text(ARTICLE, encoding="utf-8")
    doc = read_file(path)
    _check_spans(doc, ARTICLE)
    assert doc.format == "markdown" and doc.path == str(path)
    assert doc.title == "Caching basics"
    assert [(s.kind, s.text.split("\n")[0]) for s in doc.sections] == [
        ("heading", "Caching basics"),
        (
            "prose",
            "A **cache** is a small, fast store that keeps copies of data. It sits in front of",
        ),
        ("heading", "Hits and misses"),
        ("prose", "A `cache hit` means the data was found."),
        ("prose", "- A **hit** is cheap."),
        ("prose", "- A **miss** goes to the backing store."),
        ("code", "```python"),
        ("heading", "Eviction"),
        ("prose", "> Eviction is choosing what to drop."),
        ("heading", "Summary"),
        ("prose", "Plain closing words."),
    ]
    by_text = {s.text.split("\n")[0]: s for s in doc.sections}
    intro = doc.sections[1]
    assert intro.signals == {
        "emphasis": ["cache", "backing store"],
        "strong": ["cache"],
        "links": ["https://example.org/glossary"],
        "link_texts": ["the glossary"],
    }
    assert by_text["A `cache hit` means the data was found."].signals == {
        "code_spans": ["cache hit"]
    }
    code = by_text["```python"]
    assert code.signals["language"] == "python"
    assert code.signals["doctests"] == [{"source": 'lookup("k")', "want": "'v'"}]
    assert by_text["Eviction"].heading_path == ("Caching basics", "Hits and misses", "Eviction")
    assert by_text["Eviction"].signals["level"] == 3
    assert by_text["Summary"].heading_path == ("Caching basics", "Summary")
    assert by_text["Plain closing words."].heading_path == ("Caching basics", "Summary")
    # Front matter is not a section.
    assert all("author:" not in s.text for s in doc.sections)


def test_crlf_and_bom_files_keep_exact_spans():
    raw = "# Title\r\n\r\nSome **bold** words.\r\nMore text.\r\n\r\n## Next\r\n\r\nEnd.\r\n"
    doc = read_bytes("win.md", raw.encode("utf-8"))
    _check_spans(doc, raw)
    assert [s.text for s in doc.sections] == [
        "Title",
        "Some **bold** words.\r\nMore text.",
        "Next",
        "End.",
    ]
    raw_bom = b"\xef\xbb\xbf# Title\n\nBody.\n"
    bom = read_bytes("bom.md", raw_bom)
    # The text is the file as Python's utf-8 codec reads it (BOM kept as U+FEFF) so offsets
    # match Path.read_text(); no section includes the mark.
    assert bom.text == raw_bom.decode("utf-8") == "\ufeff# Title\n\nBody.\n"
    assert [(s.kind, s.text, s.start) for s in bom.sections] == [
        ("heading", "Title", 3),
        ("prose", "Body.", 10),
    ]
    assert bom.section_text_matches() and bom.meta["encoding"] == "utf-8 (BOM)"


def test_title_falls_back_to_front_matter_then_file_name():
    doc = read_bytes("x.md", b"---\ntitle: From Front Matter\n---\n\nJust a paragraph.\n")
    assert doc.title == "From Front Matter"
    assert read_bytes("dir/my-notes_v2.md", b"No headings here.\n").title == "my notes v2"


def test_setext_headings_and_nested_lists():
    raw = "Big Title\n=========\n\n1. first\n   - nested *em*\n2. second\n\nSub\n---\n\ntext\n"
    doc = read_bytes("s.md", raw.encode())
    _check_spans(doc, raw)
    assert [(s.kind, s.text) for s in doc.sections] == [
        ("heading", "Big Title"),
        ("prose", "1. first\n   - nested *em*"),
        ("prose", "2. second"),
        ("heading", "Sub"),
        ("prose", "text"),
    ]
    assert doc.sections[1].signals["emphasis"] == ["em"]
    assert doc.sections[4].heading_path == ("Big Title", "Sub")


def test_long_files_parsed_in_chunks_give_the_same_sections(monkeypatch):
    from teachback.config import SAMPLES_DIR
    from teachback.ingest.readers import markdown

    raw = (SAMPLES_DIR / "hash_tables.md").read_bytes()
    raw += b"\n```\n# not a heading, inside a fence\n\n# still code\n```\n\n# After\n\nEnd.\n"
    whole = read_bytes("a.md", raw)
    monkeypatch.setattr(markdown, "CHUNK_CHARS", 500)
    assert len(markdown.chunks(whole.text, 500)) > 10
    pieces = read_bytes("a.md", raw)
    assert pieces.section_text_matches()

    def as_tuples(doc):
        return [(s.kind, s.start, s.end, s.heading_path, s.signals) for s in doc.sections]

    assert as_tuples(pieces) == as_tuples(whole)
    assert pieces.title == whole.title
    code = [s for s in pieces.sections if s.kind == "code"][-1]
    assert "# still code" in code.text
