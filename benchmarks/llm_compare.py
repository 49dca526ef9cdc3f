"""``teachback bench llm``: an OpenAI-compatible model side by side with
the embedded engine, step by step, on small samples (a 1.5B model decodes ~28 tokens/s on 2
cores, so every part is sampled and says how much).

Parts (``--parts``, comma-separated):

* ``grading``   — Pearson r of free-text grades against the human average (0-5 scaled to 0-1)
                  on a seeded sample of ``--grading-n`` answers of short_answers_dev.jsonl.
* ``concepts``  — keyphrase F1@5 / F1@10 (stemmed exact match, as ``bench keyphrases``) of the
                  concept names each engine extracts from ``--concepts-n`` Inspec abstracts
                  (the half the embedded ranker was not fitted on).
* ``exercises`` — for the ``--concepts-k`` most important concepts of the sample source:
                  exercises made, and the share kept by each engine's self-check; the model's
                  exercises are also judged by the embedded self-check (an independent judge).
* ``lessons``   — lessons for the same concepts: share the model wrote (vs fell back), words,
                  share of content words found in the cited passages (grounding).
* ``answers``   — questions about the sample: share answered with citations.
* ``ingest``    — tokens and wall time of a real ingest of ``--ingest-source`` with the
                  configured routing, cold (empty cache) and re-run (cache).

The model comes from ``--base-url``/``--model`` (or the usual configuration). The last line is
one JSON object of figures.
"""

from __future__ import annotations

import json
import random
import re
import statistics
import tempfile
import time
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine
from teachback.config import PACKAGE_DIR, SAMPLES_DIR
from teachback.engine.embedded import EmbeddedEngine
from teachback.ingest.algorithms import IngestSteps
from teachback.tutor.algorithms import TutorSteps

# ../shared/data beside the checkout (as the other benchmarks find their data).
DATA = PACKAGE_DIR.parent / "shared" / "data"


def offline_engine() -> EmbeddedEngine:
    """The embedded engine with both halves, ingest's and the tutor's: the baseline compared."""
    return EmbeddedEngine(ingest=IngestSteps(), tutor=TutorSteps())


def _pearson(xs: list[float], ys: list[float]) -> float:
    if len(xs) < 3 or statistics.pstdev(xs) == 0 or statistics.pstdev(ys) == 0:
        return 0.0
    return float(statistics.correlation(xs, ys))


def _engine(base_url, model, route_all: bool, cache_db: str | None):
    from teachback.engine.llm_config import STEPS, LLMConfig
    from teachback.engine.openai_engine import OpenAIEngine

    changes = {"retries": 0, "timeout": 300.0}
    if base_url:
        changes["base_url"] = base_url
    if model:
        changes["model"] = model
    if route_all:
        changes["route"] = dict.fromkeys(STEPS, "llm")
    if cache_db:
        changes["cache_db"] = cache_db
    return OpenAIEngine(LLMConfig.load(**changes), embedded=offline_engine())


def part_grading(llm, n: int, path: Path, echo) -> dict:
    from teachback.engine.protocol import GradeRequest

    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]
    rows = random.Random(0).sample(rows, min(n, len(rows)))
    emb = offline_engine()
    human, e_scores, l_scores, l_time, e_time = [], [], [], 0.0, 0.0
    for i, r in enumerate(rows):
        req = GradeRequest(
            question=r["question"], reference=r["reference"], answer=r["student_answer"]
        )
        t = time.perf_counter()
        e_scores.append(emb.grade(req).score)
        e_time += time.perf_counter() - t
        t = time.perf_counter()
        l_scores.append(llm.grade(req).score)
        l_time += time.perf_counter() - t
        human.append(float(r["score_avg_0_5"]) / 5.0)
        if (i + 1) % 20 == 0:
            echo(f"  grading {i + 1}/{len(rows)}")
    report = llm.usage_report()
    fb = report["fallbacks"].get("grade", 0)
    return {
        "n": len(rows),
        "pearson_embedded": round(_pearson(e_scores, human), 4),
        "pearson_llm": round(_pearson(l_scores, human), 4),
        "llm_fallbacks": fb,
        "seconds_per_answer_embedded": round(e_time / len(rows), 3),
        "seconds_per_answer_llm": round(l_time / len(rows), 2),
    }


