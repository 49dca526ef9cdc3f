"""Sentences that define a term: "X is a ...", "X refers to ...", "... is called X", glossary
lines ("Term: definition"), labels set in bold and flattened ("Right Triangle: When ..."), and
defined adjectives ("Points that lie on the same line are collinear.").

Pure text functions; which definition a concept keeps is decided in ``prose``.
"""

from __future__ import annotations

import re

from teachback.core.text import fold
from teachback.ingest.concepts.lexicon import GENERIC_HEADINGS, GENERIC_WORDS, clean_term
from teachback.ingest.keyphrases.frequency import zipf
from teachback.ingest.textutil import STOPWORDS, stem

_TERM = r"(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,4}?)"
_ART = r"(?:(?:an?|the|one|any|each|every)\s+)"
_DEF_PATTERNS: list[tuple[re.Pattern, float]] = [
    # "X refers to ...", "X is defined as ...", "X means ...", "X denotes ..."
    (
        re.compile(
            rf"^(?:[^,]{{0,40}},\s+)?{_ART}?{_TERM}\s*(?:\([^)]{{1,60}}\)\s*)?,?\s+"
            r"(?:refers? to|(?:is|are) defined as|means|denotes|(?:is|are) the term for)\s+\S",
            re.I,
        ),
        1.0,
    ),
    # "X is a/an/the ..." (also "X (Y) is a ...")
    (
        re.compile(
            rf"^(?:[^,]{{0,40}},\s+)?{_ART}?{_TERM}\s*(?:\([^)]{{1,60}}\)\s*)?,?\s+"
            rf"(?:is|are)\s+{_ART}\S",
            re.I,
        ),
        1.0,
    ),
    # "X, which is ..." / "X, i.e. ..."
    (re.compile(rf"^{_ART}?{_TERM},\s+(?:which|i\.e\.|that is)\s+(?:is|are|means)?", re.I), 0.7),
    # "X is <noun> of ..." without an article (notes and stripped textbook text)
    (
        re.compile(
            rf"^{_ART}?{_TERM}\s+(?:is|are)\s+(?P<head>[a-z]+)\s+(?:of|that|which|where|in)\b"
        ),
        0.6,
    ),
]
# What each pattern above needs verbatim, found by a scan that reads no term: most sentences
# have none of it, and a pattern tries every way to read a term of one to five words (after an
# opening clause or not) before it fails.
_DEF_NEEDS: dict[re.Pattern, re.Pattern] = {
    _DEF_PATTERNS[0][0]: re.compile(
        r"\s(?:refers? to|(?:is|are) defined as|means|denotes|(?:is|are) the term for)\s", re.I
    ),
    _DEF_PATTERNS[1][0]: re.compile(r"\s(?:is|are)\s", re.I),
    _DEF_PATTERNS[3][0]: re.compile(r"\s(?:is|are)\s", re.I),
}
# "... is called X." / "... is known as X" / "we call this X"
_CALLED = re.compile(
    r"\b(?:is|are)\s+(?:(?:also|often|usually|sometimes)\s+)?(?:called|known as|termed|named|"
    r"referred to as)\s+(?:an?\s+|the\s+)?[\"'*_]*(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,3}?)"
    r"[\"'*_]*\s*(?:[.,;:)]|$)",
    re.I,
)
# A term the author introduces by name: "what he calls “AI Psychosis”", "researchers have a term
# for it: jagged frontier", "she coined the term ...". Not "the person who coined Vibe Coding":
# that names who made the word up, and says nothing of what it is.
_NAMED = re.compile(
    r"\b(?:(?:what|which)\s+(?:he|she|they|we|it|I|\w+)\s+calls?|"
    r"coined\s+the\s+(?:term|phrase|word)|"
    r"(?:have|has|is)\s+a\s+(?:name|term|word)\s+for\s+(?:it|this|that)\s*:?)\s+"
    r"[\"'\u201c\u2018*_]*(?P<term>[A-Za-z][\w'\-]*(?:\s+[\w'\-]+){0,3}?)[\"'\u201d\u2019*_]*"
    r"\s*(?:[.,;:)!?\u201d\u2019]|\(|$)",
)
# Glossary lines: "- **Term**: definition", "Term - definition", "Term: definition"
GLOSSARY = re.compile(
    r"^[ \t]*(?:[-*+][ \t]+|\d{1,2}[.)][ \t]+)?[*_`]*"
    r"(?P<term>[A-Za-z][\w'\-]*(?:[ \t]+[\w'\-]+){0,4})[*_`]*"
    r"[ \t]*(?::|\s-\s|\s\u2014\s|\s--\s)[ \t]*(?P<rest>\S.{10,})$",
    re.M,
)
# A capitalised label that opens a sentence and is followed by a colon and a statement: a key
# term set in bold or in a box, flattened to text ("Right Triangle: When a triangle has ...",
# "Circumcenter: The point of ..."). A one-word label that names a part of the text
# ("Investigation:", "Given:", "Theorem:") is not a term.
_LABEL_DEF = re.compile(
    r"^(?P<term>(?:[A-Z][a-z][\w\-]*[ \t]+){0,3}[A-Z][a-z][\w\-]*)[ \t]*:[ \t]+"
    r"(?P<rest>(?P<first>[A-Za-z]+)\b[^:]{12,})"
)
_LABEL_OPENERS = frozenset(
    "a an the when if two three all any every each one it this these".split()
)
_LABEL_PARTS = frozenset(
    """investigation given prove proof step hint tip warning theorem postulate corollary lemma
    definition property properties activity materials tools""".split()
)
# "X is a/the <genus> ...": the head of the first phrase after the copula names the kind of
# thing defined ("Perimeter is the distance around ...": distance).
GENUS = re.compile(r"\b(?:is|are)\s+(?:also\s+)?(?:(?:an?|the|one)\s+)?", re.I)
# After a genus: "by" makes it a passive verb ("are cut by"), an article a predeterminer or a
# verb ("is half the sum", "is twice the length").
NOT_GENUS_AFTER = re.compile(r"\s+(?:by|the|an?)\b", re.I)
_ADJ_HEAD = re.compile(r"(?:al|ic|ive|ous|able|ible|ful|less|ly|ed|ing)$")
# Defined adjectives (textbook vocabulary such as "collinear", "congruent"):
# "Points that lie on the same line are collinear." / "Two lines are perpendicular if ..."
_ADJ_DEFS: list[re.Pattern] = [
    re.compile(
        r"^(?:(?:an?|the|two|three|all|any)\s+)?[A-Za-z][\w\-]*s?(?:\s+(?:and/?or|or|and)\s+"
        r"[A-Za-z][\w\-]*)?\s+(?:that|which|who|whose|within|in|on|with)\s+[^.;:]{3,100}?\s+"
        r"(?:is|are)\s+(?:(?:called|said\s+to\s+be|known\s+as)\s+)?"
        r"(?P<term>[a-z][a-z\-]{3,})\s*[.!]?$"
    ),
    re.compile(
        r"^(?:(?:two|three|the|an?|any)\s+)?(?:[a-z][\w\-]*\s+){0,2}(?:is|are)\s+"
        r"(?:(?:called|said\s+to\s+be)\s+)?(?P<term>[a-z][a-z\-]{3,})\s+(?:if|when|whenever)\s",
        re.I,
    ),
]
# A defined adjective must be rare in general English (Zipf below this): "collinear" (2.0),
# "perpendicular" (3.3) yes; "important" (5.4), "equal" (4.7) no.
ADJ_DEF_ZIPF = 4.5


