"""The state of one extraction: the documents, the concepts found so far, and the batch-wide
indexes every step reads (APIs the code calls, identifiers, speakers, synonyms,
abbreviations, running statistics of single words)."""

from __future__ import annotations

import functools
import re
from collections import Counter

from teachback.core.document import Document
from teachback.core.text import fold, sentences
from teachback.engine.protocol import Evidence
from teachback.ingest.concepts.aliases import initials_abbreviations, synonym_pairs
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.definitions import SPEAKER
from teachback.ingest.concepts.headings import heading_terms
from teachback.ingest.concepts.settings import MAX_QUOTE, PROSE_KINDS
from teachback.ingest.concepts.word_counts import WordCounts
from teachback.ingest.keyphrases.candidates import Candidate
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import find_abbreviations, phrase_key, singular_phrase

_MID_CAPITAL = re.compile(r"[a-z0-9,;)] +([A-Z][a-z]+)\b")
_IDENTIFIER = re.compile(r"\b[A-Za-z][a-z0-9]*(?:_[a-z0-9]+)*\b")


_COMMENT_LINE = re.compile(r"^[^\n]*(?:#|\"\"\"|\'\'\')[^\n]*", re.M)


class Batch:
    def __init__(self, documents: list[Document]):
        self.documents = documents
        self.norm = [fold(d.text) for d in documents]
        self.concepts: dict[str, Concept] = {}
        # Each part of a hyphenated key ever given a concept -> those keys ("combine" ->
        # {"split-apply-combine"}): admission looks a word up there instead of reading every
        # concept per candidate word.
        self.hyphenated: dict[str, set[str]] = {}
        self.n_groups = 0
        # Section ceiling: (doc, heading path) of the current section, its groups, its new ones.
        self.section: tuple = ()
        self.section_groups = 0
        self.section_box = [0]  # new concepts of the current section (shared by its groups)
        # Book-level statistics of single words (concept key -> ...), for ``book_terms``.
        self.spread: Counter = Counter()  # groups using the word
        self.word_tf: Counter = Counter()  # occurrences
        self.word_mod: Counter = Counter()  # occurrences followed by another word of a phrase
        self.n_tokens = 0  # running words of all prose groups (whitespace-separated)
        self.genus: dict[str, set[str]] = {}  # defined terms whose definition names it as genus
        # Per group: (doc, [new concepts, cap], its section's box, {single word's key: (local
        # score, first offset, end)}): where a book term can still be introduced.
        self.rooms: list[tuple[int, list[int], list[int], dict]] = []
        self.group_at: list[tuple[tuple[int, int], list[int]]] = []  # (doc, start), section
        self.vocabulary: set[str] = set()  # stems of the single words groups used so far
        self._label_lines: dict[tuple[int, str], int] = {}
        self._id_index: dict[str, list[str]] = {}
        self._heading_counts: dict[int, Counter] = {}
        self._uses: dict[tuple[int, tuple[str, ...]], int] = {}
        self._lowered: dict[int, str] = {}
        # Per plain-text document, the phrases it sets in quotation marks (``signals``).
        self.quoted_phrases: dict[int, set[str]] = {}
        self.called = _called_apis(documents)
        self.called_lower = {n.lower() for n in self.called}
        # Names the code uses (variables, parameters, attributes): "block_size", "dropout".
        self.identifiers = _identifiers(documents)
        # Phrases a comment spells out for the short name its line assigns: "tok_emb = ...
        # # token embeddings of shape (b, t, n_embd)".
        self.spelled = _spelled_names(documents)
        # Endings of two and more parts of those names ("val_loss" of ``best_val_loss``).
        self._id_tails = {
            n.split("_", i)[-1] for n in self.identifiers for i in range(1, n.count("_"))
        }
        # Names that open label lines ("Karpathy: I feel ...", "Clawd murmur:"): speakers and
        # narrators of a transcript, not concepts.
        self.speakers: set[str] = {
            m.group(1).lower() for t in self.norm for m in SPEAKER.finditer(t)
        }
        # Names the material gives as one: (alias, main) from "X (also known as Y)",
        # "X, also called Y", "known as X, or Y for short".
        self.synonyms: list[tuple[str, str]] = [p for t in self.norm for p in synonym_pairs(t)]
        # What notebooks' code writes as string literals and their outputs print: the example
        # data ("population" of US states), lower-cased.
        self.data_strings, self.data_outputs = _example_data(documents)
        self.data_sets = _data_sets(documents)
        self.abbrev: dict[str, str] = {}  # key of short form -> key of long form
        self.short_of: dict[str, str] = {}  # key of long form -> short surface
        for d, doc_text in zip(documents, self.norm, strict=True):
            self._add_abbreviations(d, doc_text)

    def _add_abbreviations(self, doc: Document, doc_text: str) -> None:
        prose = "\n\n".join(
            doc_text[s.start : s.end] for s in doc.sections if s.kind in PROSE_KINDS
        )
        for short, long in find_abbreviations(doc_text) + initials_abbreviations(prose):
            sk, lk = phrase_key(short), phrase_key(long)
            if sk and lk and sk != lk:
                self.abbrev.setdefault(sk, lk)
                self.short_of.setdefault(lk, short)

    @functools.cached_property
    def capitalised_mid_sentence(self) -> set[str]:
        """Words the material capitalises after a lower-case word: names ("by Karpathy"), not
        sentence starts."""
        return {m.group(1) for t in self.norm for m in _MID_CAPITAL.finditer(t)}

    @functools.cached_property
    def prose_words(self) -> WordCounts:
        """Whole-word counts over the documents that are not code (``WordCounts.of``)."""
        return WordCounts(
            t for d, t in zip(self.documents, self.norm, strict=True) if d.format != "code"
        )

    @functools.cached_property
    def comment_lines(self) -> list[tuple[int, int, str]]:
        """``(doc, offset, line)`` of each line of the code (files and notebooks) that holds a
        comment or a docstring's quotes: where a comment may say what a term is for, read by
        every term that has no defining sentence, so collected once."""
        out: list[tuple[int, int, str]] = []
        for di, d in enumerate(self.documents):
            if d.format not in ("code", "notebook"):
                continue
            for m in _COMMENT_LINE.finditer(d.text):
                out.append((di, m.start(), m.group()))
        return out

    @functools.cached_property
    def unmarked(self) -> list[bool]:
        """Documents without typographic emphasis (plain text): their authors set the terms
        they introduce in quotation marks."""
        return [
            d.format != "code" and not any(s.signals.get("emphasis") for s in d.sections)
            for d in self.documents
        ]

    def uses(self, di: int, term: str) -> int:
        """How often document ``di`` uses ``term`` (any case, plural, hyphen or space between
        its words)."""
        words = tuple(singular_phrase(term.lower()).split())
        n = self._uses.get((di, words))
        if n is None:
            pat = r"\b" + r"[\s\-]+".join(re.escape(w) for w in words) + r"(?:e?s)?\b"
            n = self._uses[di, words] = len(re.findall(pat, self._lower(di)))
        return n

    def lowered(self, di: int) -> str:
        """Document ``di``'s normalised text in lower case (computed once)."""
        return self._lower(di)

    def _lower(self, di: int) -> str:
        got = self._lowered.get(di)
        if got is None:
            got = self._lowered[di] = self.norm[di].lower()
        return got

    def key(self, surface: str) -> str:
        k = phrase_key(surface)
        return self.abbrev.get(k, k)

    def get(self, key: str) -> Concept:
        c = self.concepts.get(key)
        if c is None:
            c = self.concepts[key] = Concept(key=key)
            if "-" in key:
                for part in key.split("-"):
                    self.hyphenated.setdefault(part, set()).add(key)
        return c

    def heading_counts(self, di: int) -> Counter:
        """How many headings of document ``di`` name each term (by key)."""
        got = self._heading_counts.get(di)
        if got is None:
            doc = self.documents[di]
            got = self._heading_counts[di] = Counter(
                self.key(t)
                for s in doc.sections
                if s.kind == "heading"
                for t in heading_terms(doc.text[s.start : s.end].lstrip("#= \t"))
            )
        return got

    def label_lines(self, di: int, label: str) -> int:
        """Lines of document ``di`` that open with ``label`` ("Host:"), counted once per label:
        a count scans the whole document, and a transcript opens hundreds of lines with it."""
        n = self._label_lines.get((di, label))
        if n is None:
            text = self.norm[di]
            n = self._label_lines[di, label] = text.count(f"\n{label}") + text.startswith(label)
        return n

    def example_data(self, name: str) -> bool:
        """``name`` is a value of the material's example data: its code writes it as a string
        and its outputs print it (a column name, a row label)."""
        if not self.data_outputs:
            return False
        pat = re.compile(rf"\b{re.escape(name.lower())}\b")
        return bool(pat.search(self.data_strings) and pat.search(self.data_outputs))

    def names_a_data_set(self, name: str) -> bool:
        """A word of ``name`` names a data set the notebooks load ("extrasolar planets" and
        ``sns.load_dataset('planets')``): the example the material works on, not its subject."""
        return any(singular_phrase(w) in self.data_sets for w in name.lower().split())

    def keyness(self, con: Concept) -> float:
        """How many times more frequent a single word is in the batch than in general English."""
        forms = {f.lower() for f in con.surfaces} or {con.key}
        rate = sum(10 ** (zipf(f) - 9.0) for f in forms if zipf(f) > 0)  # Zipf: per 10^9 words
        return self.word_tf[con.key] / max(rate * max(1, self.n_tokens), 1e-9)

    def in_code(self, cand: Candidate | None) -> bool:
        """The phrase is also a name in the material's code ("gradient accumulation" and
        ``gradient_accumulation_steps``, "block size" and ``block_size``)."""
        if cand is None or not self.identifiers:
            return False
        return self.named_in_code([w.lower() for w in cand.words])

    def named_in_code(self, words: list[str]) -> bool:
        if len(words) == 1:
            return False  # a single word is too often a variable by chance ("val", "node")
        joined = "_".join(words)
        if tuple(singular_phrase(" ".join(words)).split()) in self.spelled:
            return True
        if joined in self._id_tails:
            return True  # "val loss" and ``best_val_loss``: the phrase ends the name
        return any(
            joined == name or name.startswith(joined + "_") for name in self._ids_by(words[0])
        )

    def _ids_by(self, first: str) -> list[str]:
        got = self._id_index.get(first)
        if got is None:
            got = self._id_index[first] = [n for n in self.identifiers if n.startswith(first)]
        return got

    def sentence_around(self, di: int, off: int, end: int) -> tuple[int, int]:
        """The sentence containing ``text[off:end]`` (searched in a window around it)."""
        text = self.norm[di]
        lo = max(0, off - MAX_QUOTE)
        for a, b in sentences(text, lo, min(len(text), end + MAX_QUOTE)):
            if a <= off and end <= b and a > lo:
                return a, b
        return off, end

    def evidence(self, di: int, a: int, b: int, role: str) -> Evidence:
        doc = self.documents[di]
        if b - a > MAX_QUOTE:
            b = a + MAX_QUOTE
            cut = doc.text.rfind(" ", a, b)
            if cut > a + MAX_QUOTE // 2:
                b = cut
        return Evidence(source=doc.path, start=a, end=b, quote=doc.text[a:b], role=role)


