"""What a generator knows about one concept: its sentences in the sources and its neighbours.

``ConceptView`` finds, for a ``ConceptDraft``:

* defining sentences — sentences naming the concept in a definitional pattern ("X is a ...",
  "X refers to ...", "... is called X", "X: ..."; ``defining.py``), the concept's own
  ``definition`` and evidence spans with role ``definition``;
* statements — other whole sentences with the concept as their subject, and contexts that use
  it; mention sentences — every sentence naming it;
* related concepts ranked as distractor candidates (``related.py``);
* its code units (functions/classes named like the concept, notebook cells using it).

Sentences that read like instructions to a model are never used as exercise material.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from rapidfuzz import fuzz

from teachback.core.document import Document
from teachback.core.text import fold, stem
from teachback.engine.protocol import ConceptDraft, ExerciseDraft, Span
from teachback.ingest.exercises.context.defining import (
    Defining,
    definition_context,
    is_called,
    predicate_of,
)
from teachback.ingest.exercises.context.names import names_of
from teachback.ingest.exercises.context.related import rank as rank_related
from teachback.ingest.exercises.corpus import CodeUnit, Corpus, Sentence
from teachback.ingest.exercises.quality import (
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
    stem_set,
    term_regex,
    words,
)

# mentions read for a concept's statements and contexts (in reading order): its facts are
# among the first ones, and a term named on every page would cost a regex pass per mention
MENTIONS_READ = 120
_NOT_FIRST = re.compile(r"\w\W+$")
_POINTS_BACK = re.compile(
    r"\b(?:this|these|those|such|the preceding|the previous|earlier|before|above|the opposite|"
    r"the same way|for each|each case|respectively)\b",
    re.I,
)
_BECAUSE = re.compile(r"\b(?:because|since)\b", re.I)
# a word as ``_longer``'s pattern bounds it: a run of word characters and hyphens
_NAME_TOKEN = re.compile(r"[\w-]+")


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
        if any(rated(text, n) for n in self.names) and not _BECAUSE.search(text):
            # "X is the subtle part": an opinion; "X is fast in practice because ...": a
            # property with the reason the source gives for it, a fact worth checking
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
            predicate = predicate_of(text, m)
            if predicate:
                score += 1.5
            elif is_called(text, m):
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
        """Other concepts ranked as plausible confusions for this one (``related.rank``)."""
        return rank_related(self)

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