# "The simplest rule is **linear probing**: if bucket i is taken ...", "Its weakness is
# **primary clustering**, the tendency of ...": a general noun phrase, then the term set in
# emphasis after the copula and what it is after a colon, comma or bracket.
_INVERTED = re.compile(
    r"^(?:the|a|an|one|another|its|their|this|that)\s+(?:[\w\-]+\s+){0,4}?(?:is|are)\s+"
    r"(?:(?:called|known\s+as|termed)\s+)?(?:an?\s+|the\s+)?(?P<mark>\*\*|__|\*|_)"
    r"(?P<term>[A-Za-z][^*_\n]{1,60}?)(?P=mark)\s*(?::|,|\(|\u2014|--)\s*\S",
    re.I,
)
# "The simplest type of merge is the one-to-one join, which ...": the same without emphasis,
# when the subject names a kind of thing and a clause or colon says more.
_INVERTED_KIND = re.compile(
    r"^(?:(?:perhaps|probably|arguably)\s+)?(?:the|a|an|one|another)\s+(?:[\w\-]+\s+){0,2}?"
    r"(?:type|kind|form|rule|method|approach|technique|strategy|variant|structure)s?\s+"
    r"(?:of\s+[\w\-]+\s+)?(?:is|are)\s+(?:called\s+)?(?:an?\s+|the\s+)?"
    r"(?P<term>[A-Za-z][\w\-]*(?:\s+[\w\-]+){0,3}?)\s*(?:,\s+(?:which|where|in which)\b|:)",
    re.I,
)
# "If the key column in both ... contains duplicates, then the result is a many-to-many
# merge.": a condition that names what it produces.
_CONDITIONAL = re.compile(
    r"^(?:if|when)\s[^.;]{10,200}?,\s+(?:then\s+)?(?:the\s+result|it|this|we\s+have)\s+"
    r"(?:is|are)\s+(?:called\s+)?(?:an?|the)\s+(?P<term>[A-Za-z][\w\-]*(?:\s+[\w\-]+){0,3}?)"
    r"\s*[.;]?$",
    re.I,
)
FUNCTIONAL_STRENGTH = 0.8  # says what it is by what it does or yields
# "Resizing is allocating a new array ...": a process named by a gerund, defined by what it
# does.
_GERUND = re.compile(
    r"^(?:the\s+)?(?P<term>(?:[A-Za-z][\w\-]*\s+){0,3}[A-Za-z][\w\-]*ing)\s+(?:is|are)\s+"
    r"(?:the\s+(?:act|process|practice)\s+of\s+)?(?:[a-z]+ly\s+)?[a-z]{3,}ing\b",
    re.I,
)
# What a predicate opening with a judgement says is how the author finds the thing, not what
# it is ("Deletion is the subtle part of ...", "Programming is the perfect playground for ...",
# "Linear probing is fast in practice ...").
_JUDGEMENTS = frozenset(
    """subtle perfect tricky hard difficult easy important fast slow great nice interesting
    useful fun popular key main crucial powerful good bad best worst real big huge major only
    same whole first last next simplest easiest hardest biggest most least very really quite
    fairly pretty much more less no not also still just currently already often usually
    sometimes always never clear obvious natural better worse new old famous""".split()
)
# A sentence set in time: a date, a year, "at the time of writing" — history, not what the
# thing is.
_DATED = re.compile(
    r"\b(?:1[89]\d\d|20\d\d)\b|\bat the time of writing\b|\b(?:last|this|next) "
    r"(?:year|month|week|saturday|sunday|monday|tuesday|wednesday|thursday|friday)\b|"
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}\b",
    re.I,
)
# A term set in emphasis or code, then what it is in apposition: "`NaN` (Not a Number), a
# special value that ...", "the `block_size` (context length)", "the context length
# (`--block_size`)".
_MARKED = r"(?P<m>\*\*|__|\*|_|`)(?:--)?(?P<term>[A-Za-z][\w.\- ]{1,40}?)(?P=m)"
_APPOSITIVES = [
    re.compile(
        _MARKED + r"(?:\s*\([^()]{1,40}\))?,\s+(?:an?|the)\s+(?:[\w\-]+\s+){0,3}?[\w\-]+\s+"
        r"(?:that|which|of|where|in which|used|for|whose)\b"
    ),
    re.compile(_MARKED + r"\s+\((?:i\.e\.,?\s+|the\s+|an?\s+)?(?P<gloss>[a-z][a-z\- ]{3,40})\)"),
    # "the context length (`--block_size`)", "ease down on regularization (`--dropout=0.0`)"
    re.compile(
        r"\b(?:the|on|of|for|with)\s+(?P<gloss>[a-z][a-z\-]+(?: [a-z][a-z\-]+){0,3})\s+\(\s*"
        r"(?:i\.e\.,?\s+)?(?P<m>`)(?:--)?(?P<term>[A-Za-z_][\w.]{1,40})(?:=[^`\s]{1,20})?"
        r"(?P=m)\s*\)"
    ),
]
APPOSITIVE_STRENGTH = 0.7  # says what the term is, in passing: below a sentence that defines it
MIN_LEAD_WORDS = 4  # before a gloss: fewer is its own sentence's opening ("A `mask`, a ...")
_COPULA = re.compile(r"\s(?:is|are)\s+(?:(?:an?|the|one)\s+)?", re.I)
NAME_ZIPF = 4.0  # a capitalised single word rarer than this in English is a name ("Codex")
MIN_PREDICATE_WORDS = 4  # "Voice mode is a consumer toy." names a kind but says nothing of it


