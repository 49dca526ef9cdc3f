"""Textbook key-term coverage of ``extract_concepts`` (a proxy for author-marked key terms).

    .venv/bin/python -m teachback.benchmarks.concepts_textbook \
        --pairs ../shared/data/prerequisites/concept_pairs_dev.jsonl \
        --sections ../shared/data/prerequisites/textbook_sections_dev.jsonl

The textbook sections (``{"domain","section","title","text"}`` lines) become one Document with
a heading section per title and a prose section per text, as a reader would produce. The gold
list is the set of concept names of the same domain in the pairs file, with Wikipedia-style
qualifiers removed ("Line (geometry)" -> "Line"). A gold term is found when a concept's name or
one of its aliases matches it after lower-casing, singularising and Porter-stemming (or a
RapidFuzz ratio >= 90 on the stemmed strings). Coverage is reported over all gold terms and over
the gold terms that occur in the text at all (the ones an extractor can find).

With ``--terms FILE`` a real key-term list is the gold instead (``load_terms``): JSON Lines
``{"section": "1.1", "terms": ["point", "line"]}`` (optionally ``"domain"``), or one JSON array
of strings, or plain text with one term per line. Terms tied to a section are judged in the
half-book that holds their section.
"""

from __future__ import annotations

import json
import re
import time
import zlib
from collections import defaultdict
from dataclasses import dataclass
from pathlib import Path

import click

from teachback.benchmarks.report import emit, machine
from teachback.core.document import Document, Section
from teachback.ingest.textutil import phrase_key


def load_sections(path: Path) -> dict[str, list[dict]]:
    """Rows of a sections file grouped by domain, in file order."""
    by_domain: dict[str, list[dict]] = defaultdict(list)
    with path.open(encoding="utf-8") as fh:
        for i, line in enumerate(fh):
            if line.strip():
                row = json.loads(line)
                if "text" not in row:
                    raise click.ClickException(f"{path}:{i + 1}: a section needs 'text'")
                by_domain[row.get("domain", "")].append(row)
    return by_domain


def sections_document(rows: list[dict], name: str) -> Document:
    """One Document: for each row a heading section (its title) then a prose section."""
    parts: list[str] = []
    sections: list[Section] = []
    pos = 0
    for row in rows:
        title = " ".join(str(row.get("title", "")).split())
        body = " ".join(str(row["text"]).split())
        heading = f"{row.get('section', '')} {title}".strip()
        if heading:
            sections.append(Section("heading", pos, pos + len(heading), heading, (title,)))
            parts.append(heading + "\n\n")
            pos += len(heading) + 2
        if body:
            sections.append(Section("prose", pos, pos + len(body), body, (title,)))
            parts.append(body + "\n\n")
            pos += len(body) + 2
    return Document(path=name, format="text", title=name, text="".join(parts), sections=sections)


def clean_gold(name: str) -> str:
    return re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()


