"""The rubric audit of ``teachback bench exercises``: automatic checks on kept exercises.

``audit_exercise(ex, concept_names)`` lists what a teacher would object to that a program can
see (the five criteria of ``../shared/CONTENT-RUBRIC.md``: correct key, unambiguous, answerable
from the cited source, not giving the answer away, worth the learner's time).
``curriculum_figures(kept)`` the whole-curriculum checks: true/false key balance (and what
answering "False" every time would score), the share of "what is X?" short answers whose
reference defines X, near-duplicates, and the share of predict-the-output exercises whose
shown code reproduces the key when rerun in the sandbox.

A flag is evidence, not a verdict: the sample is printed for a teacher to judge the rest.
"""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from teachback.ingest.exercises.quality import blanks, definitions, form
from teachback.ingest.exercises.selfcheck import (
    normalise_prompt,
    same_thing_options,
    stray_points,
    teacher_problems,
)
from teachback.ingest.exercises.text import stem_set

_FENCE = re.compile(r"```python\n(.*?)\n```", re.S)


def shown_cells(ex) -> list[str]:
    """The code a predict-the-output exercise shows, as cells to run in order."""
    cells = ex.data.get("cells")
    if cells:
        return list(cells)
    code = "\n\n".join(_FENCE.findall(ex.prompt))
    if ex.data.get("origin") == "doctest":
        body, calls = [], []
        for line in code.splitlines():
            if line.startswith((">>> ", "... ")):
                calls.append(line[4:])
            elif not calls:
                body.append(line)
        # earlier examples are replayed as they are shown; the last call is the question
        return ["\n".join(body), "\n".join(calls)]
    return [code]


def same_output(got: str, want: str) -> bool:
    return " ".join(str(got).split()) == " ".join(str(want).split())


def rerun(exercises: list) -> dict[int, str]:
    """``{index: ""}`` for each predict-the-output exercise that reproduces, else the reason."""
    from teachback import sandbox

    why_not = sandbox.available()
    if why_not:
        return {i: f"not rerun: {why_not}" for i in range(len(exercises))}
    results = sandbox.run_programs([shown_cells(ex) for ex in exercises])
    out = {}
    for i, (ex, r) in enumerate(zip(exercises, results, strict=True)):
        last = r.last
        if last.error:
            out[i] = f"does not run: {last.error[:80]}"
        elif not same_output(last.output, ex.answer):
            out[i] = f"rerun gives {last.output.strip()[:60]!r}, not the key"
        else:
            out[i] = ""
    return out


def _sentence(ex) -> str:
    """The sentence a true/false, cloze or blank question shows."""
    if ex.kind == "true_false":
        return ex.data.get("statement") or ex.prompt.removeprefix("True or false: ")
    text = ex.prompt
    text = text.removeprefix("Fill in the blank: ").replace("_____", "Term")
    m = re.search(r"\u201c(.*)\u201d", text, re.S)
    if m:
        return m.group(1).strip("\u2026 ")
    return text


def _sentence_flags(ex) -> list[str]:
    s = _sentence(ex)
    checks = (form.not_a_statement, form.dangling, form.narrative)
    if ex.kind == "multiple_choice":
        checks = checks[1:]  # (its quoted sentence may be cut short with an ellipsis)
    return [why for check in checks if (why := check(s))]


def _choice_flags(ex) -> list[str]:
    flags = []
    if same_thing_options(ex.choices):
        flags.append("two options name the same thing (both defensible)")
    lengths = sorted(len(c) for c in ex.choices)
    if lengths and len(str(ex.answer)) == lengths[-1] and lengths[-1] > 2 * lengths[-2]:
        flags.append("the key is by far the longest option")
    return flags


def _short_flags(ex, names: list[str]) -> list[str]:
    flags = []
    if ex.data.get("variant") == "relation":
        flags.append("'how does X relate to Y' has no single checkable answer")
    elif not definitions.defines(str(ex.data.get("reference") or ex.answer), names):
        flags.append("the reference does not define the term")
    generic = stray_points(list(ex.data.get("rubric", [])))
    if generic:
        flags.append(f"rubric points that are stray words: {generic}")
    return flags


