"""Lesson checks and the prerequisite-edge sample of ``teachback bench curriculum``.

Pure functions over a curriculum as ``curricula.export_json.export_curriculum`` gives it (the
``data`` dict: concepts, edges, lessons, sources), so the bench command and tests call them the
same way. What a teacher would check in a lesson (``../shared/CONTENT-RUBRIC.md``):

* ``fragment``: a prose paragraph that does not start and end on a sentence or block boundary
  (starts lower-case or mid-word, ends without closing punctuation), has unbalanced brackets or
  quotes, or is a list flattened into a line (``…; * item: …``);
* ``placeholder``: no lesson, an empty one, or one with nothing but a line or two of prose and no
  code (the concept's one-line docstring is not a lesson);
* ``paragraph``: at least ``PARAGRAPH_WORDS`` words of prose (lists, tables, and the docstrings
  and comments of the code shown count: they are what explains a code concept);
* ``code shown``: a code concept's lesson holds a code block;
* figures: the stored figures the sources hold (``source_figures``) that some lesson shows.

Edges: ``sample_edges`` draws ``EDGES_PER_CURRICULUM`` active prerequisite edges with a fixed
seed; a teacher's verdicts on sampled edges live in ``benchmarks/gold/edges.json`` (``{label:
{"A -> B": {"verdict": "right" | "reversed" | "unrelated" | "not a concept", "note": ...}}}``)
and ``score_edges`` counts them, listing sampled edges nobody has judged yet (the concept list
changes as extraction improves: judge the new ones, never edit old verdicts to fit).
"""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

from teachback.benchmarks.concept_names import compact as compact_form

PARAGRAPH_WORDS = 40
PLACEHOLDER_WORDS = 12
EDGES_PER_CURRICULUM = 15
LESSONS_PER_CURRICULUM = 5
EDGE_SEED = 15
GOLD_EDGES = Path(__file__).with_name("gold") / "edges.json"
VERDICTS = ("right", "reversed", "unrelated", "not a concept")

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})")
_IMAGE = re.compile(r"!\[[^\]\n]*\]\([^)\n]*\)")
_IMAGE_KEY = re.compile(r"teachback-image:([0-9a-f]{64})")
_COMMENT = re.compile(r"(?:^|\s)#\s?([^\n]*)")
_DOCSTRING = re.compile(r'(?:"""|\'\'\')(.*?)(?:"""|\'\'\')', re.S)
_AFTER_CODE = "\x00"  # stands for a code block between paragraphs
_MARKER = re.compile(r"\s*\[\d+\]\s*$")
_BLOCK_START = re.compile(r"^\s*(?:[-*+]\s|\d+[.)]\s|>|\||#|`|\*\*|\*|_|\$|!\[|\(|\"|\u201c|'|\[)")
_FLATTENED = re.compile(r";\s+\*\s+\w[^:]{0,40}:")
_PAIRS = (("(", ")"), ("[", "]"), ("{", "}"))


def _paragraphs(text: str) -> tuple[list[tuple[str, bool]], int, str]:
    """The prose paragraphs of a lesson (its title line, code blocks, figures, notes and the
    "Builds on" line left out, citation markers dropped), each with whether it follows a code
    block; its number of code blocks; the text of the docstrings and comments in its code."""
    paragraphs, code, fenced, buf, block, docstrings = [], 0, "", [], [], []
    lines = (text or "").split("\n")
    for line in lines[1:] if lines and lines[0].startswith("**") else lines:
        m = _FENCE.match(line)
        if fenced:
            if m and m.group(1)[0] == fenced[0] and len(m.group(1)) >= len(fenced):
                fenced = ""
                code_text = "\n".join(block)
                docstrings.extend(_DOCSTRING.findall(code_text))
                docstrings.extend(_COMMENT.findall(code_text))
                block = []
            else:
                block.append(line)
            continue
        if m:
            fenced = m.group(1)
            code += 1
            buf.extend(["", _AFTER_CODE, ""])
            continue
        buf.append(line)
    after_code = False
    for para in re.split(r"\n\s*\n", "\n".join(buf)):
        para = _IMAGE.sub("", para).strip()
        if para == _AFTER_CODE:
            after_code = True
            continue
        if not para or para == "Output:" or para.startswith(("*Builds on:*", "*(")):
            continue
        paragraphs.append((_MARKER.sub("", para), after_code))
        after_code = False
    return paragraphs, code, " ".join(docstrings)


def _words(text: str) -> int:
    return len(re.findall(r"\w+", text))


