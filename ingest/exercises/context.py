"""What a generator knows about one concept: its sentences in the sources and its neighbours.

``ConceptView`` finds, for a ``ConceptDraft``:

* defining sentences — sentences naming the concept in a definitional pattern ("X is a ...",
  "X refers to ...", "... is called X", "X: ..."), the concept's own ``definition`` and evidence
  spans with role ``definition``;
* mention sentences — other sentences naming it;
* related concepts ranked as distractor candidates (see ``related``);
* its code units (functions/classes named like the concept, notebook cells using it).

Sentences that read like instructions to a model are never used as exercise material.

The difficulty formula lives here too (``difficulty``), shared by every kind.
"""

from __future__ import annotations

import hashlib
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

import numpy as np
from rapidfuzz import fuzz, process

from teachback.core.document import Document
from teachback.core.text import fold, stem
from teachback.engine.protocol import ConceptDraft, ExerciseDraft, Span
from teachback.ingest.exercises.corpus import CodeUnit, Corpus, Sentence, summary_of
from teachback.ingest.exercises.quality import (
    LEADING,
    QUALIFIER,
    VERDICT,
    dangling,
    defines,
    keyword_sense,
    narrative,
    not_a_statement,
    rated,
    states,
    tidy,
)
from teachback.ingest.exercises.text import (
    clean_for_prompt,
    inflections,
    jaccard,
    stem_set,
    term_regex,
    words,
)

COPULA = (
    r"(?:is|are|was|were|refers? to|means?|describes?|denotes?|is defined as|are defined as|"
    r"is called|stands for|is known as)"
)

# Base difficulty per kind: recognising is easier than recalling, recalling than explaining.
KIND_BASE = {
    "true_false": 0.2,
    "multiple_choice": 0.3,
    "matching": 0.4,
    "which_function": 0.4,
    "cloze": 0.45,
    "function_purpose": 0.45,
    "ordering": 0.5,
    "predict_output": 0.55,
    "short_answer": 0.6,
}


def difficulty(
    kind: str,
    *,
    rarity: float = 0.5,
    words_count: int = 15,
    distractor_similarity: float | None = None,
    extra: float = 0.0,
) -> float:
    """Difficulty in [0.05, 0.95]:

    base(kind) + 0.25 * distractor_similarity + 0.2 * (rarity - 0.5)
               + 0.1 * clip((words - 15) / 25, -1, 1) + extra

    ``distractor_similarity`` (0..1) is how close the wrong options are to the key (choice
    kinds only); ``rarity`` (0..1) how rare the key's words are in the sources (rare terms are
    harder to recall); ``words`` the length of the sentence or item a learner must read.
    """
    d = KIND_BASE.get(kind, 0.5)
    if distractor_similarity is not None:
        d += 0.25 * max(0.0, min(1.0, distractor_similarity))
    d += 0.2 * (rarity - 0.5)
    d += 0.1 * max(-1.0, min(1.0, (words_count - 15) / 25))
    d += extra
    return round(max(0.05, min(0.95, d)), 3)


def rng_for(*parts: str) -> random.Random:
    """A deterministic random generator for one exercise (same input, same shuffle)."""
    seed = hashlib.sha256("\x1f".join(parts).encode()).hexdigest()[:16]
    return random.Random(int(seed, 16))


def names_of(concept: ConceptDraft) -> list[str]:
    """The concept's name and aliases (and, for code, an identifier-like short name)."""
    return list(_names(concept.name, tuple(concept.aliases), concept.kind))


@lru_cache(maxsize=20_000)
def _names(name: str, aliases: tuple[str, ...], kind: str) -> tuple[str, ...]:
    concept = ConceptDraft(name=name, aliases=list(aliases), kind=kind)
    names = [concept.name] + [a for a in concept.aliases if a]
    if concept.kind == "code":
        # "pkg.mod.bucket_index" is also "bucket_index"; but "pkg.hashing" is not "hashing":
        # a plain English word would match the prose about hashing in general
        shorts = [n.rsplit(".", 1)[-1] for n in names if "." in n]
        names += [x for x in shorts if re.search(r"_|\d|[a-z][A-Z]|^[A-Z]", x)]
    seen, out = set(), []
    for n in names:
        key = n.lower()
        if key not in seen:
            seen.add(key)
            out.append(n)
    return tuple(out)


