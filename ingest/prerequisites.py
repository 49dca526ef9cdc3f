"""Prerequisite edges between concepts, a DAG, and units in a teachable order.

``prerequisite_features(a, b, stats)`` describes a pair (is A a prerequisite of B?) with general
signals only (no domain rules):

* ``contains``: A's words are inside B's name ("triangle" in "isosceles triangle") (+1), or the
  reverse (-1);
* ``order``: A is introduced before B in the text (first mention, in reading order);
* ``refers``: how much more B's sentences mention A than A's sentences mention B;
* ``defines``: B's defining (first) sentences mention A, minus the reverse;
* ``tf``: A is more frequent in the text than B (more general);
* ``zipf``: A is more common in general English than B (wordfreq), which also works with no text;
* ``cooc``: how often they share a sentence (relatedness, symmetric);
* ``generality``: A's words recur in more of the batch's concept names than B's rarest word
  does (log of the smallest number of names sharing a word), which also works with no text.

``NAMES_ONLY`` are the features that need no text; the others are 0 for a pair never seen in a
text. A logistic regression over those features (weights in ``prerequisite_weights.json``, fitted
by ``teachback bench prerequisites --fit`` on the dev pairs plus a names-only copy of the pairs
that have text, its regularisation chosen by leave-one-domain-out) gives ``score``;
``link_prerequisites`` keeps A -> B when the score is high and higher than B -> A, adds weaker
"related" edges for pairs that co-occur, follows imports and calls for code, and breaks any
cycle by removing its weakest edge (kept with status "removed" and a reason naming the cycle).

Name length (B's name has more words than A's) is not a feature: its direction differs between
domains (single-feature AUC 0.45 on data mining, 0.68 on geometry) and dropping it raised the
leave-one-domain-out AUC of both dev domains.

Not handled: prerequisites that are never named together in the sources, synonyms beyond the
concept's aliases.
"""

from __future__ import annotations

import heapq
import json
import math
import re
from collections import defaultdict
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from teachback.core.document import Document
from teachback.core.text import fold, sentences
from teachback.engine.graph import break_cycles
from teachback.engine.protocol import ConceptDraft, EdgeDraft, UnitDraft
from teachback.ingest.keyphrases import zipf
from teachback.ingest.textutil import WORD_RE, phrase_key, singular, stem

WEIGHTS_PATH = Path(__file__).with_name("prerequisite_weights.json")
FEATURES = [
    "contains",
    "order",
    "refers",
    "defines",
    "tf",
    "zipf",
    "cooc",
    "both_seen",
    "generality",
]
# Features computed from the names alone (the rest need text; 0 when a pair has none).
NAMES_ONLY = ("contains", "zipf", "generality")
_F = {name: i for i, name in enumerate(FEATURES)}
MAX_NGRAM = 5
DEFINING_SENTENCES = 3  # the first sentences mentioning a concept count as its defining context
PREREQ_THRESHOLD = 0.5  # probability above which a candidate pair becomes a prerequisite edge
RELATED_MIN_COOC = 2  # shared sentences for a "related" edge
MAX_EDGES_PER_CONCEPT = 6
HUB_MIN = 6  # a prerequisite of more concepts than this (and HUB_SHARE of them) is generic
HUB_SHARE = 0.03
HUB_KEEP = 3
UNIT_SIZE = 12
PROSE_KINDS = {"prose", "docstring", "comment", "heading"}
# A one-word name at least this common in English ("column", "object", "combine") is a bare
# common noun or verb: the material uses it everywhere without building on it.
GENERIC_ZIPF = 4.0
GENERIC_MIN_DEFINING = 3  # of B's DEFINING_SENTENCES that must rely on a generic A
IDENTIFIER_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")
CODE_WORD_RE = re.compile(r"(?<![\w.])[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*")