def definitional_terms(sentence: str) -> list[tuple[str, float]]:
    """Terms that ``sentence`` defines, with a strength in (0, 1].

    >>> definitional_terms("A large language model is a neural network trained on text.")
    [('large language model', 1.0)]
    >>> definitional_terms("Osmosis refers to the movement of water.")
    [('Osmosis', 1.0)]
    >>> definitional_terms("It is a good idea.")
    []
    """
    raw = fold(sentence).strip().lstrip("#>-+ \t")
    s = re.sub(r"\*\*|__|(?<!\w)[*_`]|[*_`](?!\w)", "", raw)
    s = s.strip().lstrip("#>-+ \t")
    s = re.sub(r"^[^\n:]{1,40}:[ \t]*\n\s*", "", s)  # "Clawd murmur:" on the line before
    if s.rstrip().endswith("?"):
        return []  # a question asks what something is; it does not say
    copula = None if _DATED.search(s) else _copula_definition(s)
    first = copula or _label_definition(s) or _inverted_definition(raw)
    out = [d for d in (first, _called(s)) if d] or _appositives(raw)
    # "By default, the join is a union of the input columns (`join='outer'`)": the sentence
    # gives a keyword argument's default, not what the term is.
    out = [d for d in out if not _keyword_argument(d[0], raw)]
    if not out:
        adjective = _adjective_definition(s)
        return [adjective] if adjective else []
    return out


