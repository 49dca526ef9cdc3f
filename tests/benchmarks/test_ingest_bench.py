"""``teachback bench ingest --abstracts N``: a folder of N real abstracts, one file each,
ingested in a child process, with the bench's lines and its JSON line."""

import json

import pytest
from click.testing import CliRunner

from teachback.benchmarks.ingest_throughput import INSPEC, command, write_abstracts

pytestmark = pytest.mark.skipif(not INSPEC.exists(), reason="needs ../shared/data/keyphrases")


def test_write_abstracts_writes_one_file_per_abstract(tmp_path):
    written = write_abstracts(tmp_path / "a", 5)
    files = sorted(p.name for p in (tmp_path / "a").iterdir())
    assert files == [f"abstract-{i:05d}.txt" for i in range(5)]
    assert written == sum(len(p.read_bytes()) for p in (tmp_path / "a").iterdir())
    first = json.loads(INSPEC.read_text(encoding="utf-8").splitlines()[0])["text"]
    assert (tmp_path / "a" / "abstract-00000.txt").read_text(encoding="utf-8") == first


@pytest.mark.slow
def test_bench_ingest_on_abstracts(tmp_path):
    result = CliRunner().invoke(command, ["--abstracts", "12", "--keep", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert "12 Inspec abstracts, one file each, no exercises" in result.output
    assert "stages, CPU: read" in result.output
    figures = json.loads(result.output.strip().splitlines()[-1])
    assert figures["benchmark"] == "ingest"
    assert figures["abstracts"] == 12
    assert figures["exercises"] is False
    assert list(figures["cpu_seconds"]) == ["12-abstracts"]
    assert figures["concepts"]["12-abstracts"] > 0
    assert figures["exercises_kept"]["12-abstracts"] == 0


@pytest.mark.slow
def test_bench_curriculum_speed_run_ingests_abstracts_in_a_child(tmp_path):
    """``bench curriculum --speed`` times the abstracts through the same child runner as
    ``bench ingest`` (it once called it with a missing argument and crashed at the end)."""
    from teachback.benchmarks.curriculum import _speed

    figures = _speed(tmp_path, 12)
    assert figures["documents"] == 12
    assert figures["concepts"] > 0 and figures["seconds"] > 0 and figures["peak_mb"] > 0