@dataclass
class TermStats:
    """Where each term (by index) occurs in the documents, gathered in one linear pass."""

    first: dict[int, tuple[int, int]] = field(default_factory=dict)  # term -> (doc, offset)
    sentences: dict[int, list[int]] = field(default_factory=lambda: defaultdict(list))
    mentions: list[set[int]] = field(default_factory=list)  # sentence -> terms in it
    sentence_span: list[tuple[int, int, int]] = field(default_factory=list)  # (doc, start, end)
    words: list[frozenset[str]] = field(default_factory=list)  # term -> stemmed words
    names: list[str] = field(default_factory=list)
    generality: list[float] = field(default_factory=list)  # term -> log1p(min word spread)
    # term -> (doc, offset) of its first use in a notebook's code, for names that are identifiers
    code_first: dict[int, tuple[int, int]] = field(default_factory=dict)
    code_words: set[str] = field(default_factory=set)  # identifiers used in notebook code
    total_sentences: int = 0
    _sentence_sets: dict[int, frozenset[int]] = field(default_factory=dict, repr=False)

    def tf(self, t: int) -> int:
        return len(self.sentences.get(t, ()))

    def sentence_set(self, t: int) -> frozenset[int]:
        """The sentences mentioning ``t``, as a set (built once: a term is in many pairs)."""
        found = self._sentence_sets.get(t)
        if found is None:
            found = self._sentence_sets[t] = frozenset(self.sentences.get(t, ()))
        return found


def _word_keys(word: str) -> tuple[str, str]:
    return stem(word), stem(singular(word))


def gather(names: list[list[str]], documents: list[Document]) -> TermStats:
    """Index mentions of terms (each given as a list of surface forms) in the documents' prose.

    A form matches a run of words whose stems equal the form's key (singular head, Porter stems).
    Time is linear in the text: each sentence's n-grams (up to ``MAX_NGRAM`` words) are looked up
    in a dict.
    """
    stats = TermStats()
    lookup, max_len = _lookup(names, stats)
    stats.generality = _generality(stats.words)
    max_len = min(max_len, MAX_NGRAM)
    firsts = {k.split(" ", 1)[0] for k in lookup}
    for di, doc in enumerate(documents):
        text = fold(doc.text)
        for sec in doc.sections:
            if sec.kind not in PROSE_KINDS:
                continue
            for a, b in sentences(text, sec.start, sec.end):
                found = _terms_in(text, a, b, di, lookup, firsts, max_len, stats.first)
                sid = len(stats.mentions)
                stats.mentions.append(found)
                stats.sentence_span.append((di, a, b))
                for t in found:
                    stats.sentences[t].append(sid)
    stats.total_sentences = len(stats.mentions)
    _gather_code(stats, documents)
    return stats


def _lookup(names: list[list[str]], stats: TermStats) -> tuple[dict[str, int], int]:
    """Each form's key -> its term, and the most words a key has; fills the terms' names and
    stemmed words into ``stats``."""
    lookup: dict[str, int] = {}
    max_len = 1
    for t, forms in enumerate(names):
        keys = [phrase_key(f) for f in forms if f.strip()]
        for k in keys:
            if k and k not in lookup:
                lookup[k] = t
                max_len = max(max_len, k.count(" ") + 1)
        stats.words.append(frozenset(keys[0].split()) if keys else frozenset())
        stats.names.append(forms[0] if forms else "")
    return lookup, max_len


def _generality(words: list[frozenset[str]]) -> list[float]:
    """Generality from the names alone: a term all of whose words recur in many other terms'
    names ("probability" in "joint probability", "conditional probability") is more basic
    than one with a word of its own ("DBSCAN"). Spread of a word = names containing it."""
    spread: dict[str, int] = defaultdict(int)
    for ws in words:
        for w in ws:
            spread[w] += 1
    return [math.log1p(min((spread[w] for w in ws), default=0)) for ws in words]


def _terms_in(
    text: str,
    a: int,
    b: int,
    di: int,
    lookup: dict[str, int],
    firsts: set[str],
    max_len: int,
    first: dict[int, tuple[int, int]],
) -> set[int]:
    """The terms a sentence ``text[a:b]`` mentions (recording where each is first met)."""
    matches = list(WORD_RE.finditer(text, a, b))
    keys = [_word_keys(m.group()) for m in matches]
    n_words = len(keys)
    found: set[int] = set()
    for i in range(n_words):
        if keys[i][0] not in firsts and keys[i][1] not in firsts:
            continue
        pos = (di, matches[i].start())
        head = ""  # the stems of the words before the last one, each followed by a space
        for j in range(i, min(i + max_len, n_words)):
            stemmed, single = keys[j]
            for last_key in (stemmed, single) if single != stemmed else (stemmed,):
                t = lookup.get(head + last_key)
                if t is not None:
                    found.add(t)
                    if t not in first or pos < first[t]:
                        first[t] = pos
            head = f"{head}{stemmed} "
    return found