def _masked_name(ex) -> list[str]:
    """A name blanked out of a description leaves a hole only one option fits (the quoted
    task and the descriptions; a code block shown with its name hidden as ``___`` asks to
    recognise the code, which is the point)."""
    quoted = " ".join(re.findall(r"\u201c(.*?)\u201d", ex.prompt, re.S))
    shown = quoted + " " + " ".join(ex.choices if ex.kind != "which_function" else [])
    return ["a name blanked out of a description: the hole points to the key"] * ("___" in shown)


def _swap_flag(ex) -> list[str]:
    if ex.kind == "true_false" and not ex.answer and ex.data.get("method") == "swap":
        corrected = ex.data.get("corrected", "")
        if corrected and len(stem_set(corrected) ^ stem_set(_sentence(ex))) <= 2:
            return ["false made by swapping one term (check: plausible or absurd?)"]
    return []


def audit_exercise(ex, names: list[str]) -> list[str]:
    flags: list[str] = []
    if ex.kind in ("true_false", "cloze", "multiple_choice"):
        flags += _sentence_flags(ex)
    if ex.kind == "multiple_choice":
        flags += _choice_flags(ex)
    if ex.kind in ("cloze", "multiple_choice"):
        why = blanks.blanks_identifier(ex.prompt, str(ex.answer))
        flags += [why] if why else []
    if ex.kind == "short_answer":
        flags += _short_flags(ex, names)
    if ex.kind in ("which_function", "matching", "function_purpose"):
        flags += _masked_name(ex)
    flags += [r.split(": ", 1)[1] for r in teacher_problems(ex) if r.split(": ", 1)[1] not in flags]
    return flags + _swap_flag(ex)


def shared_passages(kept: list) -> int:
    """Kept exercises of one concept that ask the passage an exercise of another concept asks
    too ("A hash function is a function that takes a _____ ..." for *key*, beside "what is a
    hash function?"): one hands the other's answer out. Matching and the setup cells of
    predict-the-output share passages by design and are left out."""
    owners: dict[tuple, set[str]] = {}
    asks = []
    for ex in kept:
        if ex.kind in ("matching", "predict_output"):
            continue
        spans = {(c.source, c.start, c.end) for c in ex.citations}
        asks.append((ex.concept, spans))
        for span in spans:
            owners.setdefault(span, set()).add(ex.concept)
    return sum(1 for concept, spans in asks if any(owners[s] - {concept} for s in spans))


def curriculum_figures(kept: list) -> dict:
    tf = [ex for ex in kept if ex.kind == "true_false"]
    true = sum(1 for ex in tf if ex.answer is True)
    what = [
        ex for ex in kept if ex.kind == "short_answer" and ex.data.get("variant", "what") == "what"
    ]
    defining = sum(
        1
        for ex in what
        if definitions.defines(
            str(ex.data.get("reference") or ex.answer),
            list(ex.data.get("subject", [])) or [ex.concept],
        )
    )
    relation = sum(1 for ex in kept if ex.data.get("variant") == "relation")
    dups = 0
    by_concept: dict[str, list[str]] = {}
    for ex in kept:
        # (predict-the-output prompts share their setup cells: the cell asked about counts)
        p = normalise_prompt(
            str(ex.data.get("source", "")) if ex.kind == "predict_output" else ex.prompt
        )
        others = by_concept.setdefault(ex.concept, [])
        if any(fuzz.ratio(p, o) >= 90 for o in others):
            dups += 1
        others.append(p)
    shared = shared_passages(kept)
    counts: dict[str, int] = {}
    for ex in kept:
        counts[ex.concept] = counts.get(ex.concept, 0) + 1
    most = max(counts.items(), key=lambda kv: (kv[1], kv[0])) if counts else ("", 0)
    po = [ex for ex in kept if ex.kind == "predict_output"]
    reran = rerun(po) if po else {}
    reproduced = sum(1 for why in reran.values() if why == "")
    return {
        "true_false": len(tf),
        "true_share": round(true / len(tf), 3) if tf else None,
        "always_false_scores": round(1 - true / len(tf), 3) if tf else None,
        "short_what": len(what),
        "short_defining_share": round(defining / len(what), 3) if what else None,
        "short_relation": relation,
        "duplicates": dups,
        "shared_passages": shared,
        "most_asked": {"concept": most[0], "kept": most[1]},
        "predict_output": len(po),
        "predict_reproduce_share": round(reproduced / len(po), 3) if po else None,
        "_rerun": reran,
    }