def _keyword_argument(term: str, raw: str) -> bool:
    """Whether ``raw`` writes ``term`` as a keyword argument set to a value (``join='outer'``).

    >>> _keyword_argument("join", "By default, the join is a union (`join='outer'`).")
    True
    """
    if "=" not in raw:
        return False  # (most sentences: no pattern of the term to compile)
    return re.search(rf"\b{re.escape(term)}\s*=\s*['\"]", raw, re.I) is not None


def _copula_definition(s: str) -> tuple[str, float] | None:
    """ "X is a ...", "X refers to ...", "X, which is ...", "Resizing is allocating ...": the
    first pattern that names a clean term, unless what follows the copula is a judgement or
    too short to say anything."""
    m = _GERUND.match(s)
    if m:
        term = clean_term(m.group("term"))
        if term:
            return term, 0.9
    for pat, strength in _DEF_PATTERNS:
        needs = _DEF_NEEDS.get(pat)
        if needs is not None and needs.search(s) is None:
            continue
        m = pat.search(s)
        if not m:
            continue
        if "head" in m.groupdict() and (
            m.group("head").lower() in STOPWORDS or _ADJ_HEAD.search(m.group("head"))
        ):
            continue
        term = clean_term(m.group("term").strip("*_`\"' "))
        if term and pat is _DEF_PATTERNS[0][0] and _bare_referent(s[m.end() - 1 :]):
            continue
        if term and not _judgement(s, m.end("term"), named=_name_like(term)):
            return term, strength
    return None