def _gather_code(stats: TermStats, documents: list[Document]) -> None:
    """Where notebook code first uses a term named by an identifier ("dtype", "fillna").

    A notebook teaches in cell order, and an API used in an early cell has been met before a
    later paragraph explains something in its terms. A repository's files have no such order.
    """
    identifiers: dict[str, int] = {}
    for t, name in enumerate(stats.names):
        if IDENTIFIER_RE.fullmatch(name) and _zipf(name.lower()) < GENERIC_ZIPF:
            identifiers.setdefault(name, t)
    for di, doc in enumerate(documents):
        if doc.format != "notebook":
            continue
        for sec in doc.sections:
            if sec.kind != "code":
                continue
            for m in CODE_WORD_RE.finditer(doc.text, sec.start, sec.end):
                word = m.group()
                for part in {word, word.rsplit(".", 1)[-1]}:
                    stats.code_words.add(part)
                    t = identifiers.get(part)
                    if t is not None and t not in stats.code_first:
                        stats.code_first[t] = (di, m.start())


@lru_cache(maxsize=50_000)
def _zipf(name: str) -> float:
    return zipf(name)


def prerequisite_features(a: int, b: int, stats: TermStats) -> list[float]:
    """Features of "term ``a`` is a prerequisite of term ``b``" (aligned with ``FEATURES``)."""
    wa, wb = stats.words[a], stats.words[b]
    contains = 0.0
    if wa and wb and wa != wb:
        if wa < wb:
            contains = 1.0
        elif wb < wa:
            contains = -1.0
    sa, sb = stats.sentences.get(a, []), stats.sentences.get(b, [])
    both = bool(sa) and bool(sb)
    order = 0.0
    if both:
        fa, fb = stats.first[a], stats.first[b]
        if fa != fb:
            order = 1.0 if fa < fb else -1.0
    refers = defines = cooc = 0.0
    if both:
        shared = len(stats.sentence_set(a) & stats.sentence_set(b))
        refers = shared / len(sb) - shared / len(sa)
        def_b = sum(1 for s in sb[:DEFINING_SENTENCES] if a in stats.mentions[s])
        def_a = sum(1 for s in sa[:DEFINING_SENTENCES] if b in stats.mentions[s])
        defines = (def_b - def_a) / DEFINING_SENTENCES
        cooc = math.log1p(shared)
    tf = math.log1p(len(sa)) - math.log1p(len(sb))
    zipf = _zipf(stats.names[a]) - _zipf(stats.names[b])
    generality = stats.generality[a] - stats.generality[b] if stats.generality else 0.0
    return [contains, order, refers, defines, tf, zipf, cooc, float(both), generality]


@lru_cache(maxsize=1)
def load_weights() -> tuple[list[float], float]:
    data = json.loads(WEIGHTS_PATH.read_text(encoding="utf-8"))
    if data["features"] != FEATURES:
        raise RuntimeError(f"{WEIGHTS_PATH} was fitted on other features; refit it")
    return data["coef"], data["intercept"]


def score(features: list[float]) -> float:
    """Probability that the pair is a prerequisite pair, from the shipped weights."""
    coef, intercept = load_weights()
    z = intercept + sum(w * x for w, x in zip(coef, features, strict=True))
    return 1.0 / (1.0 + math.exp(-z))


# --- edges -----------------------------------------------------------------------------------


