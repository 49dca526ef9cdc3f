"""``teachback bench ingest``: ingest throughput and peak memory by corpus size.

For each size (MB) a Markdown corpus is generated deterministically (seeded): files of about
64 KB, each an "article" with headings, definitional sentences, emphasised terms, code spans,
lists and ordinary prose, over a vocabulary of made-up technical terms that grows with the
corpus (a bigger corpus has more concepts, as real ones do). Generation is not timed.

Each size is ingested into a fresh on-disk database in its own subprocess. Its lesson and
exercise stages run in ``--workers`` processes (default: the machine's CPUs), so peak memory is
that of the process *tree*: the ingest process and its workers at once, sampled from outside
every 0.25 s as the sum of their proportional set sizes (PSS: a page the workers share with the
ingest process counts once, split among them), or the ingest process's own high-water mark
(``ru_maxrss``) when that is larger. The sum of their resident sizes (shared pages counted once
per process, an upper bound) is reported beside it. CPU seconds include the workers'. Reported
per size: seconds, MB/s, peak MB, seconds per pipeline stage, concepts and exercises.
``linear`` holds when the seconds per MB of the largest corpus are at most 1.5 times those of
the smallest.

``--abstracts N`` ingests a folder of N real short documents instead (Inspec abstracts from
``../shared/data/keyphrases``, one text file each, no exercises): the per-document costs that a
few big generated files do not show.

Targets (issue 8): 1 MB in at most 10 s, peak at most 1 GB, time linear in size; issue 15: a
folder of 1,000+ small documents (1 MB) in at most 10 s.
"""

from __future__ import annotations

import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine
from teachback.ingest.guard import smaps_mb

FILE_BYTES = 64 * 1024
INSPEC = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "keyphrases" / "inspec.jsonl"
)

_SYLLABLES = (
    "ka ri to mo na ve lo si da pe ru xa zen tor vil mar quo bel fin gra cel dor lum nex pra "
    "sol tur vex cor ind ax em on is ul"
).split()
_NOUNS = (
    "model system process layer protocol buffer index graph cache scheduler kernel parser "
    "network membrane enzyme reaction market policy theorem proof estimator sampler encoder "
    "decoder channel signal filter queue tree matrix vector field operator function"
).split()
_ADJ = (
    "adaptive stable linear sparse dense local global recursive parallel robust optimal "
    "implicit explicit discrete continuous stochastic"
).split()
_VERBS = (
    "controls reduces stores measures combines transforms predicts balances encodes "
    "separates links updates limits"
).split()
_FILLER = [
    "In practice this matters more than it first appears.",
    "Most textbooks introduce it early, and for good reason.",
    "Engineers often learn this the hard way, after a failure in production.",
    "The idea is older than the name, which came much later.",
    "A small example makes the point clearer than any formal statement.",
    "Researchers still disagree about the best way to teach it.",
    "There are exceptions, but they are rare and well documented.",
    "The details depend on the setting, yet the principle stays the same.",
]


class _Vocabulary:
    """Made-up multiword terms: ``"adaptive karito encoder"``; deterministic for a seed."""

    def __init__(self, rng: random.Random, size: int):
        words, seen = [], set()
        while len(words) < size:
            stem = "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3)))
            term = f"{rng.choice(_ADJ)} {stem} {rng.choice(_NOUNS)}"
            if rng.random() < 0.4:
                term = f"{stem} {rng.choice(_NOUNS)}"
            if term not in seen:
                seen.add(term)
                words.append(term)
        self.terms = words


def _sentence(rng: random.Random, terms: list[str]) -> str:
    a, b = rng.sample(terms, 2)
    pattern = rng.randrange(6)
    if pattern == 0:
        return f"The {a} {rng.choice(_VERBS)} the {b} whenever the load changes."
    if pattern == 1:
        return f"Unlike the {a}, a {b} does not need a separate {rng.choice(_NOUNS)}."
    if pattern == 2:
        return f"To understand the {b}, first recall how the {a} {rng.choice(_VERBS)} its inputs."
    if pattern == 3:
        return f"Each {a} is usually paired with one or more instances of `{b.split()[-2]}`."
    if pattern == 4:
        return rng.choice(_FILLER)
    return f"When the {a} fails, the {b} {rng.choice(_VERBS)} what is left of the work."