def display_name(concept: ConceptDraft) -> str:
    return clean_for_prompt(concept.name)


def same_concept_names(a: list[str], b: list[str]) -> bool:
    """Whether two name lists denote the same thing (shared inflection or near-identical)."""
    fa = {f for n in a for f in inflections(n)}
    fb = {f for n in b for f in inflections(n)}
    if fa & fb:
        return True
    return any(fuzz.ratio(x.lower(), y.lower()) >= 90 for x in a for y in b)


@dataclass(slots=True)  # (one per defining sentence of every concept)
class Defining:
    sentence: Sentence
    match: re.Match  # the concept's name inside sentence.text
    predicate: str = ""  # text after the copula (clean), "" when not of the form "X is ..."
    # The neighbouring sentence that carries the meaning of "This is called X." or
    # "There is a term for it: X. It means ..." (None when the sentence stands alone).
    context: Sentence | None = None

    @property
    def sentences(self) -> list[Sentence]:
        """The sentence and its context, in reading order."""
        if self.context is None:
            return [self.sentence]
        return sorted([self.sentence, self.context], key=lambda x: x.id)

    @property
    def passage(self) -> str:
        return " ".join(x.clean for x in self.sentences)


_COLON_END = re.compile(r":\W*$")
_NOT_FIRST = re.compile(r"\w\W+$")
_OPENS = re.compile(r"[\W_]*(?:(?:a|an|the)\s+[\W_]*" + QUALIFIER + r")?[\W_]*", re.I)
_COPULA_REST = re.compile(
    r"[*_`]*\s*(?:\([^)]{0,80}\))?\s*(?:,[^,]{1,80},\s*)?" + COPULA + r"\s+(.{8,})$", re.I
)
_GLOSSARY = re.compile(r"[*_`]*\s*[:\u2014-]\s+(.{8,})$")
# "... is called X", not "the so-called X" (a name dropped in passing) nor "Y (also known as
# X)" (an alias of Y, not a definition of X)
_CALLED = re.compile(
    r"((?<!so-)(?<!\()(?<!\(also )\b(called|known as|termed)|term for (it|this)|"
    r"we call( this| it)?)\W*$"
)
_CALLED_LEAD = re.compile(r"(called|known as|termed|term for (it|this)|we call( this| it)?)\W*$")
_POINTS_BACK = re.compile(
    r"\b(?:this|these|those|such|the preceding|the previous|earlier|before|above|the opposite|"
    r"the same way|for each|each case|respectively)\b",
    re.I,
)
_DEICTIC = re.compile(r"^\W*(this|that|these|those|such|it|they)\b", re.I)
_MEANS = re.compile(r"^\W*(it|this|that)\s+(means|is|refers|describes|denotes)\b", re.I)


# a word as ``_longer``'s pattern bounds it: a run of word characters and hyphens
_NAME_TOKEN = re.compile(r"[\w-]+")


def definition_context(corpus: Corpus, s: Sentence, m: re.Match) -> Sentence | None:
    """The sentence that gives "This is called X" / "a term for it: X" its meaning: the next
    one when it reads "It means ...", else the previous one; for a definition that opens with
    "This/It ..." the previous one. None when the sentence stands alone."""
    called = _called(s.folded, m) or bool(_COLON_END.search(s.folded[: m.start()]))
    # "By default, the result contains the intersection of the two sets of inputs; this is
    # what is known as an inner join" carries its own meaning: only a short lead ("This is
    # called X", "There is a term for it: X") needs the sentence next to it
    called = called and len(_CALLED_LEAD.sub("", s.folded[: m.start()]).split()) <= 6
    deictic = bool(_DEICTIC.match(s.folded))
    if not (called or deictic):
        return None
    nxt = corpus.sentences[s.id + 1] if s.id + 1 < len(corpus.sentences) else None
    prev = corpus.sentences[s.id - 1] if s.id > 0 else None
    if called and nxt is not None and nxt.doc == s.doc and _MEANS.match(nxt.folded):
        return nxt
    if prev is not None and prev.doc == s.doc and prev.section_kind != "heading":
        return prev
    return None