_ASSIGNED = re.compile(r"\s*([A-Za-z]\w*)\s*(?::[^=\n]*)?=(?!=)")
_WORD = re.compile(r"[A-Za-z][a-z]+")


def _spelled_names(documents: list[Document]) -> set[tuple[str, ...]]:
    """Phrases (lower case, singular) that an end-of-line comment spells out for the name its
    line assigns ("tok_emb" and "token embeddings"; not "x" and "the input")."""
    out: set[tuple[str, ...]] = set()
    for d in documents:
        for sec in d.sections:
            for a, b in sec.signals.get("comments") or []:
                m = _ASSIGNED.match(d.text, d.text.rfind("\n", 0, a) + 1, a)
                if m is None:
                    continue
                parts = m.group(1).lower().split("_")
                words = [w.lower() for w in _WORD.findall(d.text, a, b)[: len(parts)]]
                if _spells(parts, words):
                    out.add(tuple(singular_phrase(" ".join(words)).split()))
    return out


def _spells(parts: list[str], words: list[str]) -> bool:
    """Each part of a name of two or more opens the word in its place (at least two letters)."""
    return (
        len(parts) >= 2
        and len(words) == len(parts)
        and all(len(p) >= 2 and w.startswith(p) for p, w in zip(parts, words, strict=True))
    )