def _code_edges(concepts: list[ConceptDraft], documents: list[Document]) -> list[EdgeDraft]:
    """Prerequisites from code, as it is built: a base class before its subclasses; a module
    or class before what is defined inside it; what a definition imports or calls (a class
    it is composed of, a function it uses) before it."""
    resolve = _resolver(concepts)
    symbol_of, kind_of, uses = _code_uses(documents, resolve)
    edges: dict[tuple[str, str], EdgeDraft] = {}

    def add(a: str, b: str, weight: float, reason: str) -> None:
        if a != b and (a, b) not in edges and (b, a) not in edges:
            edges[(a, b)] = EdgeDraft(
                prerequisite=a, concept=b, kind="prerequisite", weight=weight, reason=reason
            )

    # Nesting first, so a call between an owner and what it holds follows the nesting.
    for inner, qual in sorted(symbol_of.items(), key=lambda kv: kv[1]):
        owner = _owner(inner, qual, resolve, symbol_of)
        if owner is not None:
            add(owner, inner, 0.85, f"{inner} is defined inside {owner}")
    for user, kind, name, _ in uses:
        dep = resolve(name)
        if dep is None or dep == user:
            continue
        if kind == "bases":
            add(dep, user, 0.95, f"{user} is a subclass of {dep}")
        elif kind == "calls" and kind_of.get(dep) not in ("class", "function", "method"):
            continue  # only callables are called: "model(x)" names a variable, not the module
        else:
            verb = (
                "imports" if kind == "imports" else "uses" if kind_of[dep] == "class" else "calls"
            )
            add(dep, user, 0.9 if kind == "calls" else 0.8, f"{user} {verb} {dep}")
    return list(edges.values())


def _resolver(concepts: list[ConceptDraft]):
    """``resolve(symbol) -> concept name or None``: a code concept by any of its names, or by
    its last part when that is unambiguous and the symbol is not qualified."""
    by_qual: dict[str, str] = {}
    by_short: dict[str, list[str]] = defaultdict(list)
    for c in concepts:
        if c.kind != "code":
            continue
        for form in [c.name, *c.aliases]:
            by_qual[form] = c.name
        by_short[c.name.rsplit(".", 1)[-1]].append(c.name)

    def resolve(name: str) -> str | None:
        if name in by_qual:
            return by_qual[name]
        short = by_short.get(name.rsplit(".", 1)[-1], [])
        return short[0] if len(short) == 1 and "." not in name else None

    return resolve


def _code_uses(documents: list[Document], resolve):
    """From the code's definitions: the symbol each code concept is defined as, its kind, and
    ``(user, kind, dependency, symbol)`` for each base, import and call (a method's or
    helper's are its enclosing concept's)."""
    symbol_of: dict[str, str] = {}  # concept -> qualified symbol it is defined as
    kind_of: dict[str, str] = {}
    uses: list[tuple[str, str, str, str]] = []  # (user, kind, dependency name, user symbol)
    for doc in documents:
        if doc.format != "code":
            continue
        for sec in doc.sections:
            sig = sec.signals
            if not sig.get("definition"):
                continue
            symbol = sig.get("symbol", "")
            user = resolve(symbol)
            if user is not None:
                symbol_of.setdefault(user, symbol)
                kind_of.setdefault(user, sig.get("symbol_kind", ""))
            else:
                user = _enclosing(symbol, resolve)
            if user is None:
                continue
            uses += [(user, "bases", base, symbol) for base in sig.get("bases") or []]
            for kind in ("imports", "calls"):
                uses += [(user, kind, name, symbol) for name in sig.get(kind) or []]
    return symbol_of, kind_of, uses


def _enclosing(symbol: str, resolve) -> str | None:
    """A method or private helper: the concept it is defined in."""
    parts = symbol.split(".")
    user = None
    while parts and user is None:
        parts = parts[:-1]
        user = resolve(".".join(parts)) if parts else None
    return user


def _owner(inner: str, qual: str, resolve, symbol_of: dict[str, str]) -> str | None:
    """The innermost concept that ``inner`` (defined as ``qual``) is defined inside."""
    parts = qual.split(".")[:-1]
    while parts:
        owner = resolve(".".join(parts))
        if owner is not None and owner != inner and symbol_of.get(owner) == ".".join(parts):
            return owner
        parts = parts[:-1]
    return None


