"""The concept list: admitted concepts ranked by importance, cut to the batch's size, and
written as ``ConceptDraft`` with a name, aliases, a definition and evidence spans."""

from __future__ import annotations

import math

from teachback.engine.protocol import ConceptDraft, Evidence
from teachback.ingest.concepts.admission import admitted
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.naming import canonical, sentence_case
from teachback.ingest.concepts.settings import CONCEPTS_PER_GROUP, MAX_CONCEPTS, MAX_MENTIONS
from teachback.ingest.textutil import singular_phrase

MAX_ALIASES = 12
MAX_DEFINITION = 500  # characters


def results(batch: Batch) -> list[ConceptDraft]:
    """The admitted concepts, the most important first up to the batch's size, in order of
    first appearance."""
    picked = [c for c in batch.concepts.values() if admitted(batch, c)]
    if not picked:
        return []
    importance = _importance(picked)
    picked.sort(key=lambda c: (-importance[c.key], c.first_seen))
    picked = picked[: min(MAX_CONCEPTS, max(50, CONCEPTS_PER_GROUP * batch.n_groups))]
    used_names: set[str] = set()
    return [
        draft(batch, c, importance[c.key], used_names)
        for c in sorted(picked, key=lambda c: c.first_seen)
    ]


def _importance(picked: list[Concept]) -> dict[str, float]:
    """Terms: best score, spread over groups and documents, and a definition, scaled to
    [0.1, 1]; code symbols keep the importance their kind and callers gave them."""
    raw: dict[str, float] = {}
    for c in picked:
        if c.kind == "code":
            continue
        raw[c.key] = (
            c.best
            + 0.8 * math.log1p(c.groups)
            + 0.5 * math.log1p(len(c.docs) - 1)
            + (0.7 if c.definition else 0.0)
        )
    lo = min(raw.values(), default=0.0)
    hi = max(raw.values(), default=1.0)
    span = (hi - lo) or 1.0
    importance = {k: round(0.1 + 0.9 * (v - lo) / span, 4) for k, v in raw.items()}
    for c in picked:
        if c.kind == "code":
            importance[c.key] = round(c.fixed_importance or 0.5, 4)
    return importance


def draft(batch: Batch, c: Concept, importance: float, used: set[str]) -> ConceptDraft:
    name = c.name or sentence_case(
        canonical(c, batch.short_of.get(c.key)), batch.capitalised_mid_sentence
    )
    if name.lower() in used:
        name = f"{name} ({batch.documents[c.first_seen[0]].title or 'source'})"
    used.add(name.lower())
    evidence = _evidence(batch, c)
    definition = ""
    if c.definition is not None:
        definition = c.code_definition or " ".join(evidence[0].quote.split())
    if not definition and c.kind == "term":
        # No defining sentence: the first sentence that uses it.
        for e in evidence:
            if e.role == "mention":
                definition = " ".join(e.quote.split())
                break
    return ConceptDraft(
        name=name,
        aliases=_aliases(c, name, batch.short_of.get(c.key, ""))[:MAX_ALIASES],
        definition=definition[:MAX_DEFINITION],
        importance=max(0.0, min(1.0, importance)),
        kind="code" if c.kind == "code" else "term",
        evidence=evidence,
        first_seen=c.first_seen if c.first_seen[0] < (1 << 30) else (0, 0),
    )


def _aliases(c: Concept, name: str, short: str) -> list[str]:
    """Inflections of the name ("models"), the abbreviation ("LLM", "LLMs"), its expansion and
    qualified code names; not verb forms the stemmer conflated ("pointing")."""
    aliases: list[str] = []
    seen = {name.lower()}
    name_low = name.lower()
    surfaces = sorted(c.surfaces, key=lambda s: (s[:1].isupper(), -c.surfaces[s]))
    for s in surfaces + sorted(c.short_forms) + [short]:
        s = " ".join(s.split())
        same = singular_phrase(s).lower() == name_low or s.lower() == name_low + "s"
        abbreviation = short and s.lower() in {short.lower(), short.lower() + "s"}
        expansion = short and singular_phrase(s).lower() != name_low and len(s.split()) > 1
        if not (same or abbreviation or expansion or s in c.short_forms):
            continue
        if s and s.lower() not in seen:
            seen.add(s.lower())
            aliases.append(s)
    return aliases


def _evidence(batch: Batch, c: Concept) -> list[Evidence]:
    """The defining span first, then the code, then mentions (one per further document)."""
    evidence: list[Evidence] = []
    if c.definition is not None:
        _, di, a, b = c.definition
        evidence.append(batch.evidence(di, a, b, "definition"))
    for di, a, b in c.code:
        evidence.append(batch.evidence(di, a, b, "code"))
    for di, a, b in c.mentions:
        if any(e.start == a and e.source == batch.documents[di].path for e in evidence):
            continue
        evidence.append(batch.evidence(di, a, b, "mention"))
    if not c.mentions and c.definition is None and c.fallback is not None:
        evidence.append(batch.evidence(*c.fallback, "mention"))
    cited = {batch.documents[m[0]].path for m in c.mentions}
    for di, (off, end) in sorted(c.other_mentions.items())[:MAX_MENTIONS]:
        if batch.documents[di].path not in cited and (c.definition or (0, -1))[1] != di:
            a, b = batch.sentence_around(di, off, end)
            evidence.append(batch.evidence(di, a, b, "mention"))
    return evidence