def _called_apis(documents: list[Document]) -> set[str]:
    """The last part of every name the batch's code calls ("pd.merge" -> "merge"), minus the
    helpers its notebooks define for themselves (a ``display`` class is not the lesson) and
    the packages it imports (`tqdm` called as ``tqdm(...)`` after ``from tqdm import tqdm`` is
    a dependency, not an API the material demonstrates)."""
    called: set[str] = set()
    own: set[str] = set()
    for d in documents:
        for sec in d.sections:
            if sec.kind == "code" or d.format == "code":
                called.update(n.rsplit(".", 1)[-1] for n in sec.signals.get("calls", []) or [])
                if d.format != "code":
                    own.update(sec.signals.get("defines", []) or [])
    packages = {
        name.split(".", 1)[0]
        for d in documents
        for sec in d.sections
        for name in sec.signals.get("imports", []) or []
    }
    return called - own - packages


def _identifiers(documents: list[Document]) -> set[str]:
    out: set[str] = set()
    for d in documents:
        for sec in d.sections:
            if sec.kind == "code":
                out.update(m.lower() for m in _IDENTIFIER.findall(d.text, sec.start, sec.end))
    return out


_STRING = re.compile(r"'[^'\n]{1,200}'|\"[^\"\n]{1,200}\"")


