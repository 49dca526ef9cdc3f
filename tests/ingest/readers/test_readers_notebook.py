"""Notebook reader: markdown cells, code cells and their SAVED outputs; nothing is executed."""

import json

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from teachback.errors import SourceError
from teachback.ingest.readers import load_sources, read_bytes


def _notebook(tmp_path, marker) -> bytes:
    nb = new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.cells = [
        new_markdown_cell("# Queues\n\nA **queue** is first-in, first-out."),
        new_code_cell(
            # If this ran, it would create the marker file: the test proves it never runs.
            f"from collections import deque\nopen({str(marker)!r}, 'w').write('ran')\n"
            "q = deque([1, 2])\nq.popleft()",
            execution_count=1,
            outputs=[
                new_output("stream", name="stdout", text="about to pop\n"),
                new_output(
                    "execute_result",
                    data={"text/plain": "1", "image/png": "iVBO"},
                    execution_count=1,
                ),
            ],
        ),
        new_markdown_cell("## Errors"),
        new_code_cell(
            "q.popleft(); q.popleft()",
            execution_count=2,
            outputs=[
                new_output(
                    "error",
                    ename="IndexError",
                    evalue="pop from an empty deque",
                    traceback=["\x1b[0;31mIndexError\x1b[0m: pop from an empty deque"],
                )
            ],
        ),
        new_code_cell("", outputs=[]),
        new_code_cell(
            "%matplotlib inline\nplot()",
            outputs=[new_output("display_data", data={"image/png": "iVBO"})],
        ),
    ]
    nbformat.validate(nb)
    return nbformat.writes(nb).encode("utf-8")


def test_cells_and_saved_outputs(tmp_path):
    marker = tmp_path / "executed.txt"
    path = tmp_path / "queues.ipynb"
    path.write_bytes(_notebook(tmp_path, marker))
    result = load_sources(path)
    assert result.errors == []
    (doc,) = result.documents
    assert not marker.exists()  # never executed
    assert doc.format == "notebook" and doc.title == "Queues"
    assert doc.section_text_matches()
    for a, b in zip(doc.sections, doc.sections[1:], strict=False):
        assert a.end <= b.start
    kinds = [(s.kind, s.locator) for s in doc.sections]
    assert kinds == [
        ("heading", "cell 1"),
        ("prose", "cell 1"),
        ("code", "cell 2"),
        ("output", "cell 2 output 1"),
        ("output", "cell 2 output 2"),
        ("heading", "cell 3"),
        ("code", "cell 4"),
        ("output", "cell 4 output 1"),
        ("code", "cell 6"),
    ]
    code = doc.sections[2]
    assert code.signals["cell"] == 1
    assert code.signals["outputs"] == ["about to pop\n", "1"]
    assert code.signals["imports"] == ["collections"]
    assert code.signals["defines"] == []
    assert "deque" in code.signals["calls"] and "q.popleft" in code.signals["calls"]
    assert code.heading_path == ("Queues",)
    assert doc.sections[1].signals["strong"] == ["queue"]
    assert doc.sections[3].text == "about to pop"
    assert doc.sections[4].text == "1"
    assert doc.sections[4].signals["output_type"] == "execute_result"
    err = doc.sections[7]
    assert err.text == "IndexError: pop from an empty deque"  # ANSI codes removed
    assert err.signals["ename"] == "IndexError"
    assert err.heading_path == ("Queues", "Errors")
    # A cell with magics still gives what parses; its image-only output is skipped.
    assert doc.sections[8].signals["outputs"] == []


@pytest.mark.parametrize(
    "raw, problem",
    [
        (b'{"cells": [{"cell_type": "markdown", "source": "# Hi"', "corrupt or truncated"),
        (b'{"nbformat": 4, "metadata": {}}', "no list of cells"),
        (b"[1, 2, 3]", "no list of cells"),
    ],
)
def test_corrupt_notebooks_are_errors_naming_the_file(raw, problem):
    with pytest.raises(SourceError) as info:
        read_bytes("broken.ipynb", raw)
    assert str(info.value).startswith("broken.ipynb: ")
    assert problem in info.value.problem
    assert "\n" not in str(info.value)


def test_truncated_notebook_does_not_stop_the_batch(tmp_path):
    good = _notebook(tmp_path, tmp_path / "m.txt")
    (tmp_path / "a_good.ipynb").write_bytes(good)
    (tmp_path / "b_cut.ipynb").write_bytes(good[: len(good) // 2])
    (tmp_path / "c_notes.md").write_text("# Notes\n\nStill read.\n")
    result = load_sources(tmp_path)
    assert [d.path for d in result.documents] == [
        str(tmp_path / "a_good.ipynb"),
        str(tmp_path / "c_notes.md"),
    ]
    assert [e.where for e in result.errors] == [str(tmp_path / "b_cut.ipynb")]
    assert "truncated" in str(result.errors[0])


def test_sample_notebook_outputs_are_the_saved_ones():
    from teachback.config import SAMPLES_DIR

    raw = (SAMPLES_DIR / "hash_tables_in_practice.ipynb").read_bytes()
    doc = read_bytes("hash_tables_in_practice.ipynb", raw)
    saved = [
        "".join(o.get("text", "")) or "".join(o.get("data", {}).get("text/plain", ""))
        for c in json.loads(raw)["cells"]
        for o in c.get("outputs", [])
        if o["output_type"] != "error"
    ]
    outputs = [s.text for s in doc.sections if s.kind == "output"]
    assert [o.strip() for o in saved] == outputs[: len(saved)]


def test_nbformat_3_notebooks_are_converted_not_rejected():
    from nbformat import v3

    nb = v3.new_notebook(
        worksheets=[
            v3.new_worksheet(
                cells=[
                    v3.new_text_cell("markdown", source="# Old\n\nA **tuple** is immutable."),
                    v3.new_code_cell(
                        input="(1, 2)[0]",
                        prompt_number=1,
                        outputs=[v3.new_output("pyout", output_text="1", prompt_number=1)],
                    ),
                ]
            )
        ]
    )
    raw = v3.writes_json(nb).encode()
    doc = read_bytes("old.ipynb", raw)
    assert doc.title == "Old" and doc.section_text_matches()
    assert [(s.kind, s.text) for s in doc.sections] == [
        ("heading", "Old"),
        ("prose", "A **tuple** is immutable."),
        ("code", "(1, 2)[0]"),
        ("output", "1"),
    ]
    assert doc.sections[2].signals["outputs"] == ["1"]
