"""The structural signals of one group: what its heading names, what it emphasises, the APIs
its code spans name, and the terms its sentences and glossary lines define.

These are the marks of teaching: ``prose`` adds them to the ranker's score, and ``admission``
lists a term only where one of them (or its recurrence) shows the material teaches it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from teachback.core.text import sentences
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.definitions import (
    GLOSSARY,
    SPEAKER,
    definitional_terms,
    short_class,
)
from teachback.ingest.concepts.groups import Group
from teachback.ingest.concepts.headings import comment_label_terms, heading_terms
from teachback.ingest.concepts.lexicon import api_name, clean_term, lemma_lexicon, noun_only
from teachback.ingest.concepts.settings import MAX_QUOTE
from teachback.ingest.keyphrases.frequency import zipf

# A term set in quotation marks (curly quotes are folded to ASCII): at most three words, not
# an utterance (no comma, question or exclamation mark inside).
_QUOTED = re.compile(r'"([^"\n]{2,60})"')
QUOTED_MIN_USES = 2  # a quoted term the material uses again, not a one-off figure of speech
_FLAG = re.compile(r"--([a-z][\w\-]*)(?:=\S*)?")
_CODE_NAME = re.compile(r"[A-Za-z_][\w.\-]*(?:\(\))?")
_BULLET = re.compile(r"[-*+]\s|\d{1,2}[.)]\s")
_PROSE_START = re.compile(r"(?:an?|the)\s|[a-z]")
# A sentence that points back ("This property is called uniform hashing.", "That is a linear
# search: ...") defines its term through the sentence before it.
_ANAPHOR = re.compile(r"(?:This|That|These|Those|Such)\b")
MAX_DEFINING_SENTENCE = 600  # characters: a longer "sentence" is a run-on list or a table


@dataclass
class Signals:
    heading_keys: dict[str, str] = field(default_factory=dict)  # key -> heading's surface
    # A heading that names one thing in one word ("Probing"): "linear probing" is a kind of it.
    topic: str | None = None
    emphasis: set[str] = field(default_factory=set)
    quoted: dict[str, tuple[str, int]] = field(default_factory=dict)  # key -> (term, offset)
    code_spans: set[str] = field(default_factory=set)
    api: dict[str, str] = field(default_factory=dict)  # key -> surface of a called API's span
    # key -> (strength, start, end, surface) of the strongest sentence that defines it
    defined: dict[str, tuple[float, int, int, str]] = field(default_factory=dict)
    sent_spans: list[tuple[int, int]] = field(default_factory=list)


def group_signals(
    batch: Batch, di: int, group: Group, sent_spans: list[tuple[int, int]] | None = None
) -> Signals:
    """The group's signals; ``sent_spans``: the sentences of its spans, when the caller has
    them already."""
    text = batch.norm[di]
    sig = Signals()
    _headings(batch, text, group, sig)
    for e in group.signals.get("emphasis", []):
        t = clean_term(e) if len(e) < 60 else None
        if t:
            sig.emphasis.add(batch.key(t))
    _code_spans(batch, group, sig)
    if batch.unmarked[di] and group.kind == "prose":
        _quoted(batch, di, text, group, sig)
    _title_cased(batch, di, text, group, sig)
    if sent_spans is None:
        sent_spans = [s for a, b in group.spans for s in sentences(text, a, b)]
    sig.sent_spans = sent_spans
    for a, b in group.spans:
        for term, start, end in glossary_terms(text, a, b):
            sig.defined.setdefault(batch.key(term), (0.9, start, end, term))
    _sentence_definitions(batch, di, text, sig)
    if group.kind == "comment":
        _purpose_comments(batch, text, group, sig)
    return sig


def _headings(batch: Batch, text: str, group: Group, sig: Signals) -> None:
    headings = group.heading_path
    if headings:
        for term in heading_terms(headings[-1]):
            sig.heading_keys[batch.key(term)] = term
    # a module docstring's title names its topic; the paragraph after it explains it
    # (``module_titles``)
    for title, explained in group.signals.get("titles", []):
        for term in heading_terms(title):
            sig.heading_keys.setdefault(batch.key(term), term)
            if explained is not None:
                sig.defined.setdefault(batch.key(term), (TITLE_STRENGTH, *explained, term))
    if len(sig.heading_keys) == 1:
        topic = next(iter(sig.heading_keys))
        sig.topic = None if " " in topic else topic
    if group.kind == "comment":
        # "# adamw optimizer", "# learning rate decay settings": a short comment on a line of
        # its own labels the block below it, as a heading labels a section.
        for a, b in group.spans:
            for term in comment_label_terms(text[a:b]):
                sig.heading_keys.setdefault(batch.key(term), term)


def _code_spans(batch: Batch, group: Group, sig: Signals) -> None:
    """Code spans of the prose; those naming an API the batch's code calls are APIs the
    material demonstrates (``pd.merge`` named in prose and called in a cell)."""
    for e in group.signals.get("code_spans", []):
        flag = _FLAG.fullmatch(e)
        if flag:
            # "--dropout=0.0": a setting given on the command line; where the code calls an
            # API of that name (``nn.Dropout``), the prose demonstrates it.
            name = flag.group(1).replace("-", "_")
            if name.lower() in batch.called_lower and len(name) > 2 and api_name(name):
                sig.api.setdefault(batch.key(name), name)
            continue
        if len(e) >= 40 or not _CODE_NAME.fullmatch(e):
            continue
        name = e.rstrip("()")
        sig.code_spans.add(batch.key(name))
        last = name.rsplit(".", 1)[-1]
        if last in batch.called and len(last) > 2 and api_name(name):
            sig.api.setdefault(batch.key(last), name)


def _quoted(batch: Batch, di: int, text: str, group: Group, sig: Signals) -> None:
    """Plain text has no bold or italics: a term its author introduces is set in quotation
    marks ("a state of “AI psychosis”", "these are the “macro-actions” ..."). Counted as
    emphasis when the material uses the term again."""
    longer = batch.quoted_phrases.get(di)
    if longer is None:
        longer = batch.quoted_phrases[di] = {
            t.lower() for t, _ in quoted_terms(text, 0, len(text)) if " " in t
        }
    for a, b in group.spans:
        for term, at in quoted_terms(text, a, b):
            if " " not in term and any(t.endswith(" " + term.lower()) for t in longer):
                continue  # "psychosis" where "AI psychosis" is the term
            uses = batch.uses(di, term)
            if uses >= QUOTED_MIN_USES and not _scare_quoted(text, term, uses):
                k = batch.key(term)
                sig.quoted.setdefault(k, (term, at))
                sig.emphasis.add(k)


# Two to four capitalised words inside a sentence (after a lower-case word, a comma or a
# bracket, not at its start): a name the author gives a technique or a tool ("efficient
# attention using Flash Attention CUDA kernels", "the tools that made Vibe Coding real").
_TITLE_CASE = re.compile(r"(?<=[a-z,(] )(?:[A-Z][a-z]+[ \t]){1,3}[A-Z][a-z]+\b(?![\]\w(])")
_NAME_ZIPF = 3.0  # a capitalised word this rare is a person's or a place's name ("Karpathy")


def _title_cased(batch: Batch, di: int, text: str, group: Group, sig: Signals) -> None:
    """A name set in capitals the material uses again counts as emphasis; a person's name
    ("Andrej Karpathy") or a link's text ("[Handling Missing Data](...)") does not."""
    for a, b in group.spans:
        for m in _TITLE_CASE.finditer(text, a, b):
            term = clean_term(m.group(0))
            if term is None or " " not in term or _in_link(text, a, m.start()):
                continue
            if f"[{term.lower()}]" in batch.lowered(di):
                continue  # "[Handling Missing Data](...)": the title of another document
            if any(zipf(w.lower()) < _NAME_ZIPF for w in term.split()):
                continue
            if term.lower() in batch.data_outputs:
                continue  # "Radial Velocity": a value the notebooks' outputs print
            if batch.uses(di, term) >= QUOTED_MIN_USES:
                k = batch.key(term)
                sig.quoted.setdefault(k, (term, m.start()))
                sig.emphasis.add(k)


