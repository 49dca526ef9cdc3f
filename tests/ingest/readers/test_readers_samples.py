"""Reader invariants on every bundled sample file, and on random input (hypothesis)."""

import doctest
import os

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from teachback.config import SAMPLES_DIR
from teachback.errors import SourceError
from teachback.ingest.readers import load_sources, read_bytes

SAMPLE_FILES = sorted(
    os.path.relpath(os.path.join(d, f), SAMPLES_DIR)
    for d, _, files in os.walk(SAMPLES_DIR)
    for f in files
    if "__pycache__" not in d
)


def _invariants(doc):
    assert doc.sections, doc.path
    assert doc.section_text_matches(), doc.path
    for s in doc.sections:
        assert 0 <= s.start < s.end <= len(doc.text)
        assert s.text.strip() == s.text  # trimmed: no empty or whitespace-edged sections
    for a, b in zip(doc.sections, doc.sections[1:], strict=False):
        assert a.end <= b.start, (doc.path, a, b)


def test_samples_load_cleanly_and_cover_every_format_we_ship():
    result = load_sources(SAMPLES_DIR)
    assert result.errors == []
    formats = sorted({d.format for d in result.documents})
    assert formats == ["code", "markdown", "notebook"]
    for doc in result.documents:
        _invariants(doc)
        if doc.format in ("markdown", "code"):
            with open(doc.path, encoding="utf-8") as fh:
                assert doc.text == fh.read()  # spans point into the file itself
    # The README describes the samples; .teachbackignore keeps it out of the curriculum.
    assert not any(d.path.endswith("README.md") for d in result.documents)


@pytest.mark.parametrize("rel", SAMPLE_FILES)
def test_every_sample_file_read_on_its_own(rel):
    data = (SAMPLES_DIR / rel).read_bytes()
    if rel == ".teachbackignore" or (not data.strip() and rel.endswith("__init__.py")):
        pytest.skip("not a source")
    doc = read_bytes(rel, data)
    _invariants(doc)


def test_sample_package_doctests_match_what_doctest_finds():
    result = load_sources(SAMPLES_DIR / "hashkit")
    parser = doctest.DocTestParser()
    for doc in result.documents:
        found = sum(
            len(s.signals.get("doctests", [])) for s in doc.sections if s.signals.get("definition")
        )
        expected = len(parser.get_examples(doc.text))  # every >>> in the file is in a docstring
        assert found == expected, doc.path
        sections = [s for s in doc.sections if s.kind == "doctest"]
        assert len(sections) == expected
    probing = next(d for d in result.documents if d.path.endswith("probing.py"))
    probe = next(
        s
        for s in probing.sections
        if s.signals.get("symbol") == "hashkit.probing.LinearProbingTable._probe"
        and s.signals.get("definition")
    )
    assert probe.signals["doctests"][-1] == {
        "source": "[next(seq) for _ in range(3)]",
        "want": "[7, 0, 1]",
    }
    assert "hashkit.hashing.bucket_index" in probe.signals["calls"]


def test_sample_article_is_a_real_article():
    doc = read_bytes("hash_tables.md", (SAMPLES_DIR / "hash_tables.md").read_bytes())
    words = len(doc.text.split())
    assert 1500 <= words <= 3000
    strong = {t.lower() for s in doc.sections for t in s.signals.get("strong", [])}
    assert {"hash function", "collision", "load factor", "separate chaining"} <= strong


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(
        alphabet=st.sampled_from(list("ab #*_`-=>\n\r\t1.[]()!\"'\\é")),
        max_size=300,
    ),
    st.sampled_from(["x.md", "x.txt", "x.py", "x.html", "x.js"]),
)
def test_random_input_keeps_the_invariants(text, name):
    try:
        doc = read_bytes(name, text.encode("utf-8"))
    except SourceError:
        return  # empty or not text: a clear error is fine
    assert doc.section_text_matches()
    for a, b in zip(doc.sections, doc.sections[1:], strict=False):
        assert a.end <= b.start
    if name.endswith((".md", ".txt", ".py", ".js")):
        assert doc.text == text


def test_sample_notebook_code_cells_say_what_they_define_and_use():
    doc = read_bytes("nb.ipynb", (SAMPLES_DIR / "hash_tables_in_practice.ipynb").read_bytes())
    cell = next(s for s in doc.sections if "def first_collision" in s.text)
    assert cell.signals["defines"] == ["first_collision"]
    assert "bucket_index" in cell.signals["calls"]
    assert cell.signals["outputs"] == ["average keys until the first collision: 36.26\n"]