def part_concepts(llm, n: int, echo) -> dict:
    from teachback.benchmarks.keyphrases import load_rows, prf_at_k
    from teachback.core.document import Document, Section

    rows = load_rows(DATA / "keyphrases/inspec.jsonl", split="test")
    rows = random.Random(0).sample(rows, min(n, len(rows)))
    emb = offline_engine()
    sums = {k: 0.0 for k in ("e5", "e10", "l5", "l10")}
    times = {"e": 0.0, "l": 0.0}
    for i, r in enumerate(rows):
        text = r["text"]
        doc = Document(
            path=f"inspec/{r.get('id', i)}.txt", format="text", title="", text=text,
            sections=[Section(kind="prose", start=0, end=len(text), text=text)],
        )  # fmt: skip
        for key, eng in (("e", emb), ("l", llm)):
            t = time.perf_counter()
            concepts = eng.extract_concepts([doc])
            times[key] += time.perf_counter() - t
            ranked = [c.name for c in sorted(concepts, key=lambda c: -c.importance)]
            for k in (5, 10):
                sums[f"{key}{k}"] += prf_at_k(ranked, r["keyphrases"], k)[2]
        if (i + 1) % 10 == 0:
            echo(f"  concepts {i + 1}/{len(rows)}")
    m = len(rows)
    return {
        "n": m,
        "f1@5_embedded": round(sums["e5"] / m, 4),
        "f1@10_embedded": round(sums["e10"] / m, 4),
        "f1@5_llm": round(sums["l5"] / m, 4),
        "f1@10_llm": round(sums["l10"] / m, 4),
        "llm_fallbacks": llm.usage_report()["fallbacks"].get("extract_concepts", 0),
        "seconds_per_text_embedded": round(times["e"] / m, 3),
        "seconds_per_text_llm": round(times["l"] / m, 2),
    }


def _sample_concepts(source: Path, k: int):
    from teachback.ingest.readers import load_sources

    docs = load_sources([source]).documents
    concepts = offline_engine().extract_concepts(docs)
    top = sorted(concepts, key=lambda c: -c.importance)[:k]
    return docs, concepts, top


def part_exercises(llm, source: Path, k: int, echo) -> dict:

    emb = offline_engine()
    docs, concepts, top = _sample_concepts(source, k)
    e_kept = e_all = l_kept = l_all = l_emb_kept = 0
    kinds: dict[str, int] = {}
    t_l = 0.0
    for c in top:
        kept, rejected = emb.generate_checked(c, concepts, docs)
        e_kept, e_all = e_kept + len(kept), e_all + len(kept) + len(rejected)
        t = time.perf_counter()
        try:
            drafts = llm._llm_exercises(c, docs)
        except Exception as err:  # noqa: BLE001 - counted as a model failure
            _FAILS.append(f"make_exercises {c.name}: {type(err).__name__}: {err}"[:160])
            drafts = []
        kept_l = []
        for x in drafts:
            kinds[x.kind] = kinds.get(x.kind, 0) + 1
            res = llm._run(
                "self_check",
                lambda x=x, kept_l=kept_l: llm._llm_check(x, docs, kept_l),
                lambda x=x, kept_l=kept_l: emb.self_check(x, docs, kept_l),
            )
            if res.passed:
                kept_l.append(x)
            l_emb_kept += emb.self_check(x, docs, []).passed
        t_l += time.perf_counter() - t
        l_kept, l_all = l_kept + len(kept_l), l_all + len(drafts)
        echo(f"  exercises {c.name}: embedded {len(kept)}/{len(kept) + len(rejected)}, "
             f"model {len(kept_l)}/{len(drafts)}")  # fmt: skip
    return {
        "concepts": len(top),
        "embedded_made": e_all,
        "embedded_pass_rate": round(e_kept / max(1, e_all), 3),
        "llm_made": l_all,
        "llm_pass_rate_llm_check": round(l_kept / max(1, l_all), 3),
        "llm_pass_rate_embedded_check": round(l_emb_kept / max(1, l_all), 3),
        "llm_kinds": kinds,
        "seconds_per_concept_llm": round(t_l / max(1, len(top)), 1),
    }


_FAILS: list[str] = []


def part_lessons(llm, source: Path, k: int, echo) -> dict:
    from teachback.engine.llm_grounding import grounded_share

    emb = offline_engine()
    docs, _concepts, top = _sample_concepts(source, k)
    rows = {"e_words": [], "l_words": [], "e_ground": [], "l_ground": []}
    before = llm.usage_report()["llm_steps"].get("write_lesson", 0)
    t_l = 0.0
    for c in top:
        base = emb.write_lesson(c, docs)
        t = time.perf_counter()
        lesson = llm.write_lesson(c, docs)
        t_l += time.perf_counter() - t
        for key, les in (("e", base), ("l", lesson)):
            rows[f"{key}_words"].append(len(les.text.split()))
            quotes = [q.quote for q in les.citations]
            rows[f"{key}_ground"].append(grounded_share(les.text, quotes))
        echo(f"  lesson {c.name}: {len(lesson.text.split())} words")
    written = llm.usage_report()["llm_steps"].get("write_lesson", 0) - before
    return {
        "concepts": len(top),
        "llm_written_share": round(written / max(1, len(top)), 3),
        "words_embedded": round(statistics.mean(rows["e_words"]), 1),
        "words_llm": round(statistics.mean(rows["l_words"]), 1),
        "grounding_embedded": round(statistics.mean(rows["e_ground"]), 3),
        "grounding_llm": round(statistics.mean(rows["l_ground"]), 3),
        "seconds_per_lesson_llm": round(t_l / max(1, len(top)), 1),
    }