def gold_terms(pairs_path: Path, domain: str) -> list[str]:
    names: set[str] = set()
    with pairs_path.open(encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                row = json.loads(line)
                if row.get("domain") == domain:
                    names.update([row["concept"], row["prereq_candidate"]])
    return sorted(names)


@dataclass(frozen=True)
class KeyTerm:
    term: str
    section: str | None = None  # the section that marks it, when the list says
    domain: str | None = None


def load_terms(path: Path) -> list[KeyTerm]:
    """Key terms from a file: JSON Lines (``{"section", "terms"[, "domain"]}`` objects or JSON
    strings), one JSON array (of strings or such objects), or plain text, one term a line.

    >>> import tempfile; f = Path(tempfile.mkstemp(suffix=".jsonl")[1])
    >>> _ = f.write_text('{"section": "1.1", "terms": ["point", "line"]}\\n')
    >>> [(t.term, t.section) for t in load_terms(f)]
    [('point', '1.1'), ('line', '1.1')]
    """
    text = path.read_text(encoding="utf-8")

    def from_item(item, where: str) -> list[KeyTerm]:
        if isinstance(item, str):
            return [KeyTerm(item.strip())] if item.strip() else []
        if isinstance(item, dict) and isinstance(item.get("terms"), list):
            sec = item.get("section")
            return [
                KeyTerm(str(t).strip(), None if sec is None else str(sec), item.get("domain"))
                for t in item["terms"]
                if str(t).strip()
            ]
        raise click.ClickException(f'{where}: expected a term or {{"section", "terms": [...]}}')

    stripped = text.lstrip()
    if stripped.startswith("["):
        try:
            items = json.loads(stripped)
        except json.JSONDecodeError as err:
            raise click.ClickException(f"{path}: not a JSON array: {err}") from None
        return [t for i, item in enumerate(items) for t in from_item(item, f"{path}[{i}]")]
    out: list[KeyTerm] = []
    for i, line in enumerate(text.splitlines()):
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line[0] in '{"':
            try:
                item = json.loads(line)
            except json.JSONDecodeError as err:
                raise click.ClickException(f"{path}:{i + 1}: {err}") from None
        else:
            item = line
        out.extend(from_item(item, f"{path}:{i + 1}"))
    return out


def _terms_gold(terms: list[KeyTerm], domain: str, rows: list[dict]) -> list[str]:
    """Distinct terms for a book (its domain; its sections when the terms name sections)."""
    sections = {str(r.get("section", "")) for r in rows}
    seen: dict[str, str] = {}
    for t in terms:
        if t.domain is not None and t.domain != domain:
            continue
        if t.section is not None and t.section not in sections:
            continue
        seen.setdefault(t.term.lower(), t.term)
    return list(seen.values())


def coverage(concepts, gold: list[str], text: str) -> dict:
    from rapidfuzz import fuzz

    keys: set[str] = set()
    for c in concepts:
        for form in [c.name, *c.aliases]:
            keys.add(phrase_key(form))
    text_key = " " + phrase_key(text) + " "
    found, findable, found_findable, missing = 0, 0, 0, []
    for g in gold:
        gk = phrase_key(clean_gold(g))
        in_text = f" {gk} " in text_key
        hit = gk in keys or any(fuzz.ratio(gk, k) >= 90 for k in keys if abs(len(k) - len(gk)) < 4)
        found += hit
        findable += in_text
        found_findable += hit and in_text
        if in_text and not hit:
            missing.append(clean_gold(g))
    return {
        "gold": len(gold),
        "found": found,
        "coverage": round(found / max(1, len(gold)), 4),
        "findable": findable,
        "coverage_findable": round(found_findable / max(1, findable), 4),
        "missing_findable": missing,
    }


def chapter_half(row: dict) -> str:
    """ "a" for odd chapters, "b" for even ones (by the number before the first dot of
    ``section``; rows without a number go by a hash of their title). Used to check a choice
    made on one half of a textbook on the other half."""
    m = re.match(r"\s*(\d+)", str(row.get("section", "")))
    n = int(m.group(1)) if m else zlib.crc32(str(row.get("title", "")).encode())
    return "a" if n % 2 else "b"


def _per_section(doc: Document, concepts) -> list[tuple[str, list[str]]]:
    """(section heading, names of the concepts first seen in it) in reading order."""
    heads = [s for s in doc.sections if s.kind == "heading"]
    out: list[tuple[str, list[str]]] = [(h.text, []) for h in heads]
    starts = [h.start for h in heads]
    import bisect

    for c in sorted(concepts, key=lambda c: c.first_seen):
        i = bisect.bisect_right(starts, c.first_seen[1]) - 1
        if 0 <= i < len(out):
            out[i][1].append(c.name)
    return out


def textbook_report(
    pairs: Path | None, sections: Path, halves: bool = False, terms: Path | None = None
) -> dict:
    """Coverage per domain; with ``halves`` also per half ("domain/a", "domain/b"), each half
    extracted as a textbook of its own and judged on the gold terms that occur in its text.
    Gold: the concept names of ``pairs``, or the key terms of ``terms`` (``load_terms``)."""
    from teachback.ingest.concepts import extract_concepts

    out: dict = {}
    key_terms = load_terms(terms) if terms is not None else None
    books: list[tuple[str, str, list[dict]]] = []
    for domain, rows in load_sections(sections).items():
        books.append((domain, domain, rows))
        if halves:
            for h in ("a", "b"):
                books.append((f"{domain}/{h}", domain, [r for r in rows if chapter_half(r) == h]))
    for label, domain, rows in books:
        if not rows:
            continue
        doc = sections_document(rows, f"{label}-textbook")
        t0 = time.perf_counter()
        concepts = extract_concepts([doc])
        secs = time.perf_counter() - t0
        if key_terms is not None:
            gold = _terms_gold(key_terms, domain, rows)
        elif pairs is not None:
            gold = gold_terms(pairs, domain)
        else:
            raise click.ClickException("give the gold terms: --pairs or --terms")
        cov = coverage(concepts, gold, doc.text)
        n_prose = sum(1 for s in doc.sections if s.kind == "prose")
        cov.update(
            {
                "concepts": len(concepts),
                "sections": n_prose,
                "concepts_per_section": round(len(concepts) / max(1, n_prose), 2),
                "seconds": round(secs, 2),
                "per_section": _per_section(doc, concepts),
            }
        )
        counts = [len(names) for title, names in cov["per_section"]]
        cov["max_per_section"] = max(counts, default=0)
        cov["sections_over_10"] = sum(n > 10 for n in counts)
        out[label] = cov
    return out


@click.command()
@click.option(
    "--pairs",
    type=click.Path(exists=True, dir_okay=False),
    help="Gold: the concept names of this prerequisite-pairs file (the proxy).",
)
@click.option("--sections", required=True, type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--terms",
    type=click.Path(exists=True, dir_okay=False),
    help='Gold: a key-term list instead (JSONL {"section": "1.1", "terms": [...]}, a JSON '
    "array, or one term a line).",
)
@click.option(
    "--halves/--no-halves",
    default=True,
    show_default=True,
    help="Also report odd and even chapters as two separate textbooks (a held-out check).",
)
@click.option("--show", default=0, show_default=True, help="Print N concepts per section.")
def command(pairs: str | None, sections: str, halves: bool, show: int, terms: str | None) -> None:
    """Key-term coverage of concept extraction on a textbook (gold: concept names in PAIRS,
    or the key terms in TERMS).

    Example: teachback bench concepts --pairs concept_pairs_dev.jsonl
    --sections textbook_sections_dev.jsonl
    """
    if not pairs and not terms:
        raise click.UsageError("give the gold terms: --pairs FILE or --terms FILE")
    report = textbook_report(
        Path(pairs) if pairs else None,
        Path(sections),
        halves=halves,
        terms=Path(terms) if terms else None,
    )
    figures: dict = {"benchmark": "concepts_textbook", "machine": machine()}
    for domain, r in report.items():
        click.echo(
            f"{domain}: {r['concepts']} concepts over {r['sections']} sections "
            f"({r['concepts_per_section']}/section, {r['seconds']} s); gold {r['gold']}, "
            f"in text {r['findable']}; coverage {r['coverage']:.3f} of all, "
            f"{r['coverage_findable']:.3f} of those in the text; most in one section "
            f"{r['max_per_section']} ({r['sections_over_10']} sections over 10)"
        )
        if r["missing_findable"]:
            click.echo("  missed (in text): " + ", ".join(r["missing_findable"]))
        if show and "/" not in domain:
            rows = r["per_section"]
            step = max(1, len(rows) // show)
            for title, names in rows[::step][:show]:
                click.echo(f"    [{title}] " + "; ".join(names))
        name = domain.replace("/", "_")
        figures[f"{name}_coverage"] = r["coverage"]
        figures[f"{name}_coverage_in_text"] = r["coverage_findable"]
        figures[f"{name}_concepts_per_section"] = r["concepts_per_section"]
        figures[f"{name}_sections_over_10"] = r["sections_over_10"]
    emit(figures)


if __name__ == "__main__":
    command()