def _in_link(text: str, a: int, at: int) -> bool:
    return text.rfind("[", a, at) > text.rfind("]", a, at)


SCARE_QUOTE_ZIPF = 4.0  # a phrase this common in English, always quoted, is a figure of speech


def _scare_quoted(text: str, term: str, uses: int) -> bool:
    """An everyday phrase the text only ever sets in quotation marks ("a state of “mental
    disorder,”" three times) keeps its distance from the words, it does not introduce a term;
    a term introduced in quotes is then used plainly ("“personality”", "a good personality")."""
    if zipf(term.lower()) < SCARE_QUOTE_ZIPF:
        return False  # "AI psychosis", "macro-actions": coined, not everyday
    quoted = re.findall(rf'"\s*{re.escape(term)}\W{{0,2}}"', text, re.I)
    return len(quoted) >= uses


def quoted_terms(text: str, a: int, b: int) -> list[tuple[str, int]]:
    """(term, offset) of each short noun phrase set in quotation marks in ``text[a:b]``.

    >>> quoted_terms('a state of "mental disorder," he said: "wow, cool"', 0, 52)
    [('mental disorder', 12)]
    """
    out = []
    for m in _QUOTED.finditer(text, a, b):
        core = m.group(1).strip().rstrip(",.;:")
        if not core or re.search(r"[,;:?!]", core) or len(core.split()) > 3:
            continue
        term = clean_term(core)
        if term and (" " in term or noun_only(term)):
            out.append((term, m.start(1)))
    return out