def article(rng: random.Random, vocab: _Vocabulary, index: int, target: int) -> str:
    """One Markdown article of about ``target`` bytes."""
    terms = rng.sample(vocab.terms, min(len(vocab.terms), 40))
    parts = [f"# Notes on the {terms[0]} ({index})\n"]
    size = len(parts[0])
    section = 0
    while size < target:
        term = terms[section % len(terms)]
        section += 1
        block = [f"\n## {term.capitalize()}\n\n"]
        related = rng.sample(terms, 3)
        block.append(
            f"A **{term}** is a {rng.choice(_ADJ)} {rng.choice(_NOUNS)} that "
            f"{rng.choice(_VERBS)} the {related[0]} and the {related[1]}. "
        )
        block.extend(_sentence(rng, terms) + " " for _ in range(rng.randint(3, 7)))
        block.append("\n\n")
        if rng.random() < 0.4:
            block.extend(f"- *{t}*: {_sentence(rng, terms)}\n" for t in related)
            block.append("\n")
        if rng.random() < 0.2:
            name = term.split()[-2]
            block.append(f"```python\n{name}.run(limit=10)\n```\n\n")
        block.extend(_sentence(rng, terms) + " " for _ in range(rng.randint(2, 6)))
        block.append("\n")
        text = "".join(block)
        parts.append(text)
        size += len(text.encode("utf-8"))
    return "".join(parts)


def generate_corpus(folder: Path, megabytes: float, seed: int = 7, one_file: bool = False) -> int:
    """Write about ``megabytes`` MB of Markdown into ``folder``; return the bytes written.
    ``one_file``: the same articles one after another in a single text file,
    ``folder/corpus.txt`` (one big source, as a book or a log exported as text would be)."""
    rng = random.Random(seed)
    total = int(megabytes * 1024 * 1024)
    vocab = _Vocabulary(rng, max(200, int(600 * megabytes)))
    folder.mkdir(parents=True, exist_ok=True)
    written, index = 0, 0
    while written < total:
        text = article(rng, vocab, index, min(FILE_BYTES, total - written))
        path = folder / ("corpus.txt" if one_file else f"article-{index:04d}.md")
        with open(path, "a" if one_file else "w", encoding="utf-8") as fh:
            fh.write(text)
        written += len(text.encode("utf-8"))
        index += 1
    return written