# A data set loaded by name or from a file: ``sns.load_dataset('planets')``,
# ``pd.read_csv('data/state-population.csv')``.
_LOADED = re.compile(
    r"\b(?:load_dataset|read_\w+|load_\w+|fetch_\w+)\(\s*['\"]([^'\"\n]{1,120})['\"]"
)


def _data_sets(documents: list[Document]) -> set[str]:
    """Words (singular, lower case) naming the data sets the notebooks' code loads."""
    words: set[str] = set()
    for d in documents:
        if d.format != "notebook":
            continue
        for sec in d.sections:
            if sec.kind == "code":
                for m in _LOADED.finditer(d.text, sec.start, sec.end):
                    stem = m.group(1).rsplit("/", 1)[-1].split(".")[0]
                    words.update(singular_phrase(w) for w in re.split(r"[\W_]+", stem.lower()) if w)
    return words


def _example_data(documents: list[Document]) -> tuple[str, str]:
    """Notebooks' string literals and printed outputs (a traceback, which echoes the code, is
    not data)."""
    strings: list[str] = []
    outputs: list[str] = []
    for d in documents:
        if d.format != "notebook":
            continue
        for sec in d.sections:
            if sec.kind == "output" and sec.signals.get("output_type") != "error":
                outputs.append(d.text[sec.start : sec.end])
            elif sec.kind == "code":
                strings.extend(_STRING.findall(d.text, sec.start, sec.end))
    return "\n".join(strings).lower(), "\n".join(outputs).lower()