def _bare_referent(predicate: str) -> bool:
    """Whether what follows "refers to"/"means" is too short to say what the term is: "while
    *indexing* refers to columns, *slicing* refers to rows:" names what it applies to here."""
    return len(re.findall(r"[\w'\-]+", predicate)) < MIN_PREDICATE_WORDS


def _judgement(s: str, after_term: int, *, named: bool = False) -> bool:
    """Whether the predicate after the copula following ``after_term`` is a judgement or a
    bare label ("is the subtle part of", "is fast in practice", "is a consumer toy."). A
    named thing's class alone says what it is ("Codex is a coding agent.", ``named``)."""
    m = _COPULA.search(s, after_term)
    if m is None or m.start() > after_term + 70:
        return False  # "refers to", "means": what follows says what it is
    rest = re.findall(r"[\w'\-]+", s[m.end() :])
    if not rest:
        return True
    return rest[0].lower() in _JUDGEMENTS or (len(rest) < MIN_PREDICATE_WORDS and not named)


def short_class(sentence: str, term: str) -> str | None:
    """The head noun of a predicate too short to say more than a class ("Codex is a B2B money
    printer." -> "printer"), or None when the predicate says more.

    >>> short_class("Codex is a coding agent.", "Codex")
    'agent'
    >>> short_class("A bucket is one slot of the table's array.", "bucket") is None
    True
    """
    at = fold(sentence).lower().find(term.lower())
    m = _COPULA.search(fold(sentence), at + len(term)) if at >= 0 else None
    if m is None or m.start() > at + len(term) + 70:
        return None
    rest = re.findall(r"[\w'\-]+", fold(sentence)[m.end() :])
    return rest[-1].lower() if 0 < len(rest) < MIN_PREDICATE_WORDS else None


def _appositives(raw: str) -> list[tuple[str, float]]:
    """Terms glossed in apposition ("`NaN` (Not a Number), a special value that ...")."""
    out: list[tuple[str, float]] = []
    for pat in _APPOSITIVES:
        for m in pat.finditer(raw):
            gloss = m.groupdict().get("gloss") or ""
            if gloss and gloss.split()[0] in STOPWORDS:
                continue
            name = m.group("term")
            if m.group("m") == "`" and "_" in name:
                name = name.replace("_", " ")  # `block_size`: the prose name "block size"
            term = clean_term(name.strip())
            if term and all(t != term for t, _ in out):
                out.append((term, APPOSITIVE_STRENGTH))
    return out


def _defined_outright(sentence: str, wanted: set[str]) -> bool:
    """Whether ``sentence`` defines one of the ``wanted`` (singular) names more strongly than
    an apposition does: then it is the definition whole, not a gloss in passing."""
    return any(
        _singular(t) in wanted and strength > APPOSITIVE_STRENGTH
        for t, strength in definitional_terms(sentence)
    )


def appositive_start(sentence: str, names: list[str]) -> int | None:
    """Where the apposition that glosses one of ``names`` starts in ``sentence``, when the
    sentence defines it only that way and only in passing, well after it opens: the rest of
    the sentence is about something else ("In the sentinel approach, ... such as `NaN` (Not a
    Number), a special value that ...").

    >>> s = "It could mark a missing value with `NaN` (Not a Number), a special value that is set."
    >>> s[appositive_start(s, ["nan"]):]
    '`NaN` (Not a Number), a special value that is set.'
    """
    wanted = {_singular(n) for n in names}
    if _defined_outright(sentence, wanted):
        return None
    for m in _APPOSITIVES[0].finditer(sentence):
        name = m.group("term").replace("_", " ") if m.group("m") == "`" else m.group("term")
        if _singular(name) in wanted and len(sentence[: m.start()].split()) >= MIN_LEAD_WORDS:
            return m.start()
    return None