def link_prerequisites(concepts: list[ConceptDraft], documents: list[Document]) -> list[EdgeDraft]:
    """Prerequisite and related edges between ``concepts``; the active prerequisites form a DAG."""
    if not concepts:
        return []
    stats = gather([[c.name, *c.aliases] for c in concepts], documents)
    scored: dict[tuple[int, int], tuple[float, list[float]]] = {}
    for a, b in _candidate_pairs(concepts, stats):
        f = prerequisite_features(a, b, stats)
        scored[(a, b)] = (score(f), f)
    code_edges = _code_edges(concepts, documents)
    skip = _code_only(concepts, documents)
    code_pairs = {(e.prerequisite, e.concept) for e in code_edges}
    libraries = _library_concepts(concepts, documents)
    candidates: dict[int, list[EdgeDraft]] = defaultdict(list)
    for (a, b), (p, f) in scored.items():
        if (concepts[b].name, concepts[a].name) in code_pairs or a in skip or b in skip:
            continue  # the code says the opposite (a class before what is nested in it)
        reverse = scored.get((b, a), (0.0, []))[0]
        edge = _text_edge(a, b, p, reverse, f, stats, concepts, libraries)
        if edge is not None:
            candidates[b].append(edge)
    _limit_hubs(candidates, len(concepts))
    edges = _strongest(candidates)
    seen = {(e.prerequisite, e.concept) for e in edges}
    edges += [e for e in code_edges if (e.prerequisite, e.concept) not in seen]
    return break_cycles(edges)


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


def _code_only(concepts: list[ConceptDraft], documents: list[Document]) -> set[int]:
    """Code concepts that get their edges from the code only: a symbol named by an ordinary
    word ("Block", "train") cannot be told from the word in prose, and a module's docstring
    mentions everything it holds (what a module builds on is in its code)."""
    modules = {
        sec.signals.get("symbol")
        for doc in documents
        if doc.format == "code"
        for sec in doc.sections[:3]
        if sec.signals.get("symbol_kind") == "module"
    }
    return {
        i
        for i, c in enumerate(concepts)
        if c.kind == "code"
        and (_zipf(c.name.lower()) >= 3.0 or any(f in modules for f in [c.name, *c.aliases]))
    }


def _text_edge(
    a: int,
    b: int,
    p: float,
    reverse: float,
    f: list[float],
    stats: TermStats,
    concepts: list[ConceptDraft],
    libraries: set[int],
) -> EdgeDraft | None:
    """A -> B from the text: a prerequisite when the pair is likely, likelier than B -> A,
    shows how the material builds and is not taught the other way round; else "related" when
    they share sentences; else none."""
    ca, cb = concepts[a].name, concepts[b].name
    if (
        p >= PREREQ_THRESHOLD
        and p > reverse
        and _builds_on(f)
        and not (a in libraries and f[_F["contains"]] <= 0)
        and not _generic_only(a, b, f, stats, concepts)
        and (f[_F["contains"]] > 0 or not _taught_later(a, b, stats))
    ):
        reason = _reason(ca, cb, f)
        return EdgeDraft(
            prerequisite=ca, concept=cb, kind="prerequisite", weight=round(p, 4), reason=reason
        )
    if a < b and f[_F["cooc"]] >= math.log1p(RELATED_MIN_COOC):
        shared = int(round(math.expm1(f[_F["cooc"]])))
        return EdgeDraft(
            prerequisite=ca,
            concept=cb,
            kind="related",
            weight=round(min(p, reverse if reverse else p), 4),
            reason=f"mentioned together in {shared} sentences",
        )
    return None


def _strongest(candidates: dict[int, list[EdgeDraft]]) -> list[EdgeDraft]:
    """Each concept's strongest ``MAX_EDGES_PER_CONCEPT`` prerequisites and related edges."""
    edges: list[EdgeDraft] = []
    for b in sorted(candidates):
        prereq = sorted(
            (e for e in candidates[b] if e.kind == "prerequisite"), key=lambda e: -e.weight
        )
        related = sorted((e for e in candidates[b] if e.kind == "related"), key=lambda e: -e.weight)
        edges.extend(prereq[:MAX_EDGES_PER_CONCEPT])
        edges.extend(related[:MAX_EDGES_PER_CONCEPT])
    return edges


