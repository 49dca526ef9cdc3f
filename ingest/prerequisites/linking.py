"""Prerequisite and related edges between concepts, their active prerequisites a DAG.

``link_prerequisites`` scores every candidate pair (terms that share a sentence, or whose names
contain each other) with ``scoring.score``, keeps A -> B when the score is high, higher than
B -> A, and the material builds that way (never against a definition: what the sentence that
says what B is names comes before B; not when B is defined before A is, when A is given as an
example of B or set beside it, nor when only a chapter's overview names them together); adds
what each defining sentence builds its concept from (``definition_edges``: "A hash table is an
associative array built on an array of buckets, a hash function ..."); follows the code's
structure (``code_edges``) and the terms its comments teach inside a definition
(``comment_edges``); and breaks any cycle by removing its weakest edge (kept with status
"removed" and a reason naming the cycle).

Sharing sentences alone makes no edge, not even a "related" one: a teacher reads every edge
as "A comes before B", and terms that are merely named together are mostly siblings
("aggregation" and "filtering"), a whole and its parts, or words of the subject that are
everywhere ("DataFrame" and "index", though the Index is taught first, with the Series).

Not handled: prerequisites that are never named together in the sources, synonyms beyond the
concept's aliases.
"""

from __future__ import annotations

import re
from collections import defaultdict

from teachback.core.document import Document
from teachback.engine.graph import break_cycles
from teachback.engine.protocol import ConceptDraft, EdgeDraft
from teachback.ingest.prerequisites.code_edges import code_edges, code_only, library_concepts
from teachback.ingest.prerequisites.comment_edges import comment_edges
from teachback.ingest.prerequisites.definition_edges import (
    FoldedTexts,
    defined_at,
    definition_edges,
    example_of,
)
from teachback.ingest.prerequisites.mentions import GENERIC_ZIPF, TermStats, gather, word_zipf
from teachback.ingest.prerequisites.overviews import defining_relies
from teachback.ingest.prerequisites.scoring import (
    DEFINING_SENTENCES,
    FEATURE_INDEX,
    prerequisite_features,
    score,
)
from teachback.ingest.prerequisites.topics import named_topics
from teachback.ingest.textutil import phrase_key

PREREQ_THRESHOLD = 0.5  # probability above which a candidate pair becomes a prerequisite edge
MAX_EDGES_PER_CONCEPT = 6
HUB_MIN = 6  # a prerequisite of more concepts than this (and HUB_SHARE of them) is generic
HUB_SHARE = 0.03
HUB_KEEP = 3
_WORD = re.compile(r"[a-z0-9]+(?:[_.\-][a-z0-9]+)*")
GENERIC_MIN_DEFINING = 3  # of B's DEFINING_SENTENCES that must rely on a generic A


def link_prerequisites(concepts: list[ConceptDraft], documents: list[Document]) -> list[EdgeDraft]:
    """Prerequisite edges between ``concepts`` (and the "related" edges the code gives); the
    active prerequisites form a DAG."""
    if not concepts:
        return []
    stats = gather([[c.name, *c.aliases] for c in concepts], documents)
    scored: dict[tuple[int, int], tuple[float, list[float]]] = {}
    for a, b in _candidate_pairs(concepts, stats):
        f = prerequisite_features(a, b, stats)
        scored[(a, b)] = (score(f), f)
    found_in_code = code_edges(concepts, documents)
    skip = code_only(concepts, documents)
    code_pairs = {(e.prerequisite, e.concept) for e in found_in_code}
    libraries = library_concepts(concepts, documents)
    relies = _definitions_rely_on(concepts)
    texts = FoldedTexts(documents)
    topics = named_topics(documents, stats)
    defined = defined_at(concepts, documents)
    candidates: dict[int, list[EdgeDraft]] = defaultdict(list)
    for (a, b), (p, f) in scored.items():
        if (concepts[b].name, concepts[a].name) in code_pairs or a in skip or b in skip:
            continue  # the code says the opposite (a class before what is nested in it)
        if b in relies[a] and a not in relies[b]:
            continue  # A's definition relies on B ("A hash table is an associative array")
        reverse = scored.get((b, a), (0.0, []))[0]
        edge = _text_edge(a, b, p, reverse, f, stats, concepts, libraries, topics)
        if edge is not None and _as_taught(a, b, f, stats, texts, defined):
            candidates[b].append(edge)
    _limit_hubs(candidates, len(concepts))
    edges = _strongest(candidates)
    seen = {(e.prerequisite, e.concept) for e in edges}
    for e in definition_edges(concepts, documents, stats, texts, topics):
        pair = (e.prerequisite, e.concept)
        if pair not in seen and (e.concept, e.prerequisite) not in code_pairs:
            seen.add(pair)
            edges.append(e)
    _add_new(edges, seen, found_in_code + comment_edges(concepts, documents))
    return break_cycles(edges)