def gloss_before(sentence: str, names: list[str]) -> tuple[int, int] | None:
    """Where a gloss set before the term's code name in parentheses is, when the sentence
    defines the term only that way, in passing: "... feel free to tune ... the context length
    (`--block_size`), the length of training, etc." gives "the context length
    (`--block_size`)". ``(start, end)`` in ``sentence``, or None.

    >>> s = "Feel free to tune the network, the context length (`--block_size`), and more."
    >>> a, b = gloss_before(s, ["block size"])
    >>> s[a:b]
    'the context length (`--block_size`)'
    """
    wanted = {_singular(n) for n in names}
    if _defined_outright(sentence, wanted):
        return None
    for m in _APPOSITIVES[2].finditer(sentence):
        name = m.group("term").replace("_", " ")
        if _singular(name) in wanted and len(sentence[: m.start()].split()) >= MIN_LEAD_WORDS:
            # "the context length (...)" keeps its article, "regularization (...)" drops "on"
            the = sentence[m.start() : m.start() + 3].lower() == "the"
            return (m.start() if the else m.start("gloss")), m.end()
    return None


# A sentence whose subject points back to the one before ("Generally, they revolve around
# ..."): it does not read on its own.
_POINTS_BACK = re.compile(r"(?:[A-Z][a-z]+,\s+)?(?:they|it|these|those|this)\s+[a-z]+", re.I)
_RELATIVE_GLOSS = re.compile(
    r"(?:\b(?:an?|the|[a-z]+ing\s+(?:an?|the))\s+)?"
    + _MARKED
    + r"\s+(?:that|which)\s+[^,;:.()]{4,120}"
)


def relative_gloss(sentence: str, names: list[str]) -> tuple[int, int] | None:
    """Where the term set in emphasis and the relative clause glossing it are, in a sentence
    that points back to another one for its subject: "Generally, they revolve around one of
    two strategies: using a *mask* that globally indicates missing values, or choosing a
    *sentinel value* that indicates a missing entry." gives "using a *mask* that globally
    indicates missing values" for the mask. ``(start, end)`` in ``sentence``, or None.

    >>> s = "Generally, they use a *mask* that marks missing values, or a *sentinel* that does."
    >>> a, b = relative_gloss(s, ["mask", "masking"])
    >>> s[a:b]
    'a *mask* that marks missing values'
    """
    if not _POINTS_BACK.match(sentence.lstrip()):
        return None
    wanted = {_singular(n) for n in names}
    for m in _RELATIVE_GLOSS.finditer(sentence):
        if _singular(m.group("term")) in wanted:
            end = m.end()
            cut = re.search(
                r"\s+(?:or|and|but)\s+(?:an?|the|[a-z]+ing)\b", sentence[m.start() : end]
            )
            return m.start(), m.start() + cut.start() if cut else end
    return None


def apposition_in_other_definition(sentence: str, names: list[str]) -> tuple[int, int] | None:
    """Where the apposition glossing one of ``names`` is, when the sentence defines another
    term and glosses this one on the way: "A **key-value pair** is a piece of data made of a
    key, which names the item, and a value, which is the information stored under that name."
    gives "a key, which names the item" for the key. ``(start, end)`` or None.

    >>> s = "A **key-value pair** is a piece of data made of a key, which names the item, and "
    >>> s += "a value, which is the information stored under that name."
    >>> a, b = apposition_in_other_definition(s, ["key", "keys"])
    >>> s[a:b]
    'a key, which names the item'
    """
    wanted = {_singular(n) for n in names}
    defined = {_singular(t) for t, _ in definitional_terms(sentence)}
    if not defined or defined & wanted:
        return None
    for n in sorted(names, key=len, reverse=True):
        m = re.search(
            rf"\b(?:an?|the)\s+{re.escape(n)},\s+(?:which|that is|i\.e\.)\s[^,;:.]+",
            sentence,
            re.I,
        )
        if m is not None:
            return m.start(), m.end()
    return None


def _name_like(term: str) -> bool:
    """A product's or project's name rather than a common phrase a sentence happens to open
    with: capitals past the first letter ("PyTorch", "OpenAI Codex") or a rare capitalised
    word ("Codex"; not "Voice mode")."""
    words = term.split()
    if any(c.isupper() for c in term[1:]):
        return True
    return len(words) == 1 and term[:1].isupper() and zipf(term.lower()) < NAME_ZIPF