def write_abstracts(folder: Path, n_docs: int) -> int:
    """The first ``n_docs`` Inspec abstracts, one text file each, in ``folder``; bytes written."""
    if not INSPEC.exists():
        raise click.ClickException(f"no Inspec abstracts at {INSPEC} (the shared data folder)")
    folder.mkdir(parents=True, exist_ok=True)
    written = 0
    with open(INSPEC, encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if i >= n_docs:
                break
            text = json.loads(line)["text"]
            (folder / f"abstract-{i:05d}.txt").write_text(text, encoding="utf-8")
            written += len(text.encode("utf-8"))
    return written


def _measure(corpus: str, db_path: str, exercises: bool = True) -> dict:
    """Run in a child process: ingest ``corpus`` into a fresh DB; figures as a dict."""
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    stages: dict[str, tuple[float, float]] = {}  # stage -> (wall, CPU) when it began
    order: list[str] = []

    def on_progress(event: dict) -> None:
        if event["stage"] not in stages:
            stages[event["stage"]] = (time.monotonic(), _cpu_seconds())
            order.append(event["stage"])

    from teachback.ingest.pipeline.pool import machine_workers

    workers_used = machine_workers()
    db = open_db(db_path)
    start = time.monotonic()
    summary = run_ingest(
        db, [corpus], curriculum="bench", on_progress=on_progress, exercises=exercises
    )
    seconds = time.monotonic() - start
    ends = [stages[s] for s in order[1:]] + [(start + seconds, _cpu_seconds())]
    db.close()
    per_stage = {s: round(ends[i][0] - stages[s][0], 3) for i, s in enumerate(order)}
    # CPU seconds per stage (the workers' counted when the stage ends): on a shared machine a
    # stage's wall time also measures the neighbours, its CPU time only the stage
    per_stage_cpu = {s: round(ends[i][1] - stages[s][1], 3) for i, s in enumerate(order)}
    return {
        "seconds": round(seconds, 3),
        "peak_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # CPU seconds too: on a shared, busy machine wall time says more about the neighbours.
        "cpu_seconds": round(_cpu_seconds(), 3),
        "workers": workers_used,
        "stages": per_stage,
        "stages_cpu": per_stage_cpu,
        "concepts": summary.concepts,
        "lessons": summary.lessons,
        "exercises_kept": summary.exercises_kept,
        "errors": len(summary.errors),
        "notes": summary.notes + ([summary.exercises_skipped] if summary.exercises_skipped else []),
    }


def _cpu_seconds() -> float:
    """User + system CPU seconds of this process and of its children that have ended (the
    workers of a batched stage end with it)."""
    t = os.times()
    return t.user + t.system + t.children_user + t.children_system


def _tree(pid: int) -> list[int]:
    """``pid`` and its descendants (Linux ``/proc``; just ``pid`` elsewhere)."""
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        for task in Path(f"/proc/{p}/task").glob("*/children"):
            try:
                todo.extend(int(c) for c in task.read_text().split())
            except (OSError, ValueError):
                pass
    return out


class _TreePeak(threading.Thread):
    """Samples a process tree's memory every 0.25 s until stopped: the peak of the summed
    PSS and of the summed RSS (MB), and the most processes seen at once. (Reading a large
    process's ``smaps_rollup`` takes milliseconds of CPU: more often would slow the ingest.)"""

    def __init__(self, pid: int):
        super().__init__(daemon=True)
        self.pid = pid
        self.pss = self.rss = 0.0
        self.processes = 0
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.25):
            figures = [smaps_mb(p) for p in _tree(self.pid)]
            figures = [f for f in figures if f]
            self.pss = max(self.pss, sum(f.get("pss", 0.0) for f in figures))
            self.rss = max(self.rss, sum(f.get("rss", 0.0) for f in figures))
            self.processes = max(self.processes, len(figures))


def exercise_share(stages_cpu: dict[str, float]) -> float | None:
    """CPU seconds of the exercise stages (``exercises``, ``verify``) over those of all the
    others: what exercises add to an ingest (None when they did not run)."""
    extra = sum(v for k, v in stages_cpu.items() if k in EXERCISE_STAGES)
    rest = sum(v for k, v in stages_cpu.items() if k not in EXERCISE_STAGES)
    if not extra or not rest:
        return None
    return round(extra / rest, 3)


EXERCISE_STAGES = ("exercises", "verify")