@dataclass
class ConceptView:
    concept: ConceptDraft
    concepts: list[ConceptDraft]
    corpus: Corpus
    documents: list[Document] = field(repr=False)

    @cached_property
    def names(self) -> list[str]:
        return names_of(self.concept)

    @cached_property
    def _lower_names(self) -> list[str]:
        return [n.lower() for n in self.names]

    @cached_property
    def pattern(self) -> re.Pattern | None:
        return term_regex(self.names)

    @cached_property
    def mentions(self) -> list[tuple[Sentence, re.Match]]:
        cache = self.corpus.mention_cache
        key = tuple(n.lower() for n in self.names)
        if key in cache:
            return cache[key]
        if self.pattern is None:
            cache[key] = []
            return cache[key]
        cache[key] = self.corpus.mentions_of(self.names, self.pattern)
        return cache[key]

    @cached_property
    def teaching(self) -> list[Defining]:
        """The defining sentences that say what the concept is or does ("X is a ...", "X maps
        ...", "... is called X"), best first: what a true/false statement, a cloze or a short
        answer is built on. A sentence that only mentions it makes trivia."""
        return [
            d
            for d in self.defining
            if defines(tidy(d.passage), self.names)
            and not keyword_sense(d.sentence.clean, self.names)  # ("`join='outer'`")
        ]

    def _other_sense(self, s: Sentence, m: re.Match) -> bool:
        """A code concept named by a plain word ("model" for ``model.py``) met in prose
        without code marks: "a pretrained model" is another sense of the word."""
        if self.concept.kind != "code" or re.search(r"[_.\d]|[a-z][A-Z]", m.group(0)):
            return False
        text = s.folded
        return not (
            text[max(0, m.start() - 1) : m.start()] == "`" or text[m.end() : m.end() + 1] == "`"
        )

    @cached_property
    def statements(self) -> list[Defining]:
        """Other sentences that state a property, a use or a contrast of the concept, with
        the concept as the subject of the sentence or of a clause ("The `iloc` attribute
        allows indexing ...", "while indexing refers to columns, slicing refers to rows"):
        each a whole statement on its own (``quality.tidy`` applied), in reading order. What
        true/false, cloze and blank questions are built on besides the definition."""
        # (not a defining sentence: those are the teaching ones, or lean on a neighbour)
        taken = {d.sentence.id for d in self.teaching}
        taken |= {d.sentence.id for d in self.defining if d.context is not None}
        out, seen = [], set()
        for s, m in self.mentions[:MENTIONS_READ]:
            if s.id in taken or s.id in seen or not self._may_state(s, m):
                continue
            seen.add(s.id)
            if self._states_alone(tidy(s.clean)):
                out.append(Defining(s, m))
        return out

    def _may_state(self, s, m) -> bool:
        """A sentence of prose or a docstring that uses the name in the concept's own sense."""
        if s.instruction_like or s.section_kind not in ("prose", "docstring"):
            return False
        if self._other_sense(s, m):
            return False
        # (a text without sections: no telling teaching from narrative)
        return not (s.section_kind == "prose" and not s.heading_path)

    def _states_alone(self, text: str) -> bool:
        """A whole statement about the concept that needs no neighbour to be understood."""
        if not 6 <= len(text.split()) <= 40 or not states(text, self.names):
            return False
        folded = fold(text)
        if self.part_of_longer(folded) or self.after_code_name(folded):
            return False
        if not_a_statement(text) or dangling(text) or narrative(text):
            return False
        if _POINTS_BACK.search(text):  # "this array", "as before": meaning is elsewhere
            return False
        if any(rated(text, n) for n in self.names):  # "X is the subtle part": an opinion
            return False
        return not keyword_sense(text, self.names)  # about the `X=` argument, not X

    @cached_property
    def _longer(self) -> list[re.Pattern]:
        """Patterns of the concepts whose names hold this one's ("outer join" for "join")."""
        mine = self._lower_names
        out = []
        for c in self._holding_a_token_of(mine):
            low = c.name.lower()
            if c is self.concept or low in mine:
                continue
            if any(
                n in low and re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", low) for n in mine
            ):
                p = self.view_of(c).pattern
                if p is not None:
                    out.append(p)
        return out

    def _holding_a_token_of(self, names: list[str]) -> list[ConceptDraft]:
        """The concepts (in list order) whose names could hold one of ``names`` as a whole
        word sequence: a name holding "outer join" has the word "outer", so only the names
        with a name's first word are read, not every concept's for every concept."""
        by_token = self._name_tokens()
        found: set[int] = set()
        for n in names:
            first = _NAME_TOKEN.match(n)
            if first is None:  # (a name opening with punctuation: no word to look up)
                return self.concepts
            found.update(by_token.get(first.group(0), ()))
        return [self.concepts[i] for i in sorted(found)]

    def _name_tokens(self) -> dict[str, list[int]]:
        """Each word of a lower-cased concept name -> the positions of the concepts whose
        names have it, for this very list of concepts (built once per list)."""
        cache = self.corpus.__dict__.setdefault("_name_tokens", {})
        hit = cache.get(id(self.concepts))
        if hit is not None and hit[0] is self.concepts and hit[1] == len(self.concepts):
            return hit[2]
        by_token: dict[str, list[int]] = {}
        for i, c in enumerate(self.concepts):
            for token in dict.fromkeys(_NAME_TOKEN.findall(c.name.lower())):
                by_token.setdefault(token, []).append(i)
        cache[id(self.concepts)] = (self.concepts, len(self.concepts), by_token)
        return by_token

    def _sectioned(self, doc: int) -> bool:
        """Whether a document has sections of its own (two or more headings), so a heading
        says which part of it a sentence belongs to (an article under one title does not)."""
        known = self.corpus.__dict__.setdefault("_sectioned", {})
        if doc not in known:
            sections = self.documents[doc].sections
            known[doc] = sum(1 for x in sections if x.kind == "heading") >= 2
        return known[doc]

    def after_code_name(self, text: str) -> bool:
        """Whether the concept's name follows a code span ("the `GroupBy` object", "the
        `Series` method"): there it is the head of that name, not the concept."""
        if self.pattern is None:
            return False
        return any(re.search(r"`\s$", text[: m.start()]) for m in self.pattern.finditer(text))

    def part_of_longer(self, text: str) -> bool:
        """Whether a mention of the concept in ``text`` is part of a longer concept's name
        ("join" in "an outer join"): blanking it would cut a term in two."""
        if self.pattern is None or not self._longer:
            return False
        spans = [(m.start(), m.end()) for p in self._longer for m in p.finditer(text)]
        return any(
            any(a <= m.start() and m.end() <= b for a, b in spans)
            for m in self.pattern.finditer(text)
        )

    @cached_property
    def uses(self) -> list[Defining]:
        """Related concepts' defining sentences that use this concept as a key term ("The
        sodium-potassium pump is a protein that uses active transport to move ..."): what a
        blank on this concept's name asks is how it relates to its neighbour. Each a whole
        statement, not already one of this concept's own facts."""
        if self.pattern is None or self.concept.kind == "code":
            return []  # (a code name in a neighbour's definition is mostly another sense)
        own = {d.sentence.id for d in self.teaching} | {d.sentence.id for d in self.statements}
        out, seen = [], set()
        for other, _score in self.related_views(limit=15):
            for d in other.teaching[:2]:
                s = d.sentence
                if s.id in own or s.id in seen or d.context is not None:
                    continue
                if s.section_kind == "prose" and not s.heading_path:
                    continue
                text = tidy(s.clean)
                m = self.pattern.search(fold(text))
                if m is None or not 6 <= len(text.split()) <= 40:
                    continue
                if self.part_of_longer(fold(text)) or self.after_code_name(fold(text)):
                    continue
                if not_a_statement(text) or dangling(text) or narrative(text):
                    continue
                seen.add(s.id)
                out.append(Defining(s, m))
        return out

    @cached_property
    def contexts(self) -> list[Defining]:
        """Other whole statements that use the concept where it is not the subject ("Lookups
        treat a tombstone as occupied and keep probing past it"): for a blank on its name, in
        reading order. Not a step of a procedure ("To insert, compute the bucket, ...")."""
        if self.pattern is None or self.concept.kind == "code":
            return []
        # (in the sections that teach it — say what it is or does: "at a very basic level"
        # elsewhere is not the MultiIndex's level, and an anecdote in an article that never
        # defines the term checks nothing about it)
        where = {(d.sentence.doc, d.sentence.heading_path[:2]) for d in self.facts_taught}
        taken = {d.sentence.id for d in self.defining + self.statements + self.uses}
        out, seen = [], set()
        for s, _m in self.mentions[:MENTIONS_READ]:
            if s.id in taken or s.id in seen or s.instruction_like:
                continue
            if s.section_kind not in ("prose", "docstring"):
                continue
            seen.add(s.id)
            if not self._sectioned(s.doc) or (s.doc, s.heading_path[:2]) not in where:
                continue  # (a text without sections: no telling which part teaches it)
            text = tidy(s.clean)
            if not 8 <= len(text.split()) <= 40 or re.match(
                r"\W*(?:to \w+\b[^,]*,|we\b)", text, re.I
            ):
                continue  # (a step of a procedure, or what the author does next)
            if not_a_statement(text) or dangling(text) or narrative(text):
                continue
            if _POINTS_BACK.search(text) or self.part_of_longer(fold(text)):
                continue
            if self.after_code_name(fold(text)):
                continue
            out.append(Defining(s, self.pattern.search(fold(text)) or _m))
        return out

    @cached_property
    def facts_taught(self) -> list[Defining]:
        """Its teaching sentences and statements: where the sources teach the concept."""
        return self.teaching + self.statements

    @cached_property
    def facts(self) -> list[Defining]:
        """What the concept's exercises may each ask one of: its teaching sentences, then
        its other statements."""
        return self.teaching + self.statements

    @cached_property
    def defining(self) -> list[Defining]:
        """Defining sentences, best first (explicit definition evidence, then patterns)."""
        def_spans = [
            (e.source, e.start, e.end) for e in self.concept.evidence if e.role == "definition"
        ]
        definition = fold(self.concept.definition or "").strip()
        def_stems = stem_set(definition)
        scored: list[tuple[float, Defining]] = []
        for s, m in self.mentions:
            path = self.documents[s.doc].path
            text = s.folded
            score = 0.0
            if any(src == path and a < s.end and s.start < b for src, a, b in def_spans):
                score += 2.0
            if definition and (
                definition in text
                or (
                    # cheap screen first: the sentence must share most of the definition's words
                    len(def_stems.intersection(s.stems)) >= 0.7 * len(def_stems)
                    and fuzz.partial_ratio(definition, text) >= 90
                )
            ):
                score += 2.0
            predicate = _predicate(text, m)
            if predicate:
                score += 1.5
            elif _called(text, m):
                score += 1.0
            if score > 0:
                # prefer the concept named early and sentences of a teachable length
                n = len(s.stems)
                score -= 0.1 * (m.start() > 60) + 0.2 * (n < 4 or n > 45)
                context = definition_context(self.corpus, s, m)
                scored.append((score, Defining(s, m, clean_for_prompt(predicate), context)))
        scored.sort(key=lambda x: (-x[0], x[1].sentence.id))
        return [d for _, d in scored]

    @property
    def has_definition(self) -> bool:
        return bool(self.concept.definition.strip()) or bool(self.defining)

    def span(self, s: Sentence) -> Span:
        return s.span(self.documents)

    def rarity(self) -> float:
        return self.corpus.rarity(" ".join(self.names[:1]))

    @cached_property
    def proper(self) -> bool:
        """Whether the sources write it as a proper name (capitalised mid-sentence)."""
        caps = [
            s.folded[m.start()].isupper()
            for s, m in self.mentions
            if _NOT_FIRST.search(s.folded[: m.start()])  # not the sentence's first word
        ]
        if not caps:
            return self.concept.name[:1].isupper()
        return sum(caps) * 2 >= len(caps)

    def substitutable(self, other: ConceptView) -> bool:
        """Could ``other`` stand where this concept stands in a sentence (for a false
        statement)? Same kind of thing: both proper names or both common terms, same kind."""
        return self.proper == other.proper and self.concept.kind == other.concept.kind

    @cached_property
    def forms(self) -> frozenset[str]:
        return frozenset(f for n in self.names for f in inflections(n))

    @cached_property
    def _profile(self) -> tuple[set, frozenset, str, frozenset]:
        """(heading paths, mention ids, head-word stem, definition stems), for ``related``."""
        w = words(self.concept.name)
        mentions = self.mentions
        ids = frozenset(s.id for s, _ in mentions)
        if self.pattern is not None:
            # one set of ids per concept: the one ``Corpus.mention_ids`` keeps (short answer
            # asks for it), when these mentions are the list it is made from
            cache, key = self.corpus.mention_cache, ("ids", self.pattern.pattern)
            known = cache.get(key)
            if known is not None and known == ids:
                ids = known
            elif known is None and cache.get(("pattern", self.pattern.pattern)) is mentions:
                cache[key] = ids
        return (
            {s.heading_path for s, _ in mentions if s.heading_path},
            ids,
            stem(w[-1]) if w else "",
            stem_set(self.concept.definition),
        )

    @cached_property
    def related(self) -> list[tuple[ConceptDraft, float]]:
        """Other concepts ranked as plausible confusions for this one.

        score = 0.35 same section (heading path) + 0.25 shared head word + 0.25 co-mentioned
        in a sentence + 0.4 * definition word overlap (Jaccard) + 0.1 same kind
        + 0.05 * importance; concepts that are the same thing under another name (shared
        inflection, fuzzy >= 90) are excluded.
        """
        paths, ids, head, definition = self._profile
        me, my_name, my_kind = self.concept, self.concept.name, self.concept.kind
        index, by_kind = self._related_index()
        ranked = index.ranked(self)  # the same ranking, vectorised (None: top-up needed)
        if ranked is not None:
            return ranked
        # (view, shares a section, shares a sentence, shares the head word) per candidate; the
        # index knows these from the keys the two share, so only the definition overlap and
        # the "same thing under another name" test are computed here
        found = index.scored_candidates(self)
        excluded = index.same_names(self)
        if len(found) < 12:  # top up with the most important concepts of the same kind
            seen = {v.concept.name for v, *_ in found}
            for c in by_kind.get(my_kind, ()):
                if len(found) >= 12:
                    break
                if c.name not in seen:
                    v = self.view_of(c)
                    o_paths, o_ids, o_head, _ = v._profile
                    found.append(
                        (
                            v,
                            not paths.isdisjoint(o_paths),
                            not ids.isdisjoint(o_ids),
                            bool(head and head == o_head),
                            self._same_name(v),
                        )
                    )
        out = []
        for view, same_path, same_sentence, same_head, *rest in found:
            other = view.concept
            if other is me or other.name == my_name:
                continue
            if rest[0] if rest else id(view) in excluded:
                continue
            score = 0.35 * same_path
            score += 0.25 * same_head
            score += 0.25 * same_sentence
            score += 0.4 * jaccard(definition, view._profile[3])
            score += 0.1 * (other.kind == my_kind)
            score += 0.05 * other.importance
            out.append((other, score))
        out.sort(key=lambda x: (-x[1], x[0].name))
        return out

    def _same_name(self, view: ConceptView) -> bool:
        """Whether ``view`` is this concept under another name (shared inflection, or names
        with rapidfuzz ratio >= 90)."""
        return not self.forms.isdisjoint(view.forms) or any(
            fuzz.ratio(x, y) >= 90
            for x in self._lower_names
            for y in view._lower_names
            if 0.8 * len(x) <= len(y) <= 1.25 * len(x)  # ratio >= 90 needs close lengths
        )

    def _related_candidates(self) -> list[ConceptDraft]:
        """Concepts that share something with this one (a sentence, a section, a head word, a
        definition word) — found through an index built once per batch, so ``related`` is
        not quadratic in the number of concepts; topped up with the most important concepts
        of the same kind when that leaves fewer than 12."""
        index, by_kind = self._related_index()
        found = [v.concept for v in index.candidates(self)]
        if len(found) < 12:
            seen = {c.name for c in found}
            for c in by_kind.get(self.concept.kind, ()):
                if len(found) >= 12:
                    break
                if c.name not in seen:
                    found.append(c)
        return found

    def _related_index(self) -> tuple[_RelatedIndex, dict[str, list[ConceptDraft]]]:
        """The related-concept index for this very list of concepts over this corpus, and the
        concepts of each kind by importance — built once per (corpus, concept list)."""
        cache = self.corpus.__dict__.setdefault("_related_index", {})
        # the pipeline passes the same list object for every concept: check identity first
        # (O(1)), and only build the full key (O(concepts)) for a list not seen before
        fast = cache.get(("list", id(self.concepts)))
        if fast is not None and fast[0] is self.concepts and fast[1] == len(self.concepts):
            return fast[2]
        key = tuple((id(c), c.name) for c in self.concepts)
        hit = cache.get(key)
        if hit is None:
            # only concepts grounded in these sources (or not grounded anywhere) can be
            # related here; the others have nothing in this corpus to compare
            paths = {d.path for d in self.documents}
            local = [
                c
                for c in self.concepts
                if not c.evidence or any(e.source in paths for e in c.evidence)
            ]
            by_kind: dict[str, list[ConceptDraft]] = {}
            for c in sorted(self.concepts, key=lambda c: (-c.importance, c.name)):
                by_kind.setdefault(c.kind, []).append(c)
            hit = cache[key] = (_RelatedIndex([self.view_of(c) for c in local]), by_kind)
        cache[("list", id(self.concepts))] = (self.concepts, len(self.concepts), hit)
        return hit

    def view_of(self, other: ConceptDraft) -> ConceptView:
        """A (cached) view of another concept over the same sources."""
        cache = self.corpus.view_cache
        key = (other.name, tuple(other.aliases), other.definition)
        view = cache.get(key)
        if view is None or view.concept is not other:
            view = cache[key] = ConceptView(other, self.concepts, self.corpus, self.documents)
        return view

    def related_views(self, limit: int = 12) -> list[tuple[ConceptView, float]]:
        return [(self.view_of(c), s) for c, s in self.related[:limit]]

    @cached_property
    def code_units(self) -> list[CodeUnit]:
        """Functions/classes named like the concept; notebook cells that use it."""
        names = {n.lower() for n in self.names}
        shorts = {n.rsplit(".", 1)[-1].lower() for n in names}
        out = []
        for u in self.corpus.code_units:
            if u.symbol and (u.symbol.lower() in names or u.short.lower() in shorts):
                out.append(u)
            elif u.kind == "cell" and self.pattern is not None and self._about_cell(u, shorts):
                out.append(u)
        return out

    def _about_cell(self, unit: CodeUnit, shorts: set[str]) -> bool:
        """A notebook cell is about this concept when the concept (a code name) is used in
        it, or (a term) the text just before the cell or a comment in it names the concept."""
        code = unit.section.text
        if self.concept.kind == "code":
            return any(re.search(rf"\b{re.escape(n)}\b", code) for n in shorts if n)
        # a term that is an API name ("dropna", "pd.merge") is about the cells that call it
        api = [n.rsplit(".", 1)[-1] for n in self.names if re.fullmatch(r"[a-z_][\w.]*", n)]
        if any(re.search(rf"\.{re.escape(n)}\b|\b{re.escape(n)}\(", code) for n in api if n):
            return True
        if any(self.pattern.search(fold(c)) for c in re.findall(r"#[^\n]*", code)):
            return True
        doc = self.documents[unit.doc]
        before = [s for s in doc.sections if s.end <= unit.section.start and s.kind != "output"]
        return (
            bool(before)
            and before[-1].kind != "code"
            and bool(self.pattern.search(fold(before[-1].text)))
        )

    def new(self, kind: str, prompt: str, answer, **kw) -> ExerciseDraft:
        return ExerciseDraft(
            concept=self.concept.name, kind=kind, prompt=prompt, answer=answer, **kw
        )