QUESTIONS = [
    "What is a hash table?",
    "What is a collision?",
    "What is the load factor?",
    "Why resize a hash table?",
    "Who invented the telephone?",  # not covered by the sample
]


def part_answers(llm, echo) -> dict:
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest
    from teachback.tutor.ask import retrieve

    emb = offline_engine()
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "a.db")
        run_ingest(db, [SAMPLES_DIR / "hash_tables.md"], curriculum="s", engine=emb)
        out = {"e_covered": 0, "l_covered": 0, "l_cited": 0}
        t_l = 0.0
        for q in QUESTIONS:
            passages = retrieve(db, "s", q)
            e = emb.answer_question(q, passages)
            t = time.perf_counter()
            a = llm.answer_question(q, passages)
            t_l += time.perf_counter() - t
            out["e_covered"] += e.covered
            out["l_covered"] += a.covered
            out["l_cited"] += bool(a.citations)
            echo(f"  Q {q!r}: embedded covered={e.covered}; model covered={a.covered}: "
                 f"{a.text[:90]!r}")  # fmt: skip
        db.close()
    return {
        "questions": len(QUESTIONS),
        "covered_embedded": out["e_covered"],
        "covered_llm": out["l_covered"],
        "cited_llm": out["l_cited"],
        "llm_fallbacks": llm.usage_report()["fallbacks"].get("answer_question", 0),
        "seconds_per_answer_llm": round(t_l / len(QUESTIONS), 1),
    }


def part_ingest(base_url, model, source: Path, echo) -> dict:
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        db = open_db(Path(tmp) / "i.db")
        t = time.perf_counter()
        run_ingest(db, [source], curriculum="emb", engine=offline_engine())
        out["embedded_seconds"] = round(time.perf_counter() - t, 1)
        engine = _engine(base_url, model, False, None)
        for label in ("cold", "rerun"):
            t = time.perf_counter()
            s = run_ingest(db, [source], curriculum=f"llm-{label}", engine=engine)
            out[f"{label}_seconds"] = round(time.perf_counter() - t, 1)
            out[f"{label}_tokens"] = s.tokens
            out[f"{label}_calls"] = s.llm.get("calls", 0)
            out[f"{label}_cached"] = s.llm.get("cached", 0)
            out[f"{label}_fallbacks"] = sum(s.llm.get("fallbacks", {}).values())
            out["concepts"] = s.concepts
            out["route"] = engine.config.describe().split(" route=")[1]
            echo(f"  ingest {label}: {out[f'{label}_seconds']} s, {s.tokens} tokens")
        db.close()
    return out


@click.command()
@click.option("--base-url", default=None, help="OpenAI-compatible server (default: config).")
@click.option("--model", default=None, help="Model name (default: config).")
@click.option("--parts", default="grading,concepts,exercises,lessons,answers,ingest")
@click.option("--grading-n", default=100, show_default=True)
@click.option("--concepts-n", default=30, show_default=True)
@click.option("--concepts-k", default=5, show_default=True)
@click.option("--source", type=click.Path(exists=True), default=str(SAMPLES_DIR / "hash_tables.md"))
@click.option(
    "--ingest-source", type=click.Path(exists=True), default=str(SAMPLES_DIR / "README.md")
)
@click.option("--out", type=click.Path(), default=None, help="Also write the figures here.")
def command(base_url, model, parts, grading_n, concepts_n, concepts_k, source, ingest_source, out):
    """The model vs the embedded engine, step by step, on small samples."""
    with tempfile.TemporaryDirectory() as tmp:
        llm = _engine(base_url, model, True, str(Path(tmp) / "cache.db"))  # no warm cache
        figures: dict = {"model": llm.config.model_for("grade"), "machine": machine()}
        for part in [p.strip() for p in parts.split(",") if p.strip()]:
            click.echo(f"== {part}")
            t = time.perf_counter()
            if part == "grading":
                path = DATA / "grading/short_answers_dev.jsonl"
                res = part_grading(llm, grading_n, path, click.echo)
            elif part == "concepts":
                res = part_concepts(llm, concepts_n, click.echo)
            elif part == "exercises":
                res = part_exercises(llm, Path(source), concepts_k, click.echo)
            elif part == "lessons":
                res = part_lessons(llm, Path(source), concepts_k, click.echo)
            elif part == "answers":
                res = part_answers(llm, click.echo)
            elif part == "ingest":
                res = part_ingest(base_url, model, Path(ingest_source), click.echo)
            else:
                raise click.BadParameter(f"unknown part {part!r}", param_hint="--parts")
            res["wall_seconds"] = round(time.perf_counter() - t, 1)
            figures[part] = res
            click.echo("  " + json.dumps(res))
            if out:
                Path(out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
        figures["usage"] = {k: v for k, v in llm.usage_report().items() if k != "fallback_examples"}
        figures["fallback_examples"] = llm.usage_report()["fallback_examples"] + _FAILS[:5]
        if out:
            Path(out).write_text(json.dumps(figures, indent=2), encoding="utf-8")
    emit(figures)


if __name__ == "__main__":
    command()


__all__ = ["command", "re"]
