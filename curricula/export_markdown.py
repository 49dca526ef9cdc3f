"""Export a curriculum as one Markdown file for self-paced reading.

Layout: title, contents, then per unit (in teaching order) each concept with its aliases,
definition, prerequisites, lesson and exercises; answers sit in collapsed ``<details>`` blocks;
sources listed at the end. Lessons' figures are written beside the file (``<name>_figures/``).
Learners' view: rejected exercises and removed edges are left out.
Text taken from sources is untrusted: raw HTML in it is escaped (outside code), so the file
renders as text in any Markdown viewer, and a link or image whose target would run script or
load an inline document (``javascript:``, ``vbscript:``, ``data:``) is made inert
(``teachback.neutralise.safe_url``).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from sqlite_utils import Database

from teachback.curricula.export_json import export_curriculum
from teachback.curricula.images import IMAGE_REF, image, image_refs
from teachback.curricula.publish import learner_view, snapshot
from teachback.neutralise import safe_url


def curriculum_data(db: Database, curriculum: str, version: int | None = None) -> dict:
    """The learner's view of the draft (default) or of a published ``version``."""
    data = (
        export_curriculum(db, curriculum) if version is None else snapshot(db, curriculum, version)
    )
    return learner_view(data)


_FENCE = re.compile(r"^(```|~~~)")
# Where a link or image target starts: ``[text](target`` or a reference ``[label]: target``;
# the target is ``<...>`` (may hold spaces) or runs to a space or ``)``.
_LINK_TARGET = re.compile(r"(\]\(\s*|^ {0,3}\[[^\]]+\]:\s*)(<[^>\n]*>|[^\s)]+)")


def _safe_targets(text: str) -> str:
    def inert(m: re.Match) -> str:
        target = m.group(2)
        if target.startswith("<"):
            return f"{m.group(1)}<{safe_url(target[1:-1])}>"
        return m.group(1) + safe_url(target)

    return _LINK_TARGET.sub(inert, text)


def safe_markdown(text: str) -> str:
    """Escape ``<`` and ``>`` and make ``javascript:``-like link targets inert, outside fenced
    code blocks and inline code spans.

    >>> safe_markdown("a <script>x</script> `b<c` [go](javascript:alert(1))")
    'a &lt;script&gt;x&lt;/script&gt; `b<c` [go](unsafe:javascript:alert(1))'
    """
    out, fenced = [], False
    for line in (text or "").splitlines():
        if _FENCE.match(line.strip()):
            fenced = not fenced
            out.append(line)
            continue
        if fenced:
            out.append(line)
            continue
        parts = re.split(r"(`[^`]*`)", line)
        out.append(
            "".join(
                p
                if p.startswith("`") and p.endswith("`") and len(p) > 1
                else _safe_targets(p).replace("<", "&lt;").replace(">", "&gt;")
                for p in parts
            )
        )
    return "\n".join(out)


def one_line(text) -> str:
    return safe_markdown(" ".join(str(text).split()))


def answer_text(answer) -> str:
    if isinstance(answer, bool):
        return "True" if answer else "False"
    if isinstance(answer, list):
        return ", ".join(str(a) for a in answer)
    if isinstance(answer, str):
        return answer
    return json.dumps(answer, ensure_ascii=False)


def grouped(data: dict) -> list[tuple[str, list[dict]]]:
    """``[(unit title, [concepts in order])]``; concepts without a unit come last."""
    by_id = {c["id"]: c for c in data["concepts"]}
    seen: set[str] = set()
    out = []
    for u in sorted(data["units"], key=lambda u: (u.get("position") or 0, u["id"])):
        members = [by_id[c] for c in u.get("concepts") or [] if c in by_id]
        seen.update(c["id"] for c in members)
        if members:
            out.append((u.get("title") or f"Unit {len(out) + 1}", members))
    rest = [c for c in data["concepts"] if c["id"] not in seen]
    if rest:
        out.append(("More concepts", rest))
    return out


def citations_markdown(citations: list[dict], sources: dict[str, str]) -> list[str]:
    """Numbered quotes a lesson's ``[n]`` markers refer to."""
    lines = []
    for n, c in enumerate(citations, 1):
        quote = one_line(c.get("quote", ""))
        if len(quote) > 240:
            quote = quote[:237] + "…"
        lines.append(f"[{n}] “{quote}” — {one_line(sources.get(c['source'], c['source']))}")
    return ["<small>", "", *(f"{line}  " for line in lines), "", "</small>", ""] if lines else []