def _add_new(edges: list[EdgeDraft], seen: set, more: list[EdgeDraft]) -> None:
    """Append the edges of ``more`` that join a pair not yet joined either way."""
    for e in more:
        pair = (e.prerequisite, e.concept)
        if pair not in seen and (e.concept, e.prerequisite) not in seen:
            seen.add(pair)
            edges.append(e)


def _as_taught(
    a: int,
    b: int,
    f: list[float],
    stats: TermStats,
    texts: FoldedTexts,
    defined: list[tuple[int, int] | None],
) -> bool:
    """Whether a likely text edge A -> B is how the material teaches them: not when it gives
    A as an example of B ("such as NaN"), when only a chapter's overview names them together,
    or when B is defined before A is (A, named earlier, is taught after it)."""
    if example_of(a, b, stats, texts):
        return False
    if f[FEATURE_INDEX["contains"]] > 0:
        return True
    return defining_relies(a, b, stats, texts) and not _defined_later(a, b, defined, stats)


def _definitions_rely_on(concepts: list[ConceptDraft]) -> list[set[int]]:
    """For each concept, the concepts its definition names: what the sentence that says what
    it is relies on comes before it, never after."""
    by_name: dict[str, int] = {}
    for i, c in enumerate(concepts):
        for n in (c.name, *c.aliases):
            key = " ".join(_WORD.findall(n.lower()))
            if key:
                by_name.setdefault(key, i)
    longest = max((k.count(" ") + 1 for k in by_name), default=1)
    out: list[set[int]] = []
    for i, c in enumerate(concepts):
        words = _WORD.findall(c.definition.lower())
        named = set()
        for k in range(len(words)):
            for m in range(k + 1, min(k + longest, len(words)) + 1):
                phrase = " ".join(words[k:m])
                j = by_name.get(phrase, by_name.get(phrase[:-1]) if phrase.endswith("s") else None)
                if j is not None and j != i:
                    named.add(j)
        out.append(named)
    return out


def _candidate_pairs(concepts: list[ConceptDraft], stats: TermStats) -> set[tuple[int, int]]:
    """Terms that share a sentence, or whose names contain each other, both ways round."""
    pairs: set[tuple[int, int]] = set()
    for found in stats.mentions:
        if 1 < len(found) <= 12:
            items = sorted(found)
            pairs.update((x, y) for x in items for y in items if x != y)
    term_concepts = [i for i, c in enumerate(concepts) if c.kind == "term"]
    by_word: dict[str, list[int]] = defaultdict(list)
    for i in term_concepts:
        for w in stats.words[i]:
            by_word[w].append(i)
    for i in term_concepts:
        if len(stats.words[i]) == 1:
            (w,) = stats.words[i]
            for j in by_word[w][:200]:
                if j != i:
                    pairs.add((i, j))
                    pairs.add((j, i))
    return pairs


def _text_edge(
    a: int,
    b: int,
    p: float,
    reverse: float,
    f: list[float],
    stats: TermStats,
    concepts: list[ConceptDraft],
    libraries: set[int],
    topics: set[int],
) -> EdgeDraft | None:
    """A -> B from the text: a prerequisite when the pair is likely, likelier than B -> A,
    shows how the material builds and is not taught the other way round; else none."""
    ca, cb = concepts[a].name, concepts[b].name
    if (
        p >= PREREQ_THRESHOLD
        and p > reverse
        and _builds_on(f, defined=bool(concepts[b].definition.strip()))
        and not (a in libraries and f[FEATURE_INDEX["contains"]] <= 0)
        and (a in topics or not _generic_only(a, b, f, stats, concepts))
        and (f[FEATURE_INDEX["contains"]] > 0 or not _taught_later(a, b, stats))
    ):
        reason = _reason(ca, cb, f)
        return EdgeDraft(
            prerequisite=ca, concept=cb, kind="prerequisite", weight=round(p, 4), reason=reason
        )
    return None


def _strongest(candidates: dict[int, list[EdgeDraft]]) -> list[EdgeDraft]:
    """Each concept's strongest ``MAX_EDGES_PER_CONCEPT`` prerequisites."""
    edges: list[EdgeDraft] = []
    for b in sorted(candidates):
        edges.extend(sorted(candidates[b], key=lambda e: -e.weight)[:MAX_EDGES_PER_CONCEPT])
    return edges


