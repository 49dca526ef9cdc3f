"""Related concepts: the other concepts a learner could confuse with this one, ranked (``rank``)
— what distractors, false statements and matching sets are drawn from.

score = 0.35 same section (heading path) + 0.25 shared head word + 0.25 co-mentioned in a
sentence + 0.4 * definition word overlap (Jaccard) + 0.1 same kind + 0.05 * importance;
concepts that are the same thing under another name (shared inflection, fuzzy >= 90) are
excluded. An index built once per (corpus, concept list) finds the candidates, so ranking is
not quadratic in the number of concepts.
"""

from __future__ import annotations

import bisect
from collections import Counter
from typing import Protocol

import numpy as np
from rapidfuzz import fuzz, process

from teachback.core.document import Document
from teachback.engine.protocol import ConceptDraft
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.text import jaccard


class ConceptView(Protocol):
    """What ranking reads of a ``view.ConceptView`` (named here so the view can call this
    module without this module importing it back)."""

    concept: ConceptDraft
    concepts: list[ConceptDraft]
    corpus: Corpus
    documents: list[Document]
    _profile: tuple[set, frozenset, str, frozenset]
    forms: frozenset[str]
    _lower_names: list[str]

    def view_of(self, other: ConceptDraft) -> ConceptView: ...


SMALL_KEY = 8  # views sharing a key, up to which the key keeps a list instead of an array


def rank(view: ConceptView) -> list[tuple[ConceptDraft, float]]:
    """The other concepts ranked as plausible confusions for ``view``'s (the score in the
    module's docstring), best first; ties by name."""
    paths, ids, head, definition = view._profile
    me, my_name, my_kind = view.concept, view.concept.name, view.concept.kind
    index, by_kind = related_index(view)
    ranked = index.ranked(view)  # the same ranking, vectorised (None: top-up needed)
    if ranked is not None:
        return ranked
    # (view, shares a section, shares a sentence, shares the head word) per candidate; the
    # index knows these from the keys the two share, so only the definition overlap and
    # the "same thing under another name" test are computed here
    found = index.scored_candidates(view)
    excluded = index.same_names(view)
    if len(found) < 12:  # top up with the most important concepts of the same kind
        seen = {v.concept.name for v, *_ in found}
        for c in by_kind.get(my_kind, ()):
            if len(found) >= 12:
                break
            if c.name not in seen:
                v = view.view_of(c)
                o_paths, o_ids, o_head, _ = v._profile
                found.append(
                    (
                        v,
                        not paths.isdisjoint(o_paths),
                        not ids.isdisjoint(o_ids),
                        bool(head and head == o_head),
                        same_name(view, v),
                    )
                )
    out = []
    for other_view, same_path, same_sentence, same_head, *rest in found:
        other = other_view.concept
        if other is me or other.name == my_name:
            continue
        if rest[0] if rest else id(other_view) in excluded:
            continue
        score = 0.35 * same_path
        score += 0.25 * same_head
        score += 0.25 * same_sentence
        score += 0.4 * jaccard(definition, other_view._profile[3])
        score += 0.1 * (other.kind == my_kind)
        score += 0.05 * other.importance
        out.append((other, score))
    out.sort(key=lambda x: (-x[1], x[0].name))
    return out


def same_name(view: ConceptView, other: ConceptView) -> bool:
    """Whether ``other`` is ``view``'s concept under another name (shared inflection, or names
    with rapidfuzz ratio >= 90)."""
    return not view.forms.isdisjoint(other.forms) or any(
        fuzz.ratio(x, y) >= 90
        for x in view._lower_names
        for y in other._lower_names
        if 0.8 * len(x) <= len(y) <= 1.25 * len(x)  # ratio >= 90 needs close lengths
    )


def related_candidates(view: ConceptView) -> list[ConceptDraft]:
    """Concepts that share something with this one (a sentence, a section, a head word, a
    definition word) — found through an index built once per batch, so ``related`` is
    not quadratic in the number of concepts; topped up with the most important concepts
    of the same kind when that leaves fewer than 12."""
    index, by_kind = related_index(view)
    found = [v.concept for v in index.candidates(view)]
    if len(found) < 12:
        seen = {c.name for c in found}
        for c in by_kind.get(view.concept.kind, ()):
            if len(found) >= 12:
                break
            if c.name not in seen:
                found.append(c)
    return found