def _library_concepts(concepts: list[ConceptDraft], documents: list[Document]) -> set[int]:
    """Concepts named after a package the sources' code imports but does not define
    ("NumPy" for ``import numpy``, "PyTorch" for ``import torch``). The prose names the library
    around everything it is used for, so it reads like a prerequisite of all of it; what a
    learner needs first is an idea (a NumPy array, a tensor), not the import. Such a concept
    stays a prerequisite only of what its name is part of ("NumPy array"); its other links
    are kept as "related". Only the name counts, spelt as the package is (letters and digits,
    any case, an optional "py" before it): an alias is too loose ("datasets" is both a
    package and the plural of a concept "dataset")."""
    imported: set[str] = set()
    defined: set[str] = set()
    for doc in documents:
        for sec in doc.sections:
            sig = sec.signals
            if sig.get("symbol_kind") == "module":
                defined.add(str(sig.get("symbol", "")).split(".")[0])
            imported.update(str(m).split(".")[0] for m in sig.get("imports") or [])
    roots = {r.lower() for r in imported - defined if r}
    forms = roots | {"py" + r for r in roots}
    return {
        i
        for i, c in enumerate(concepts)
        if c.kind == "term" and re.sub(r"[^a-z0-9]", "", c.name.lower()) in forms
    }


def _builds_on(f: list[float]) -> bool:
    """Whether a likely pair shows how the material builds: B's name contains A (a kind of
    A), or B's defining sentences rely on A and A is introduced no later than B. Mere
    co-occurrence with a more frequent word is not a prerequisite."""
    if f[_F["contains"]] > 0:
        return True
    return f[_F["defines"]] > 0 and f[_F["order"]] >= 0


def _generic_only(
    a: int, b: int, f: list[float], stats: TermStats, concepts: list[ConceptDraft]
) -> bool:
    """Whether ``a`` is a bare common word ("column", "object", "combine") that ``b``'s
    defining sentences merely mention: a generic word is a prerequisite of what is a kind of
    it, or of a concept most of whose defining sentences rely on it. A common word the
    material's code uses as a class name ("Series", "Index") is an API, not a generic word."""
    name = concepts[a].name
    if concepts[a].kind != "term" or " " in name.strip() or f[_F["contains"]] > 0:
        return False
    if _zipf(name.lower()) < GENERIC_ZIPF or name[:1].upper() + name[1:] in stats.code_words:
        return False
    defining = stats.sentences.get(b, [])[:DEFINING_SENTENCES]
    relied = sum(1 for s in defining if a in stats.mentions[s])
    return relied < GENERIC_MIN_DEFINING


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
    if f[_F["contains"]] > 0:
        why.append(f'"{b}" is a kind of "{a}" (its name contains it)')
    if f[_F["defines"]] > 0:
        why.append(f'"{b}" is defined in terms of "{a}"')
    elif f[_F["refers"]] > 0:
        why.append(f'sentences about "{b}" mention "{a}"')
    if f[_F["order"]] > 0:
        why.append(f'"{a}" is introduced first')
    if f[_F["zipf"]] > 0.5 or f[_F["tf"]] > 0.5:
        why.append(f'"{a}" is more general')
    return "; ".join(why) or f'"{a}" tends to come before "{b}"'


# --- units -----------------------------------------------------------------------------------


def _unit_depth(doc: Document) -> int:
    """1 when every heading sits under one title heading (split units at its subsections)."""
    tops = {s.heading_path[0] for s in doc.sections if s.heading_path}
    return 1 if len(tops) == 1 else 0


def _group_of(
    c: ConceptDraft, documents: list[Document] | None, depths: list[int]
) -> tuple[tuple[int, int], str]:
    """(sort key, title) of the top-level section or source where ``c`` is first seen."""
    di, off = c.first_seen
    if documents and 0 <= di < len(documents):
        doc = documents[di]
        depth = depths[di]
        top = ""
        pos = 0
        for s in doc.sections:
            if s.start > off:
                break
            if len(s.heading_path) > depth:
                top = s.heading_path[depth]
                if s.kind == "heading" and len(s.heading_path) == depth + 1:
                    pos = s.start
        fallback = Path(doc.path).name if doc.format == "code" else doc.title
        return (di, pos), top or fallback or Path(doc.path).stem
    source = c.evidence[0].source if c.evidence else f"source {di + 1}"
    return (di, 0), Path(source.split("!")[-1]).stem or source