def _inverted_definition(raw: str) -> tuple[str, float] | None:
    """ "The simplest rule is **linear probing**: if bucket i is taken, try i + 1 ...", "The
    simplest type of merge is the one-to-one join, which ...", "If ..., then the result is a
    many-to-many merge."."""
    m = _INVERTED.match(raw)
    if m:
        term = clean_term(m.group("term").strip("`\"' "))
        return (term, 0.9) if term else None
    plain = re.sub(r"\*\*|__|(?<!\w)[*_]|[*_](?!\w)", "", raw)
    for pat in (_INVERTED_KIND, _CONDITIONAL):
        m = pat.match(plain.replace("`", ""))
        term = clean_term(m.group("term").strip("`\"' ")) if m else None
        if term:
            return term, FUNCTIONAL_STRENGTH
    return None


def _label_definition(s: str) -> tuple[str, float] | None:
    """ "Right Triangle: When a triangle has ...": a label set in bold, then its statement."""
    m = _LABEL_DEF.search(s)
    if not m:
        return None
    words = m.group("term").split()
    first = m.group("first")
    opener = first.lower() in _LABEL_OPENERS or (
        first[:1].isupper() and any(stem(first) == stem(w) for w in words)
    )
    if not opener or (len(words) == 1 and words[0].lower() in _LABEL_PARTS):
        return None
    term = clean_term(m.group("term"))
    if term and term.lower() not in GENERIC_HEADINGS:
        return term, 0.9
    return None


def _called(s: str) -> tuple[str, float] | None:
    """ "... is called X", "what he calls X", "coined the term X"."""
    m = _CALLED.search(s) or _NAMED.search(s)
    term = clean_term(m.group("term")) if m else None
    return (term, 0.9) if term else None


def _adjective_definition(s: str) -> tuple[str, float] | None:
    """ "Points that lie on the same line are collinear.": a rare adjective defined."""
    for pat in _ADJ_DEFS:
        m = pat.search(s)
        if not m:
            continue
        term = m.group("term")
        if (
            term.lower() not in STOPWORDS
            and term.lower() not in GENERIC_WORDS
            and not term.endswith(("ing", "ed", "ly"))
            and zipf(term) < ADJ_DEF_ZIPF
        ):
            return term, 0.8
        return None
    return None


# A speaker or narrator label opening a line of a transcript ("Karpathy: I feel ...").
SPEAKER = re.compile(r"^([A-Z][a-z]+)(?:[ \t]+[A-Za-z]+){0,2}[ \t]*:", re.M)


# What every apposition gloss below has after its name: ", which", ", that is", ", i.e.".
_APPOSITION_TAIL = re.compile(r",\s+(?:which|that is|i\.e\.)\s")


def defines(sentence: str, names: list[str]) -> bool:
    """Whether ``sentence`` defines one of ``names`` (lower-case forms of one concept): it is a
    defining sentence for it, or glosses it in apposition ("made of a key, which names the
    item").

    >>> defines("A bucket is the place in the table's array where entries are kept.", ["bucket"])
    True
    >>> defines("A good hash function spreads keys over the buckets.", ["bucket"])
    False
    """
    wanted = {_singular(n) for n in names}
    for term, _ in definitional_terms(sentence):
        t = _singular(term)
        if t in wanted or any(t.endswith(" " + w) for w in wanted):
            return True
    plain = re.sub(r"\*\*|__|(?<!\w)[*_`]|[*_`](?!\w)", "", fold(sentence)).lower()
    # Name-free tests first: most sentences have no apposition or never name the concept, and
    # each name's pattern is compiled anew once the regex cache is full.
    if not _APPOSITION_TAIL.search(plain):
        return False
    return any(
        n in plain
        and re.search(rf"\b(?:an?|the)\s+{re.escape(n)}s?,\s+(?:which|that is|i\.e\.)\s", plain)
        for n in names
    )


def _singular(term: str) -> str:
    t = term.lower().strip()
    return t[:-1] if t.endswith("s") and not t.endswith("ss") else t