def glossary_terms(text: str, a: int, b: int) -> list[tuple[str, int, int]]:
    """(term, start, end) of each glossary line in ``text[a:b]``: "- **Term**: definition",
    "Term - definition", "Term: the ..."; not a speaker's label ("Host: I remember ..."), a
    hard-wrapped sentence or a caption ("Downstairs: the clown.").

    >>> glossary_terms("- Tensor: a grid of numbers of any rank.", 0, 40)
    [('Tensor', 0, 40)]
    """
    out = []
    for m in GLOSSARY.finditer(text, a, b):
        term = clean_term(m.group("term"))
        line = m.group(0).lstrip()
        bullet = _BULLET.match(line) is not None
        listed = bullet or line[:1] in "-*+_`"  # a list item, or a term set in bold or code
        rest = m.group("rest")
        if not listed and not _PROSE_START.match(rest):
            continue  # "Host: I remember ..." is a speaker label, not a glossary line
        before = text[max(a, m.start() - 3) : m.start()].rstrip(" \t")
        if not bullet and before.endswith("\n") and before[:-1][-1:] not in ".!?:\n":
            # a hard-wrapped sentence whose line happens to open "idea: ..." (or
            # "**linear search**: ..." after "That is a")
            continue
        if len(rest.split(".", 1)[0].split()) < 3:
            continue  # "Downstairs: the clown." is a caption, not a definition
        if term and m.end() <= b:
            out.append((term, m.start(), m.end()))
    return out


def _sentence_definitions(batch: Batch, di: int, text: str, sig: Signals) -> None:
    """Terms the group's sentences define, each with its strongest sentence."""
    defined = sig.defined
    for a, b in sig.sent_spans:
        if b - a > MAX_DEFINING_SENTENCE:
            continue
        said = text[a:b]
        m = SPEAKER.match(said)
        if m and batch.label_lines(di, said[: said.index(":") + 1]) > 1:
            said = said[m.end() :].lstrip()  # "Karpathy: A token is ...": what is said
        for term, strength in definitional_terms(said):
            label = f"{term}:"
            if text.startswith(label, a) and batch.label_lines(di, label) > 1:
                continue  # "Host: If you're ..." opening line after line: a speaker label
            if _figure_of_speech(batch, said, term):
                continue
            k = batch.key(term)
            if k not in defined or defined[k][0] < strength:
                defined[k] = (strength, a, b, term)


def _figure_of_speech(batch: Batch, sentence: str, term: str) -> bool:
    """ "Codex is a B2B money printer.": a class named once and never again in the material
    is a metaphor, not the kind of thing the term is ("Codex is a coding agent" names the
    material's own word)."""
    head = short_class(sentence, term)
    if head is None:
        return False
    return sum(batch.uses(d, head) for d in range(len(batch.documents))) < 2


# "# causal mask to ensure that attention is only applied to the left", "# model surgery to
# decrease the block size": a comment that names a thing, then what it is for.
_PURPOSE = re.compile(
    r"#[ \t]*(?P<term>[a-z][a-z\-]+(?:[ \t][a-z][a-z\-]+){1,2})[ \t]+to[ \t]+(?P<verb>[a-z]+)\b"
)
PURPOSE_STRENGTH = 0.9
TITLE_STRENGTH = 0.9  # the paragraph after a module docstring's title, for the title's terms


def _purpose_comments(batch: Batch, text: str, group: Group, sig: Signals) -> None:
    """Terms a comment names and then says what they are for, as defining sentences."""
    lemmas = lemma_lexicon()
    if lemmas is None:
        return
    for a, b in group.spans:
        m = _PURPOSE.match(text, a, b)
        if m is None or "VERB" not in lemmas(m.group("verb")):
            continue
        term = clean_term(m.group("term"))
        first = lemmas(m.group("term").split()[0])
        if term is None or " " not in term or set(first) == {"VERB"}:
            continue  # "apply softmax to convert ...": an instruction, not a thing named
        end = text.find("\n", a, b)
        sig.defined.setdefault(
            batch.key(term), (PURPOSE_STRENGTH, m.start("term"), b if end < 0 else end, term)
        )


def with_antecedent(text: str, sent_spans: list[tuple[int, int]], a: int, b: int) -> int:
    """The start of a defining sentence ``text[a:b]``, moved back to the sentence before it
    when it opens by pointing back to that one (and both fit in an evidence quote, with
    nothing but white space between them).

    >>> t = "A good hash spreads keys evenly. This property is called uniform hashing."
    >>> with_antecedent(t, [(0, 32), (33, len(t))], 33, len(t))
    0
    """
    if not _ANAPHOR.match(text, a):
        return a
    for pa, pb in sent_spans:
        if pb <= a and not text[pb:a].strip() and b - pa <= MAX_QUOTE:
            return pa
    return a