def exercise_markdown(x: dict, n: int) -> list[str]:
    lines = [f"{n}. {one_line(x['prompt'])} *({x['kind'].replace('_', ' ')})*"]
    for choice in x.get("choices") or []:
        lines.append(f"    - {one_line(choice)}")
    lines.append("")
    lines.append("    <details><summary>Answer</summary>")
    lines.append("")
    lines.append(f"    **{one_line(answer_text(x.get('answer')))}**")
    if x.get("explanation"):
        lines.append(f"    {one_line(x['explanation'])}")
    lines.append("")
    lines.append("    </details>")
    lines.append("")
    return lines


def lesson_figures(text: str, images: dict[str, str]) -> str:
    """A lesson's stored figures as links to the exported image files (``images``: key ->
    relative path), or as their captions when the file was not written."""

    def swap(m: re.Match) -> str:
        alt, key = m.group(1), m.group(2)
        if key in images:
            return f"![{alt}]({images[key]})"
        return f"*(Figure: {alt or 'from the source'})*"

    return IMAGE_REF.sub(swap, text or "")


def write_figures(db: Database, data: dict, folder: Path, prefix: str) -> dict[str, str]:
    """Write the figures the lessons show into ``folder``; key -> path relative to the export."""
    out: dict[str, str] = {}
    for lesson in data["lessons"]:
        for _, key in image_refs(lesson.get("text", "")):
            found = None if key in out else image(db, key)
            if found is None:
                continue
            mime, body = found
            name = f"{key[:16]}.{mime.split('/')[-1].replace('jpeg', 'jpg')}"
            folder.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(body)
            out[key] = f"{prefix}/{name}"
    return out


def _concept_markdown(c: dict, parts: dict, images: dict[str, str]) -> list[str]:
    """One concept's section: names, definition, what it builds on, lesson, exercises."""
    lines = [f"### {one_line(c['name'])}", ""]
    if c.get("aliases"):
        lines += ["*Also called:* " + ", ".join(one_line(a) for a in c["aliases"]), ""]
    if c.get("definition"):
        lines += [f"> {one_line(c['definition'])}", ""]
    if parts["needs"].get(c["id"]):
        lines += ["**Builds on:** " + ", ".join(one_line(n) for n in parts["needs"][c["id"]]), ""]
    lesson = parts["lessons"].get(c["id"])
    if lesson is not None:
        lines += [safe_markdown(lesson_figures(lesson["text"], images)).strip(), ""]
        lines += citations_markdown(lesson["citations"], parts["source_names"])
    if parts["exercises"].get(c["id"]):
        lines += ["#### Exercises", ""]
        for n, x in enumerate(parts["exercises"][c["id"]], 1):
            lines += exercise_markdown(x, n)
    return lines


def _by_concept(data: dict) -> dict:
    """What a concept's section draws on, looked up by concept id."""
    names = {c["id"]: c["name"] for c in data["concepts"]}
    needs: dict[str, list[str]] = {}
    for e in data["edges"]:
        if e["kind"] == "prerequisite":
            needs.setdefault(e["concept"], []).append(names.get(e["prerequisite"], "?"))
    exercises: dict[str, list[dict]] = {}
    for x in data["exercises"]:
        exercises.setdefault(x["concept"], []).append(x)
    return {
        "needs": needs,
        "lessons": {lesson["concept"]: lesson for lesson in data["lessons"]},
        "exercises": exercises,
        "source_names": {s["id"]: s.get("title") or s["path"] for s in data["sources"]},
    }


def render_markdown(data: dict, images: dict[str, str] | None = None) -> str:
    """The Markdown text of an export (see the module docstring for the layout); ``images``
    maps a stored figure's key to its exported file (else the figure's caption is shown)."""
    parts = _by_concept(data)
    units = grouped(data)
    title = data["curriculum"].get("title") or data["curriculum"]["id"]
    lines = [f"# {one_line(title)}", ""]
    lines += ["## Contents", ""]
    for i, (utitle, members) in enumerate(units, 1):
        lines.append(f"{i}. {one_line(utitle)}: " + ", ".join(one_line(c["name"]) for c in members))
    lines.append("")
    for i, (utitle, members) in enumerate(units, 1):
        lines += [f"## Unit {i}: {one_line(utitle)}", ""]
        for c in members:
            lines += _concept_markdown(c, parts, images or {})
    if data["sources"]:
        lines += ["## Sources", ""]
        for s in data["sources"]:
            label = s.get("title") or s["path"]
            lines.append(f"- {one_line(label)} (`{s['path']}`)")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def export_markdown(
    db: Database, curriculum: str, path: str | Path, *, version: int | None = None
) -> Path:
    """Write the curriculum as Markdown to ``path``; returns the path."""
    path = Path(path)
    if path.is_dir():
        path = path / f"{curriculum}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    data = curriculum_data(db, curriculum, version)
    figures = path.with_name(f"{path.stem}_figures")
    images = write_figures(db, data, figures, figures.name)
    path.write_text(render_markdown(data, images), encoding="utf-8")
    return path