def order_units(
    concepts: list[ConceptDraft],
    edges: list[EdgeDraft],
    documents: list[Document] | None = None,
) -> list[UnitDraft]:
    """Units in teaching order: a topological order of the active prerequisites that keeps each
    source's order (and each top-level section together) where prerequisites allow.

    Every concept is in exactly one unit; a concept never comes before one of its prerequisites.
    """
    depths = [_unit_depth(d) for d in documents or []]
    groups = [_group_of(c, documents, depths) for c in concepts]
    order = _teaching_order(concepts, edges, [g[0] for g in groups])
    return _units(order, [c.name for c in concepts], groups)


def _prerequisite_graph(
    concepts: list[ConceptDraft], edges: list[EdgeDraft]
) -> tuple[dict[int, set[int]], dict[int, set[int]]]:
    """Predecessors and successors of each concept (by index) along the active prerequisites."""
    index = {c.name: i for i, c in enumerate(concepts)}
    preds: dict[int, set[int]] = defaultdict(set)
    succs: dict[int, set[int]] = defaultdict(set)
    for e in edges:
        if e.kind != "prerequisite" or e.status != "active":
            continue
        a, b = index.get(e.prerequisite), index.get(e.concept)
        if a is None or b is None or a == b:
            continue
        preds[b].add(a)
        succs[a].add(b)
    return preds, succs


def _teaching_order(
    concepts: list[ConceptDraft], edges: list[EdgeDraft], groups: list[tuple[int, int]]
) -> list[int]:
    """Kahn's algorithm; among ready concepts prefer the current group, then reading order.
    One heap per group plus a global heap (entries taken elsewhere are skipped lazily), so the
    whole ordering is O(n log n + edges)."""
    preds, succs = _prerequisite_graph(concepts, edges)
    indegree = {i: len(preds[i]) for i in range(len(concepts))}

    def rank(i: int) -> tuple:
        return (concepts[i].first_seen, i)

    by_group: dict[tuple[int, int], list[tuple]] = defaultdict(list)
    everything: list[tuple] = []

    def push(i: int) -> None:
        heapq.heappush(by_group[groups[i]], (rank(i), i))
        heapq.heappush(everything, (groups[i], rank(i), i))

    for i in range(len(concepts)):
        if indegree[i] == 0:
            push(i)
    order: list[int] = []
    done = [False] * len(concepts)
    current: tuple[int, int] | None = None
    while len(order) < len(concepts):
        i = _next_ready(by_group.get(current) if current is not None else None, everything, done)
        if i < 0:  # a cycle slipped through: take the rest in reading order
            i = min((k for k in range(len(concepts)) if not done[k]), key=rank)
        done[i] = True
        order.append(i)
        current = groups[i]
        for j in succs[i]:
            indegree[j] -= 1
            if indegree[j] == 0 and not done[j]:
                push(j)
    return order


def _next_ready(local: list[tuple] | None, everything: list[tuple], done: list[bool]) -> int:
    """The next ready concept not yet taken: from the current group's heap, else the global
    one; -1 when none is ready."""
    while local:
        _, j = heapq.heappop(local)
        if not done[j]:
            return j
    while everything:
        _, _, j = heapq.heappop(everything)
        if not done[j]:
            return j
    return -1


def _units(order: list[int], names: list[str], groups: list) -> list[UnitDraft]:
    """Consecutive concepts of one group, at most ``UNIT_SIZE`` a unit, titled by the group
    (numbered when a title comes back)."""
    units: list[UnitDraft] = []
    titles: dict[str, int] = defaultdict(int)
    run: list[int] = []

    def flush() -> None:
        if not run:
            return
        title = groups[run[0]][1]
        titles[title] += 1
        label = title if titles[title] == 1 else f"{title} ({titles[title]})"
        units.append(UnitDraft(title=label, concepts=[names[i] for i in run]))
        run.clear()

    for i in order:
        if run and (groups[i][0] != groups[run[-1]][0] or len(run) >= UNIT_SIZE):
            flush()
        run.append(i)
    flush()
    return units
