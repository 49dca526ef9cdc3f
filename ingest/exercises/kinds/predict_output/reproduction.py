"""Running every predict-the-output candidate in the sandbox, keeping those that reproduce.

``plan(corpus)`` runs each candidate's cells once (one worker for all of them) and keeps those
whose last cell gives the recorded output again, the earlier cells running without error; a
probe call (``probes``), which has no recorded output, when what it returns is short enough to
predict. With no sandbox on the machine nothing is run: only self-contained candidates (a
single cell, a doctest whose code is all shown) are kept, from their recorded outputs. Made
once per corpus.
"""

from __future__ import annotations

import re

from teachback import sandbox
from teachback.ingest.exercises import notebook_runs
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.predict_output.calls import call_items, worth_asking
from teachback.ingest.exercises.kinds.predict_output.candidates import (
    Item,
    doctest_items,
    notebook_items,
)
from teachback.ingest.exercises.kinds.predict_output.filters import predictable, usable
from teachback.ingest.exercises.kinds.predict_output.probes import probe_items

# origins whose key is what the sandbox computes (no output is recorded in the sources)
COMPUTED = ("probe", "call")


def _same(got, want: str) -> bool:
    """A rerun cell's output (or its exception, for an example that expects one) against
    the recorded output, whitespace aside."""
    shown = got.error if got.error and re.match(r"[\w.]+(Error|Exception)\b", want) else None
    if got.error and shown is None:
        return False
    text = shown if shown is not None else got.output
    return " ".join(text.split()) == " ".join(want.split())


def plan(corpus: Corpus) -> dict:
    """Every predict-the-output candidate of the corpus, run once in the sandbox (one worker
    for all of them, and for the other kinds' notebook runs): ``{("cell", doc, start) |
    ("unit", doc, symbol): [items kept]}``. Kept: those whose shown code reproduces the
    recorded output; with no sandbox, only self-contained ones (a single cell, a doctest whose
    code is all shown), unverified."""
    cached = corpus.__dict__.get("_predict_plan")
    if cached is not None:
        return cached
    keyed = _candidates(corpus)
    if keyed and not sandbox.available():
        kept = _reproduced(keyed, notebook_runs.results(corpus, "predict_output"))
    else:
        kept = _self_contained(keyed)
    corpus.__dict__["_predict_plan"] = kept
    return kept


def _candidates(corpus: Corpus) -> list[tuple[tuple, Item]]:
    """Made once per corpus (its programs are run with the other kinds', ``notebook_runs``)."""
    cached = corpus.__dict__.get("_predict_candidates")
    if cached is not None:
        return cached
    keyed: list[tuple[tuple, Item]] = [
        (("cell", d, start), item) for (d, start), item in notebook_items(corpus).items()
    ]
    for u in corpus.code_units:
        if u.kind != "cell" and u.doctests:
            keyed += [(("unit", u.doc, u.symbol), it) for it in doctest_items(corpus, u)]
    keyed += [(("probe", d, name), it) for d, name, it in probe_items(corpus)]
    keyed += [(("probe", d, name), it) for d, name, it in call_items(corpus)]
    corpus.__dict__["_predict_candidates"] = keyed
    return keyed


def _programs(corpus: Corpus) -> list[list[str]]:
    return [[c for c in it.cells if c] for _, it in _candidates(corpus)]


notebook_runs.provide("predict_output", _programs)


def _reproduced(keyed: list[tuple[tuple, Item]], results: list) -> dict[tuple, list[Item]]:
    """The candidates whose cells, run in the sandbox, gave the recorded output again."""
    kept: dict[tuple, list[Item]] = {}
    for (key, item), result in zip(keyed, results, strict=True):
        earlier_ok = all(not c.error for c in result.cells[:-1])
        if not result.cells or not earlier_ok:
            continue
        if item.origin in COMPUTED:
            if _computed(item, result.last):
                kept.setdefault(key, []).append(item)
        elif _same(result.last, item.want):
            item.run = "reproduced"
            kept.setdefault(key, []).append(item)
    return kept


def _computed(item: Item, got) -> bool:
    """A probe call's key is what it returned, when a learner could write it out."""
    want = got.output.strip()
    if got.error or not usable(item.shown, want) or not predictable(item.source, want, 6):
        return False
    if item.origin == "call" and not worth_asking(item.source, want):
        return False
    item.want, item.run = want, "computed"
    return True


def _self_contained(keyed: list[tuple[tuple, Item]]) -> dict[tuple, list[Item]]:
    """Without a sandbox: the candidates whose whole code is one cell or a doctest."""
    kept: dict[tuple, list[Item]] = {}
    for key, item in keyed:
        if item.origin in COMPUTED:
            continue  # (its key is what running it gives)
        if item.origin == "doctest" or len(item.cells) == 1:
            kept.setdefault(key, []).append(item)
    return kept