def related_index(view: ConceptView) -> tuple[_RelatedIndex, dict[str, list[ConceptDraft]]]:
    """The related-concept index for this very list of concepts over this corpus, and the
    concepts of each kind by importance — built once per (corpus, concept list)."""
    cache = view.corpus.__dict__.setdefault("_related_index", {})
    # the pipeline passes the same list object for every concept: check identity first
    # (O(1)), and only build the full key (O(concepts)) for a list not seen before
    fast = cache.get(("list", id(view.concepts)))
    if fast is not None and fast[0] is view.concepts and fast[1] == len(view.concepts):
        return fast[2]
    key = tuple((id(c), c.name) for c in view.concepts)
    hit = cache.get(key)
    if hit is None:
        # only concepts grounded in these sources (or not grounded anywhere) can be
        # related here; the others have nothing in this corpus to compare
        paths = {d.path for d in view.documents}
        local = [
            c for c in view.concepts if not c.evidence or any(e.source in paths for e in c.evidence)
        ]
        by_kind: dict[str, list[ConceptDraft]] = {}
        for c in sorted(view.concepts, key=lambda c: (-c.importance, c.name)):
            by_kind.setdefault(c.kind, []).append(c)
        hit = cache[key] = (_RelatedIndex([view.view_of(c) for c in local]), by_kind)
    cache[("list", id(view.concepts))] = (view.concepts, len(view.concepts), hit)
    return hit


