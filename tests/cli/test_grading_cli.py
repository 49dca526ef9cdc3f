"""``teachback grade --jsonl``: real rows from the dev file, pass-through, bad lines."""

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from teachback.cli import cli

DEV = (
    Path(__file__).resolve().parents[3] / "shared" / "data" / "grading" / "short_answers_dev.jsonl"
)


@pytest.fixture
def dev_rows():
    if not DEV.exists():
        pytest.skip(f"dev file not here: {DEV}")
    lines = DEV.read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines[:3] + lines[500:503]]


def test_grade_jsonl_passes_fields_through(tmp_path, dev_rows):
    src, out = tmp_path / "in.jsonl", tmp_path / "out.jsonl"
    src.write_text("".join(json.dumps(r) + "\n" for r in dev_rows), encoding="utf-8")
    result = CliRunner().invoke(cli, ["grade", "--jsonl", str(src), "-o", str(out)])
    assert result.exit_code == 0, result.output
    got = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(got) == len(dev_rows)
    for g, r in zip(got, dev_rows, strict=True):
        assert {k: g[k] for k in r} == r  # every input field unchanged, qid included
        assert set(g) - set(r) == {"score", "verdict", "feedback"}
        assert 0.0 <= g["score"] <= 1.0
        assert g["verdict"] in {"correct", "partly", "incorrect"}
        assert g["feedback"].split()[0] in {"Correct.", "Partly", "Not"}


def test_grade_jsonl_stdout_and_bad_lines(tmp_path):
    row = {
        "qid": "x1",
        "question": "What is a pointer?",
        "reference": "A variable that contains the address in memory of another variable.",
        "student_answer": "A variable which stores the memory address of another variable.",
    }
    src = tmp_path / "in.jsonl"
    src.write_text(
        json.dumps(row)
        + "\n"
        + "{not json\n"
        + json.dumps({"qid": "x2", "question": "q"})
        + "\n"
        + "\n"
        + json.dumps({**row, "qid": "x3", "student_answer": "I don't know"})
        + "\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(cli, ["grade", "--jsonl", str(src)])
    assert result.exit_code == 1  # some lines were bad...
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o.get("qid") for o in out] == ["x1", None, "x2", "x3"]  # ...the rest still graded
    assert out[0]["verdict"] == "correct"
    assert out[1] == {"line": 2, "error": out[1]["error"], "raw": "{not json"}
    assert out[1]["error"].startswith("not JSON")
    assert out[2]["error"] == "missing `reference`, `student_answer`" and "score" not in out[2]
    assert (out[3]["score"], out[3]["verdict"]) == (0.0, "incorrect")
    assert f"{src}:2: not JSON" in result.stderr
    assert f"{src}:3: missing `reference`, `student_answer`" in result.stderr
    assert "Graded 2 of 4 lines" in result.stderr


def test_grade_requires_jsonl():
    result = CliRunner().invoke(cli, ["grade"])
    assert result.exit_code == 2 and "--jsonl" in result.output