# mentions read for a concept's statements and contexts (in reading order): its facts are
# among the first ones, and a term named on every page would cost a regex pass per mention
MENTIONS_READ = 120
SMALL_KEY = 8  # views sharing a key, up to which the key keeps a list instead of an array


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
            for _name, _score, j in process.extract(
                x, self.names, scorer=fuzz.ratio, processor=None, score_cutoff=90, limit=None
            ):
                hit.add(self.name_owner[j])
        return hit

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


# a noun-phrase gloss right after the term: "X, the tendency of ...", "a X strategy: a rule
# for ..." (the gloss ends at the next colon, semicolon or comma, where the text moves on)
_APPOSITION = re.compile(
    r"\s*[*_`]*(?:\s+[a-z]+)?[*_`]*\s*(?:,\s+(?=the\s+\w+\s+(?:of|that|which|in|for|by)\s)"
    r"|:\s+(?=(?:a|an|the)\s))([^:;,]{8,}?)\s*(?:[:;,]|$)"
)


def _predicate(text: str, m: re.Match) -> str:
    """For "X is a Y ..." (X opening the sentence, after at most an article) the "a Y ..."
    part; for a gloss in apposition ("Its weakness is X, the tendency of ...") the gloss;
    else "". "If keys were small ..." and "The simplest array is ..." do not define "keys"
    or "array"."""
    before = LEADING.sub("", text[: m.start()], count=1)
    if not _OPENS.fullmatch(before):
        return _apposition(text, m)
    rest = " ".join(text[m.end() :].split())
    pm = _COPULA_REST.match(rest)
    if not pm:
        gm = _GLOSSARY.match(rest)  # glossary "X: a Y ..."
        return gm.group(1).strip() if gm and not before.strip() else ""
    predicate = pm.group(1).strip()
    if re.match(r"(?:just|merely|only)\s+(?:one|a|an)\b", predicate, re.I):
        return ""  # "FLOPs are just one constraint": a remark, not what they are
    if VERDICT.match(predicate):
        return ""  # "Deletion is the subtle part of open addressing": a verdict, not a meaning
    return predicate if len(predicate.split()) >= 3 else ""


def _apposition(text: str, m: re.Match) -> str:
    """The gloss of "X, the tendency of ..." or "a X strategy: a rule for ...". A colon
    glosses the term only after "a X" / "is X" ("data from multiple sources: the ..." glosses
    the sources), and a gloss that names the term again ("a join: the type of set arithmetic
    used in the join") is about something else."""
    am = _APPOSITION.match(" " + " ".join(text[m.end() :].split()))
    if not am:
        return ""
    gloss = am.group(1).strip().rstrip(".")
    colon = ":" in am.group(0)[: am.start(1)]
    if colon and not re.search(r"\b(?:a|an|is|are)\W*$", text[: m.start()], re.I):
        return ""
    if m.group(0).strip("*_` ").lower() in gloss.lower():
        return ""
    return gloss if len(gloss.split()) >= 4 else ""


def _called(text: str, m: re.Match) -> bool:
    before = text[max(0, m.start() - 40) : m.start()].lower()
    return bool(_CALLED.search(before))


def doc_summary(unit: CodeUnit) -> str:
    return summary_of(unit.docstring)