def fragment_reason(paragraph: str, after_code: bool = False) -> str:
    """Why a prose paragraph is not a readable whole piece ("" when it is). A paragraph right
    after a code block may go on with the sentence the code interrupted ("and observe ...")."""
    if _FLATTENED.search(paragraph):
        return "a list flattened into a line"
    first = paragraph.lstrip()[:1]
    if (
        first.islower()
        and not after_code
        and not _BLOCK_START.match(paragraph)
        and not re.match(r"^\w+\(", paragraph)
    ):
        return "starts mid-sentence"
    structured = bool(re.match(r"^\s*(?:[-*+]\s|\d+[.)]\s|\||>)", paragraph))
    last = paragraph.rstrip()[-1:]
    cut = (last.isascii() and last.isalnum()) or last in ",-("  # not an emoticon's letter
    if not structured and cut and _words(paragraph) > 6:
        return "ends mid-sentence"
    for o, c in _PAIRS:
        if paragraph.count(o) != paragraph.count(c):
            return f"unbalanced {o}{c}"
    if paragraph.count("\u201c") != paragraph.count("\u201d"):
        return "unbalanced quotes"
    return ""


def lesson_report(text: str, kind: str = "term") -> dict:
    """The checks of one lesson (see the module docstring)."""
    paragraphs, code, docstrings = _paragraphs(text)
    # docstrings and comments in the code shown are prose that explains it
    words = sum(_words(p) for p, _ in paragraphs) + _words(docstrings)
    fragments = [(p, r) for p, after in paragraphs if (r := fragment_reason(p, after))]
    return {
        "words": words,
        "code_blocks": code,
        "figures": sorted(set(_IMAGE_KEY.findall(text or ""))),
        "placeholder": not (text or "").strip()
        or (code == 0 and words < PLACEHOLDER_WORDS)
        or "do not explain it" in (text or ""),
        "paragraph": words >= PARAGRAPH_WORDS,
        "fragments": fragments,
        "shows_code": code > 0,
        "code_concept": kind == "code",
    }


def _share(part: int, whole: int) -> float | None:
    return round(part / whole, 3) if whole else None


def lesson_checks(
    data: dict,
    key_concepts: list[str] | None = None,
    source_figures: set[str] | None = None,
) -> dict:
    """Lesson figures of a curriculum. ``key_concepts`` (a teacher's names, or ``(name,
    forms)`` pairs of the gold list: then matched to concept names and aliases by the same rule
    as the concept judge, ``benchmarks/gold/README.md``; plain names are matched without case)
    restricts the paragraph share to them when given: ``paragraph_share`` over every key
    concept (one the list misses has no lesson), ``paragraph_found_share`` over the key
    concepts found. ``source_figures`` are the image keys the sources hold (``figure_keys``)."""
    lessons = {lesson["concept"]: lesson for lesson in data.get("lessons") or []}
    reports = {}
    for c in data.get("concepts") or []:
        text = (lessons.get(c["id"]) or {}).get("text", "")
        reports[c["id"]] = (c, lesson_report(text, c.get("kind") or "term"))
    total = len(reports)
    with_fragments = [(c["name"], r["fragments"][0]) for c, r in reports.values() if r["fragments"]]
    placeholders = [c["name"] for c, r in reports.values() if r["placeholder"]]
    code = [(c, r) for c, r in reports.values() if r["code_concept"]]
    if key_concepts:
        keyed = _key_matches(data, key_concepts)
        chosen = [reports[cid] for cid in dict.fromkeys(keyed)]
        denominator = len(key_concepts)
    else:
        chosen = list(reports.values())
        denominator = total
    shown = set()
    for _, r in reports.values():
        shown.update(r["figures"])
    in_sources = set(source_figures or ())
    return {
        "lessons": total,
        "placeholder": len(placeholders),
        "placeholder_examples": placeholders[:5],
        "with_fragments": len(with_fragments),
        "fragment_examples": [
            {"concept": n, "reason": why, "paragraph": p[:160]}
            for n, (p, why) in with_fragments[:5]
        ],
        "fragment_free_share": _share(total - len(with_fragments), total),
        "paragraph_share": _share(sum(r["paragraph"] for _, r in chosen), denominator),
        "paragraph_found_share": _share(sum(r["paragraph"] for _, r in chosen), len(chosen)),
        "paragraph_found": len(chosen),
        "without_paragraph": [c["name"] for c, r in chosen if not r["paragraph"]],
        "paragraph_of": "key concepts" if key_concepts else "all concepts",
        "code_concepts": len(code),
        "code_shown_share": _share(sum(r["shows_code"] for _, r in code), len(code)),
        "source_figures": len(in_sources),
        "figures_shown": len(in_sources & shown),
        "figures_shown_share": _share(len(in_sources & shown), len(in_sources)),
    }