class _RelatedIndex:
    """Which concepts share a mention sentence, heading path, head word or definition word."""

    def __init__(self, views: list[ConceptView]):
        self.views = views
        self.keys: dict[tuple, list[int]] = {}
        for i, v in enumerate(views):
            for k in self._keys(v):
                self.keys.setdefault(k, []).append(i)
        # a definition word shared by a large share of concepts says little: drop it
        limit = max(20, len(views) // 10)
        self.keys = {k: v for k, v in self.keys.items() if k[0] != "def" or len(v) <= limit}
        # for "the same thing under another name": inflected forms -> concepts, and every
        # lower-cased name (with the concept it belongs to) for one fuzzy pass per concept
        self.forms: dict[str, list[int]] = {}
        self.names: list[str] = []
        self.name_owner: list[int] = []
        for i, v in enumerate(views):
            for f in v.forms:
                self.forms.setdefault(f, []).append(i)
            for n in v._lower_names:
                self.names.append(n)
                self.name_owner.append(i)
        # the names by length: a fuzzy pass reads only those of a length that can reach the
        # ratio (all of them, for every concept, grows with the square of the concepts)
        by_length = sorted(range(len(self.names)), key=lambda j: len(self.names[j]))
        self.length_order = by_length
        self.lengths = [len(self.names[j]) for j in by_length]
        self.names_by_length = [self.names[j] for j in by_length]

        # for ``ranked``: each view's keys as index arrays, and per-view columns
        # (a key held by a few views keeps its list: np.concatenate reads lists too, and a
        # numpy array per mentioned sentence cost ~25 MB at 16 MB)
        self.arrays = {
            k: np.array(v, dtype=np.int64) if len(v) > SMALL_KEY else v
            for k, v in self.keys.items()
        }
        self.def_postings: dict[str, list[int]] = {}  # every definition word, none dropped
        for i, v in enumerate(views):
            for t in v._profile[3]:
                self.def_postings.setdefault(t, []).append(i)
        self.def_arrays = {t: np.array(v, dtype=np.int64) for t, v in self.def_postings.items()}
        self.def_len = np.array([len(v._profile[3]) for v in views], dtype=np.int64)
        self.importance = np.array([v.concept.importance for v in views], dtype=np.float64)
        kinds = sorted({v.concept.kind for v in views})
        self.kind_code = {k: c for c, k in enumerate(kinds)}
        self.kinds = np.array([self.kind_code[v.concept.kind] for v in views], dtype=np.int64)
        names = sorted({v.concept.name for v in views})
        rank = {n: r for r, n in enumerate(names)}
        self.name_rank = np.array([rank[v.concept.name] for v in views], dtype=np.int64)
        self.by_name: dict[str, list[int]] = {}
        for i, v in enumerate(views):
            self.by_name.setdefault(v.concept.name, []).append(i)

    def _same_name_ids(self, view: ConceptView) -> set[int]:
        hit = {i for f in view.forms for i in self.forms.get(f, ())}
        for x in view._lower_names:
            a, b = self._close_lengths(len(x))
            for _name, _score, j in process.extract(
                x,
                self.names_by_length[a:b],
                scorer=fuzz.ratio,
                processor=None,
                score_cutoff=90,
                limit=None,
            ):
                hit.add(self.name_owner[self.length_order[a + j]])
        return hit

    def _close_lengths(self, n: int) -> tuple[int, int]:
        """The slice of ``names_by_length`` whose lengths ``m`` allow a ratio of 90 with a
        name of ``n`` characters: the ratio is 100 * (1 - d / (n + m)) with an edit
        distance d >= |n - m|, so |n - m| <= 0.1 * (n + m) (one character of slack)."""
        lo = bisect.bisect_left(self.lengths, (0.9 * n - 1) / 1.1)
        hi = bisect.bisect_right(self.lengths, (1.1 * n + 1) / 0.9)
        return lo, hi

    def same_names(self, view: ConceptView) -> set[int]:
        """``id()`` of the indexed views that are ``view``'s concept under another name:
        a shared inflected form, or a name with rapidfuzz ratio >= 90 to one of its names."""
        return {id(self.views[i]) for i in self._same_name_ids(view)}

    def ranked(self, view: ConceptView) -> list[tuple[ConceptDraft, float]] | None:
        """``ConceptView.related`` for ``view``, computed over arrays: the same candidates
        (sharing a section, sentence or head word, or two definition words), the same
        score, summed in the same order, and the same order (score, then name, then index).
        None when there are fewer than 12 candidates (the caller tops them up)."""
        n = len(self.views)
        hits: dict[str, list[np.ndarray]] = {"path": [], "sent": [], "head": [], "def": []}
        for k in self._keys(view):
            arr = self.arrays.get(k)
            if arr is not None:
                hits[k[0]].append(arr)
        flags = np.zeros((3, n), dtype=bool)  # same section, same sentence, same head word
        for slot, kind in enumerate(("path", "sent", "head")):
            if hits[kind]:
                flags[slot, np.concatenate(hits[kind])] = True
        # (a key lists each view once: the count of a view is the number of keys shared)
        def_hits = _count(hits["def"], n)
        candidate = flags.any(axis=0) | (def_hits >= 2)
        if int(candidate.sum()) < 12:
            return None
        for i in self.by_name.get(view.concept.name, ()):  # itself
            candidate[i] = False
        for i in self._same_name_ids(view):  # the same thing under another name
            candidate[i] = False
        idx = np.flatnonzero(candidate)
        definition = view._profile[3]
        shared = _count([a for t in definition if (a := self.def_arrays.get(t)) is not None], n)
        inter = shared[idx]
        union = len(definition) + self.def_len[idx] - inter
        jac = np.divide(inter, union, out=np.zeros(len(idx)), where=union > 0)
        my_kind = self.kind_code.get(view.concept.kind, -1)
        score = 0.35 * flags[0, idx]
        score = score + 0.25 * flags[2, idx]
        score = score + 0.25 * flags[1, idx]
        score = score + 0.4 * jac
        score = score + 0.1 * (self.kinds[idx] == my_kind)
        score = score + 0.05 * self.importance[idx]
        order = np.lexsort((idx, self.name_rank[idx], -score))
        views = self.views
        return [
            (views[i].concept, sc)
            for i, sc in zip(idx[order].tolist(), score[order].tolist(), strict=True)
        ]

    def scored_candidates(self, view: ConceptView) -> list[tuple]:
        """``(view, same section, same sentence, same head word)`` for the candidates."""
        flags: dict[int, list[bool]] = {}
        def_hits: Counter = Counter()
        for k in self._keys(view):
            kind = k[0]
            if kind == "def":
                def_hits.update(self.keys.get(k, ()))
                continue
            slot = 0 if kind == "path" else 1 if kind == "sent" else 2
            for i in self.keys.get(k, ()):
                f = flags.get(i)
                if f is None:
                    f = flags[i] = [False, False, False]
                f[slot] = True
        for i, n in def_hits.items():
            if n >= 2 and i not in flags:
                flags[i] = [False, False, False]
        return [(self.views[i], *flags[i]) for i in sorted(flags)]

    @staticmethod
    def _keys(view: ConceptView):
        paths, ids, head, definition = view._profile
        yield from (("path", p) for p in paths)
        yield from (("sent", i) for i in ids)
        if head:
            yield ("head", head)
        yield from (("def", t) for t in definition)

    def candidates(self, view: ConceptView) -> list[ConceptView]:
        """Concepts sharing a sentence, section or head word, or two or more definition
        words (one shared definition word adds under 0.05 to the score: not worth a look)."""
        hits: set[int] = set()
        def_hits: Counter = Counter()
        for k in self._keys(view):
            if k[0] == "def":
                def_hits.update(self.keys.get(k, ()))
            else:
                hits.update(self.keys.get(k, ()))
        hits.update(i for i, n in def_hits.items() if n >= 2)
        return [self.views[i] for i in sorted(hits)]


def _count(arrays: list[np.ndarray], n: int) -> np.ndarray:
    """How many of ``arrays`` hold each of 0..n-1 (each array lists an index at most once).

    >>> # _count([np.array([0, 2]), np.array([2])], 3) -> array([1, 0, 2])
    """
    if not arrays:
        return np.zeros(n, dtype=np.int64)
    return np.bincount(np.concatenate(arrays), minlength=n)