def _builds_on(f: list[float], *, defined: bool = True) -> bool:
    """Whether a likely pair shows how the material builds: B's name contains A (a kind of
    A, or a thing of A's), or B is defined and its defining sentences rely on A, introduced
    no later than B. Mere co-occurrence with a more frequent word is not a prerequisite, and a
    concept the material never defines is not "defined in terms of" the words its first
    mentions share a sentence with ("the `reindex` method" used once on a MultiIndex)."""
    if f[FEATURE_INDEX["contains"]] > 0:
        return True
    return defined and f[FEATURE_INDEX["defines"]] > 0 and f[FEATURE_INDEX["order"]] >= 0


def _heads_alike(a: str, b: str) -> bool:
    """Whether B's name ends as A's does, so B is a kind of A ("many-to-one join" of "join",
    "reset_index" of "index"); a name that only starts with A names a thing of A's ("a
    column label" is a label, "a NumPy array" an array)."""
    ka, kb = phrase_key(a).split(), phrase_key(b).split()
    return bool(ka) and bool(kb) and ka[-1] == kb[-1]


def _generic_only(
    a: int, b: int, f: list[float], stats: TermStats, concepts: list[ConceptDraft]
) -> bool:
    """Whether ``a`` is a bare common word ("column", "object", "combine") that ``b``'s
    defining sentences merely mention: a generic word is a prerequisite of what is a kind of
    it, or of a concept most of whose defining sentences rely on it. A common word the
    material's code uses as a class name ("Series", "Index") is an API, not a generic word."""
    name = concepts[a].name
    if concepts[a].kind != "term" or " " in name.strip() or f[FEATURE_INDEX["contains"]] > 0:
        return False
    if word_zipf(name.lower()) < GENERIC_ZIPF or name[:1].upper() + name[1:] in stats.code_words:
        return False
    defining = stats.sentences.get(b, [])[:DEFINING_SENTENCES]
    relied = sum(1 for s in defining if a in stats.mentions[s])
    return relied < GENERIC_MIN_DEFINING


def _defined_later(a: int, b: int, defined: list[tuple[int, int] | None], stats: TermStats) -> bool:
    """Whether ``a`` is defined after ``b`` is defined (else first met) in reading order: the
    hash table named in an introduction but defined in the closing section comes after the
    double hashing its sections teach."""
    da, db = defined[a], defined[b] or stats.first.get(b)
    return da is not None and db is not None and db < da


def _taught_later(a: int, b: int, stats: TermStats) -> bool:
    """Whether ``b`` is met before ``a`` in reading order, counting a notebook's code as well
    as its prose: an API the code used in an earlier cell ("dtype") comes before what a later
    paragraph explains in its terms ("sentinel value")."""
    fa = min(filter(None, (stats.first.get(a), stats.code_first.get(a))), default=None)
    fb = min(filter(None, (stats.first.get(b), stats.code_first.get(b))), default=None)
    return fa is not None and fb is not None and fb < fa


def _limit_hubs(candidates: dict[int, list[EdgeDraft]], n_concepts: int) -> None:
    """A prerequisite of a large share of the concepts is a generic word of the material
    ("data", "operation"), not what each of them builds on: it keeps its edges to concepts
    whose names contain it and only its ``HUB_KEEP`` strongest others."""
    limit = max(HUB_MIN, round(HUB_SHARE * n_concepts))
    by_prereq: dict[str, list[EdgeDraft]] = defaultdict(list)
    for edges in candidates.values():
        for e in edges:
            if e.kind == "prerequisite" and "its name contains it" not in e.reason:
                by_prereq[e.prerequisite].append(e)
    dropped: set[int] = set()
    for edges in by_prereq.values():
        if len(edges) > limit:
            edges.sort(key=lambda e: -e.weight)
            dropped.update(id(e) for e in edges[HUB_KEEP:])
    for b, edges in candidates.items():
        candidates[b] = [e for e in edges if id(e) not in dropped]


def _reason(a: str, b: str, f: list[float]) -> str:
    why = []
    if f[FEATURE_INDEX["contains"]] > 0 and _heads_alike(a, b):
        why.append(f'"{b}" is a kind of "{a}" (its name contains it)')
    elif f[FEATURE_INDEX["contains"]] > 0:
        why.append(f'"{b}" is about "{a}" (its name contains it)')
    if f[FEATURE_INDEX["defines"]] > 0:
        why.append(f'"{b}" is defined in terms of "{a}"')
    elif f[FEATURE_INDEX["refers"]] > 0:
        why.append(f'sentences about "{b}" mention "{a}"')
    if f[FEATURE_INDEX["order"]] > 0:
        why.append(f'"{a}" is introduced first')
    if f[FEATURE_INDEX["zipf"]] > 0.5 or f[FEATURE_INDEX["tf"]] > 0.5:
        why.append(f'"{a}" is more general')
    return "; ".join(why) or f'"{a}" tends to come before "{b}"'