def _key_matches(data: dict, key_concepts: list) -> list[str]:
    """The concept id each key concept matches, in the key list's order (unmatched left out).
    A ``(name, forms)`` key matches a concept with a name or alias of the same compact form
    (the concept judge's rule); a plain name matches a name or alias without case."""
    index = _name_index(data)
    compact: dict[str, str] = {}
    for c in data.get("concepts") or []:
        aliases = c.get("aliases") or []
        if isinstance(aliases, str):
            aliases = json.loads(aliases or "[]")
        for name in [c["name"], *aliases]:
            compact.setdefault(compact_form(name), c["id"])
    out = []
    for key in key_concepts:
        if isinstance(key, str):
            hit = index.get(key.lower())
        else:
            name, forms = key
            hit = next((compact[f] for f in sorted(forms) if f in compact), None)
        if hit is not None:
            out.append(hit)
    return out


def _name_index(data: dict) -> dict[str, str]:
    index: dict[str, str] = {}
    for c in data.get("concepts") or []:
        aliases = c.get("aliases") or []
        if isinstance(aliases, str):
            aliases = json.loads(aliases or "[]")
        for name in [c["name"], *aliases]:
            index.setdefault(name.lower(), c["id"])
    return index


def figure_keys(source_metas: list[dict]) -> set[str]:
    """The image keys a curriculum's sources hold, from their stored ``meta`` dicts."""
    keys = set()
    for meta in source_metas:
        for item in ((meta or {}).get("images") or {}).values():
            if isinstance(item, dict) and item.get("key"):
                keys.add(item["key"])
    return keys


def sample_lessons(data: dict, k: int = LESSONS_PER_CURRICULUM, seed: int = EDGE_SEED) -> list:
    """``k`` lessons drawn with a fixed seed, for a teacher to read: ``{"concept", "text"}``."""
    names = {c["id"]: c["name"] for c in data.get("concepts") or []}
    lessons = sorted(
        (names.get(lesson["concept"], "?"), lesson.get("text", ""))
        for lesson in data.get("lessons") or []
    )
    picked = random.Random(seed).sample(lessons, min(k, len(lessons)))
    return [{"concept": name, "text": text} for name, text in picked]


# --- edges --------------------------------------------------------------------------------------


def edge_label(prerequisite: str, concept: str) -> str:
    return f"{prerequisite} -> {concept}"


def sample_edges(data: dict, k: int = EDGES_PER_CURRICULUM, seed: int = EDGE_SEED) -> list[dict]:
    """``k`` active prerequisite edges drawn with a fixed seed: ``{"edge", "reason"}`` each."""
    names = {c["id"]: c["name"] for c in data.get("concepts") or []}
    edges = sorted(
        (
            edge_label(names.get(e["prerequisite"], "?"), names.get(e["concept"], "?")),
            e.get("reason") or "",
        )
        for e in data.get("edges") or []
        if e.get("kind") == "prerequisite" and e.get("status", "active") == "active"
    )
    picked = random.Random(seed).sample(edges, min(k, len(edges)))
    return [{"edge": edge, "reason": reason} for edge, reason in picked]


def load_verdicts(path: Path = GOLD_EDGES) -> dict[str, dict[str, dict]]:
    return json.loads(path.read_text(encoding="utf-8")) if path.exists() else {}


def record_verdicts(label: str, verdicts: dict[str, dict], path: Path = GOLD_EDGES) -> None:
    """Add a teacher's verdicts on edges of curriculum ``label`` (``{"A -> B": {"verdict",
    "note"}}``) to the gold file; an edge judged before keeps its first verdict."""
    for edge, v in verdicts.items():
        if v.get("verdict") not in VERDICTS:
            raise ValueError(f"{edge}: verdict must be one of {', '.join(VERDICTS)}")
    gold = load_verdicts(path)
    mine = gold.setdefault(label, {})
    for edge, v in verdicts.items():
        mine.setdefault(edge, v)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(gold, indent=1, ensure_ascii=False, sort_keys=True) + "\n", "utf-8")


def score_edges(sample: list[dict], verdicts: dict[str, dict]) -> dict:
    """Share of the sampled edges a teacher judged right; the sampled edges not judged yet."""
    judged = [s for s in sample if s["edge"] in verdicts]
    counts = {v: 0 for v in VERDICTS}
    for s in judged:
        counts[verdicts[s["edge"]]["verdict"]] += 1
    return {
        "sampled": len(sample),
        "judged": len(judged),
        "right": counts["right"],
        "right_share": _share(counts["right"], len(judged)),
        "verdicts": counts,
        "unjudged": [s for s in sample if s["edge"] not in verdicts],
    }
