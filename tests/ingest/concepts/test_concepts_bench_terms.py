"""``teachback bench concepts --terms FILE``: a real key-term list as the gold."""

from __future__ import annotations

import json

import click
import pytest
from click.testing import CliRunner

from teachback.benchmarks.concepts_textbook import KeyTerm, command, load_terms

SECTIONS = [
    {
        "domain": "biology",
        "section": "1.1",
        "title": "Cells",
        "text": "A cell is the smallest unit of life. Every cell is surrounded by a membrane. "
        "The cell membrane is a thin layer that controls what enters the cell. Inside the "
        "cell, the cytoplasm holds the organelles. The nucleus is an organelle that stores "
        "the genetic material of the cell.",
    },
    {
        "domain": "biology",
        "section": "2.1",
        "title": "Photosynthesis",
        "text": "Photosynthesis is the process by which plants turn light into chemical energy. "
        "It takes place in the chloroplast, an organelle found in leaf cells. Chlorophyll is "
        "a green pigment that absorbs light. The products of photosynthesis are glucose and "
        "oxygen.",
    },
]


def test_load_terms_formats(tmp_path):
    jsonl = tmp_path / "terms.jsonl"
    jsonl.write_text(
        '{"section": "1.1", "terms": ["cell", "cell membrane"]}\n'
        '{"section": "2.1", "terms": ["photosynthesis"], "domain": "biology"}\n'
    )
    assert load_terms(jsonl) == [
        KeyTerm("cell", "1.1"),
        KeyTerm("cell membrane", "1.1"),
        KeyTerm("photosynthesis", "2.1", "biology"),
    ]
    array = tmp_path / "terms.json"
    array.write_text('["nucleus", {"section": "2.1", "terms": ["chlorophyll"]}]')
    assert load_terms(array) == [KeyTerm("nucleus"), KeyTerm("chlorophyll", "2.1")]
    plain = tmp_path / "terms.txt"
    plain.write_text("# key terms\nnucleus\n\n  cytoplasm \n")
    assert load_terms(plain) == [KeyTerm("nucleus"), KeyTerm("cytoplasm")]
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"section": "1.1", "term": "cell"}\n')
    with pytest.raises(click.ClickException, match="bad.jsonl:1"):
        load_terms(bad)


def _stub_extractor(monkeypatch, names: list[str]) -> None:
    """The benchmark's mechanics without the extractor's quality: fixed concept names."""
    from teachback.engine.protocol import ConceptDraft
    from teachback.ingest import concepts

    def fake(documents):
        return [ConceptDraft(name=n, definition="", importance=0.5) for n in names]

    monkeypatch.setattr(concepts, "extract_concepts", fake)


def test_bench_concepts_with_a_term_list(tmp_path, monkeypatch):
    _stub_extractor(monkeypatch, ["cells", "nucleus", "photosynthesis", "leaf"])
    sections = tmp_path / "sections.jsonl"
    sections.write_text("".join(json.dumps(r) + "\n" for r in SECTIONS))
    terms = tmp_path / "terms.jsonl"
    terms.write_text(
        '{"section": "1.1", "terms": ["cell", "cell membrane", "nucleus"]}\n'
        '{"section": "2.1", "terms": ["photosynthesis", "chlorophyll", "mitochondrion"]}\n'
    )
    result = CliRunner().invoke(command, ["--terms", str(terms), "--sections", str(sections)])
    assert result.exit_code == 0, result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    # "mitochondrion" is not in the text: 5 findable terms; found: cell (as "cells"), nucleus,
    # photosynthesis; missed: cell membrane, chlorophyll.
    assert figures["biology_coverage_in_text"] == 0.6
    assert figures["biology_coverage"] == 0.5
    # Each half is judged on the terms of its own sections (chapter 1 / chapter 2).
    assert figures["biology_a_coverage"] == round(2 / 3, 4)
    assert figures["biology_b_coverage"] == round(1 / 3, 4)
    assert figures["biology_b_coverage_in_text"] == 0.5
    assert "missed (in text): cell membrane\n" in result.output
    assert "missed (in text): chlorophyll\n" in result.output


def test_bench_concepts_needs_a_gold(tmp_path):
    sections = tmp_path / "sections.jsonl"
    sections.write_text(json.dumps(SECTIONS[0]) + "\n")
    result = CliRunner().invoke(command, ["--sections", str(sections)])
    assert result.exit_code != 0
    assert "--pairs FILE or --terms FILE" in result.output
