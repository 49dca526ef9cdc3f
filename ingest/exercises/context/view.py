"""What a generator knows about one concept: its names, its sentences in the sources, its
neighbours and its code.

``ConceptView`` is what every exercise kind reads of a ``ConceptDraft``. Each part is found by
the module whose one job it is, computed once per view (``cached_property``):

* the sentences that define, state or use it — ``sentences.py`` (the defining patterns in
  ``defining.py``);
* where a mention is part of a longer name or the head of a code name — ``longer_names.py``;
* each mention cut to its own sentence where the splitter glued several — ``own_sentence.py``;
* related concepts ranked as distractor candidates — ``related.py``;
* whether it is what the whole source is about — ``subject.py``;
* its code units (functions/classes named like it, notebook cells about it) — ``code_units.py``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

from teachback.core.document import Document
from teachback.core.text import stem
from teachback.engine.protocol import ConceptDraft, ExerciseDraft, Span
from teachback.ingest.exercises.context import code_units as units_of
from teachback.ingest.exercises.context import longer_names, sentences, subject, synonyms
from teachback.ingest.exercises.context.defining import Defining
from teachback.ingest.exercises.context.names import names_of
from teachback.ingest.exercises.context.own_sentence import own_sentences
from teachback.ingest.exercises.context.related import rank as rank_related
from teachback.ingest.exercises.corpus import CodeUnit, Corpus, Sentence
from teachback.ingest.exercises.text import inflections, stem_set, term_regex, words

_NOT_FIRST = re.compile(r"\w\W+$")


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
        # (each mention in its own sentence: a manual's sentences that open with a lower-case
        # code name are glued together by the splitter, ``own_sentence.py``)
        cache[key] = own_sentences(self.corpus.mentions_of(self.names, self.pattern))
        return cache[key]

    # -- its sentences (``sentences.py``) --------------------------------------------------

    @cached_property
    def defining(self) -> list[Defining]:
        """Defining sentences, best first (explicit definition evidence, then patterns)."""
        return sentences.defining(self)

    @cached_property
    def teaching(self) -> list[Defining]:
        """The defining sentences that say what the concept is or does."""
        return sentences.teaching(self)

    @cached_property
    def statements(self) -> list[Defining]:
        """Other whole sentences with the concept as their subject, in reading order."""
        return sentences.statements(self)

    @cached_property
    def uses(self) -> list[Defining]:
        """Related concepts' defining sentences that use this concept as a key term."""
        return sentences.uses(self)

    @cached_property
    def contexts(self) -> list[Defining]:
        """Other whole statements that use the concept where it is not the subject."""
        return sentences.contexts(self)

    @cached_property
    def facts_taught(self) -> list[Defining]:
        """Its teaching sentences and statements: where the sources teach the concept."""
        return self.teaching + self.statements

    @cached_property
    def course_subject(self) -> bool:
        """Whether it is what the whole source is about ("libffi" in its manual:
        ``subject.py``): its name blanked or matched is every question's obvious guess."""
        return subject.course_subject(self)

    @cached_property
    def synonyms(self) -> list[str]:
        """The source's own other words for it ("slot" for bucket: ``synonyms.py``)."""
        return synonyms.synonyms(self)

    @property
    def has_definition(self) -> bool:
        return bool(self.concept.definition.strip()) or bool(self.defining)

    # -- where a mention is not the concept (``longer_names.py``) --------------------------

    @cached_property
    def _longer(self) -> list[re.Pattern]:
        return longer_names.longer_patterns(self)

    def after_code_name(self, text: str) -> bool:
        """Whether the concept's name follows a code span ("the `GroupBy` object")."""
        return longer_names.after_code_name(self, text)

    def part_of_longer(self, text: str) -> bool:
        """Whether a mention in ``text`` is part of a longer concept's name ("outer join")."""
        return longer_names.part_of_longer(self, text)

    # -- how it reads and what it could be confused with -----------------------------------

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

    def taught_before(self, other: ConceptDraft) -> bool:
        """Is ``other`` introduced at or before this concept in the sources' reading order
        (the course's order)? A term a learner has not met yet is no fair option or pair."""
        return tuple(other.first_seen) <= tuple(self.concept.first_seen)

    def taught_first(self, ranked: list[tuple], within: int = 6) -> list[tuple]:
        """``ranked`` (``(concept or view, score)``, best first) with, among its ``within``
        best, the concepts taught at or before this one moved ahead, each group in its own
        order: options a learner of the course can weigh against the key come before terms
        the course has not reached, but never a weakly related one before a close one
        ("value" as an option for "hash table" is ruled out by its sense alone)."""

        def later(item: tuple) -> bool:
            other = getattr(item[0], "concept", item[0])
            return not self.taught_before(other)

        return sorted(ranked[:within], key=later) + list(ranked[within:])

    # -- its code (``code_units.py``) ------------------------------------------------------

    @cached_property
    def code_units(self) -> list[CodeUnit]:
        """Functions/classes named like the concept; notebook cells about it."""
        return units_of.code_units(self)

    def new(self, kind: str, prompt: str, answer, **kw) -> ExerciseDraft:
        return ExerciseDraft(
            concept=self.concept.name, kind=kind, prompt=prompt, answer=answer, **kw
        )
