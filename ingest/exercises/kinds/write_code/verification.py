"""Running the candidates' checks in the sandbox, and keeping those that test the function.

``plan(corpus)`` is every candidate of the sources (``candidates``), each verified once: its
checks run with the source's own body and with two empty ones (``pass``, ``raise
NotImplementedError``). A check is kept when it passes with the source's body and fails with an
empty one; a function none of whose checks does so records why (``problem``), as does every
function beyond ``MAX_VERIFIED`` and every one when the machine has no sandbox. The plan is made
once per corpus.
"""

from __future__ import annotations

from teachback import code_checks, sandbox
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.write_code.candidates import candidates

# Functions verified per set of sources (3 sandbox runs each): bounds the time a large package
# adds to an ingest; the rest are recorded as not verified.
MAX_VERIFIED = 60


def _keep(suite: dict, verified: code_checks.Verified) -> tuple[dict | None, str]:
    """The suite with only the checks that test the function, or None and why not."""
    source, stubs = verified.source, verified.stubs
    by_check: dict[str, list[int]] = {}
    for i, case in enumerate(source.cases):
        by_check.setdefault(case.check, []).append(i)
    kept = []
    for check in suite["checks"]:
        idx = by_check.get(check["label"], [])
        if not idx or not all(source.cases[i].passed for i in idx):
            continue  # fails with the source's own body: not a check of it
        failing = {k: [i for i in idx if not run.cases[i].passed] for k, run in stubs.items()}
        if not failing["pass"] and not failing["raise"]:
            continue  # passes with an empty body: does not test it
        check = dict(check)
        if check["kind"] == "doctest":
            fails_pass = {i - idx[0] for i in failing["pass"]}
            check["cases"] = [
                {**c, "scored": j in fails_pass} for j, c in enumerate(check["cases"])
            ]
        else:
            check["scored"] = bool(failing["pass"])
        kept.append(check)
    if not kept:
        first = source.first_failure
        if (
            first is not None
            and not source.passed
            and all(not c.passed for c in source.cases if c.check == first.check)
        ):
            return None, f"its module does not run in the sandbox: {first.got[:160]}"
        if first is not None:
            return None, (
                f"its checks fail with the source's own body ({first.call[:60]!r} gave "
                f"{first.got[:80]!r})"
            )
        return None, "every check passes with an empty body: none of them tests it"
    scored = any(c.get("scored") for c in kept if c["kind"] == "test") or any(
        case["scored"] for c in kept if c["kind"] == "doctest" for case in c["cases"]
    )
    if not scored:
        return None, "its checks pass with a body of `pass`: an empty answer would score"
    return {**suite, "checks": kept}, ""


def plan(corpus: Corpus) -> dict[tuple[int, str], dict]:
    """Every function of the sources' Python files: ``{(doc, qualname): candidate}``, each
    verified in the sandbox (one worker per batch of functions). Cached on the corpus."""
    cached = corpus.__dict__.get("_write_code_plan")
    if cached is not None:
        return cached
    plan = candidates(corpus)
    todo = [item for item in plan.values() if "suite" in item]
    for item in todo[MAX_VERIFIED:]:
        item["problem"] = f"not verified: only {MAX_VERIFIED} functions per set of sources are run"
    _verify(todo[:MAX_VERIFIED])
    corpus.__dict__["_write_code_plan"] = plan
    return plan


def _verify(todo: list[dict]) -> None:
    """Run the candidates' checks in the sandbox, keeping the checks that test each function
    (or recording why none does); without a sandbox, each records why it was not run."""
    if not todo:
        return
    why = sandbox.available()
    if why:
        for item in todo:
            item["problem"] = f"no sandbox to run its checks here ({why})"
        return
    for item, verified in zip(todo, code_checks.verify([i["suite"] for i in todo]), strict=True):
        suite, problem = _keep(item["suite"], verified)
        item["suite"], item["problem"] = suite, problem