def run_child(
    corpus: Path, db: Path, *, exercises: bool, what: str, workers: int | None = None
) -> dict:
    """Ingest ``corpus`` into ``db`` in a child process (so its memory is its own, with its
    workers') and return the child's figures: its last output line, one JSON object, with
    the peak memory of its process tree sampled from here (``_TreePeak``)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    if workers is not None:
        env["TEACHBACK_INGEST_WORKERS"] = str(workers)
    p = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "teachback",
            "bench",
            "ingest",
            "--exercises" if exercises else "--no-exercises",
            "--child",
            str(corpus),
            str(db),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    sampler = _TreePeak(p.pid)
    sampler.start()
    stdout, stderr = p.communicate()
    sampler.stop.set()
    sampler.join()
    if p.returncode != 0:
        raise click.ClickException(f"{what} failed: {stderr.strip()[-400:]}")
    r = json.loads(stdout.strip().splitlines()[-1])
    r["parent_peak_mb"] = r["peak_mb"]
    r["tree_pss_mb"] = round(sampler.pss, 1)
    r["tree_rss_mb"] = round(sampler.rss, 1)
    r["processes"] = sampler.processes
    r["peak_mb"] = round(max(r["parent_peak_mb"], sampler.pss), 1)
    return r


def _run_and_report(
    corpus: Path, db: Path, written: int, *, exercises: bool, label: str, workers: int | None
) -> dict:
    """Ingest one corpus in a child process; print its lines; its figures."""
    for suffix in ("", "-wal", "-shm", ".ingest.sqlite"):
        Path(f"{db}{suffix}").unlink(missing_ok=True)
    load = os.getloadavg()[0]
    r = run_child(corpus, db, exercises=exercises, what=f"{label} run", workers=workers)
    r["load"] = round(max(load, os.getloadavg()[0]), 1)
    r["mb"] = round(written / 1024 / 1024, 2)
    r["mb_per_s"] = round(r["mb"] / r["seconds"], 3) if r["seconds"] else None
    stages = ", ".join(f"{k} {v:.1f}s" for k, v in r["stages"].items())
    stages_cpu = ", ".join(f"{k} {v:.1f}s" for k, v in r["stages_cpu"].items())
    click.echo(
        f"{r['mb']:>6.2f} MB: {r['seconds']:7.2f} s ({r['cpu_seconds']:.1f} s CPU)  "
        f"{r['mb_per_s']:.3f} MB/s  "
        f"peak {r['peak_mb']:.0f} MB  {r['concepts']} concepts, "
        f"{r['exercises_kept']} exercises  (load average {r['load']:g} on "
        f"{os.cpu_count()} CPUs)\n          workers: {r['workers']}; memory: tree peak "
        f"{r['tree_pss_mb']:.0f} MB PSS summed over up to {r['processes']} processes "
        f"({r['tree_rss_mb']:.0f} MB RSS summed), ingest process alone "
        f"{r['parent_peak_mb']:.0f} MB (ru_maxrss)\n          stages: {stages}"
        f"\n          stages, CPU: {stages_cpu}"
    )
    share = exercise_share(r["stages_cpu"])
    if share is not None:
        r["exercise_share"] = share
        click.echo(
            f"          exercises + verify add {share:+.0%} CPU to the other stages "
            f"(aim: at most +50 %)"
        )
    for note in r["notes"]:
        click.echo(f"          note: {note}")
    return r


@click.command()
@click.option(
    "--sizes", default="1,4,16", show_default=True, help="Corpus sizes in MB, comma-separated."
)
@click.option(
    "--keep",
    type=click.Path(file_okay=False),
    default=None,
    help="Keep corpora and databases in this folder (default: a temporary one).",
)
@click.option(
    "--exercises/--no-exercises",
    default=True,
    show_default=True,
    help="Include the exercise stages (--no-exercises: concepts, prerequisites, lessons only).",
)
@click.option(
    "--one-file",
    is_flag=True,
    help="Each corpus as ONE text file (corpus.txt) instead of 64 KB Markdown files.",
)
@click.option(
    "--abstracts",
    type=click.IntRange(min=1),
    default=None,
    help="Instead: a folder of this many Inspec abstracts, one file each (1200 is about 1 MB), "
    "without exercises.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    default=None,
    help="Processes for the lesson and exercise stages (default: $TEACHBACK_INGEST_WORKERS, "
    "else the machine's CPUs; 1: the serial path).",
)
@click.option("--child", nargs=2, hidden=True, default=None)
def command(sizes, keep, exercises, one_file, abstracts, workers, child):
    """Ingest throughput and peak memory on generated Markdown corpora of several sizes.

    \b
    Example:
        teachback bench ingest --sizes 1,4,16
        teachback bench ingest --sizes 1,10 --one-file
        teachback bench ingest --abstracts 1200
    """
    if child:
        click.echo(json.dumps(_measure(*child, exercises=exercises)))
        return
    try:
        sizes_mb = [float(s) for s in sizes.split(",") if s.strip()]
    except ValueError:
        raise click.BadParameter(
            "comma-separated numbers, e.g. 1,4,16", param_hint="--sizes"
        ) from None
    root = Path(keep) if keep else Path(tempfile.mkdtemp(prefix="tb-bench-ingest-"))
    results = {}
    if abstracts:
        exercises, one_file = False, False
        shape = f"{abstracts} Inspec abstracts, one file each, no exercises"
        labels = [f"{abstracts}-abstracts"]
    else:
        shape = "one text file per size" if one_file else "64 KB Markdown files"
        labels = [f"{mb:g}" for mb in sizes_mb]
    click.echo(f"Ingest throughput on {machine()} ({shape})")
    for label in labels:
        corpus = root / f"corpus-{label}" if abstracts else root / f"corpus-{label}mb"
        if corpus.exists():
            import shutil

            shutil.rmtree(corpus)
        if abstracts:
            written = write_abstracts(corpus, abstracts)
        else:
            written = generate_corpus(corpus, float(label), one_file=one_file)
        db = root / f"bench-{label}.db" if abstracts else root / f"bench-{label}mb.db"
        results[label] = _run_and_report(
            corpus, db, written, exercises=exercises, label=label, workers=workers
        )
    first, last = results[labels[0]], results[labels[-1]]
    ratio = (last["seconds"] / last["mb"]) / (first["seconds"] / first["mb"])
    # CPU time too: on a shared machine wall time also measures the neighbours
    cpu_ratio = (last["cpu_seconds"] / last["mb"]) / (first["cpu_seconds"] / first["mb"])
    one = first if abstracts else results.get("1")
    peak_ok = max(r["peak_mb"] for r in results.values()) <= 1024
    click.echo(
        f"seconds per MB grow {ratio:.2f}x from {first['mb']:g} to {last['mb']:g} MB "
        f"({'linear' if ratio <= 1.5 else 'NOT linear'}; CPU seconds per MB grow "
        f"{cpu_ratio:.2f}x); targets: "
        + (f"{abstracts} abstracts <= 10 s" if abstracts else "1 MB <= 10 s")
        # wall seconds meet the target only on an idle machine; CPU seconds are what the
        # stages cost (with workers, more than the wall time on an idle machine)
        + (
            f" (wall {one['seconds']:.1f} s: {'met' if one['seconds'] <= 10 else 'missed'}; "
            f"CPU {one['cpu_seconds']:.1f} s)"
            if one
            else ""
        )
        + f", peak <= 1024 MB ({'met' if peak_ok else 'missed'})"
    )
    if not keep:
        import shutil

        shutil.rmtree(root, ignore_errors=True)
    emit(
        {
            "benchmark": "ingest",
            "exercises": exercises,
            "one_file": one_file,
            "abstracts": abstracts,
            "sizes_mb": [results[k]["mb"] for k in results],
            "seconds": {k: r["seconds"] for k, r in results.items()},
            "cpu_seconds": {k: r["cpu_seconds"] for k, r in results.items()},
            "stage_cpu_seconds": {k: r["stages_cpu"] for k, r in results.items()},
            "exercise_cpu_share": {k: r.get("exercise_share") for k, r in results.items()},
            "peak_mb": {k: r["peak_mb"] for k, r in results.items()},
            "peak_mb_parent": {k: r["parent_peak_mb"] for k, r in results.items()},
            "peak_mb_tree_pss": {k: r["tree_pss_mb"] for k, r in results.items()},
            "peak_mb_tree_rss": {k: r["tree_rss_mb"] for k, r in results.items()},
            "workers": {k: r["workers"] for k, r in results.items()},
            "mb_per_s": {k: r["mb_per_s"] for k, r in results.items()},
            "concepts": {k: r["concepts"] for k, r in results.items()},
            "exercises_kept": {k: r["exercises_kept"] for k, r in results.items()},
            "linear_ratio": round(ratio, 3),
            "cpu_linear_ratio": round(cpu_ratio, 3),
            "load_average": {k: r["load"] for k, r in results.items()},
            "linear": ratio <= 1.5,
            "machine": machine(),
        }
    )
