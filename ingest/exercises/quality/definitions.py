"""Does a sentence say what a term is or does, rather than only mention or rate it?

* ``defines(reference, names)`` — the sentence says what one of the names *is* ("X is a ...",
  "X maps ...", "... is called X", "X: a ...");
* ``states(text, names)`` — one of the names is the subject of the sentence or a clause of it,
  with a verb soon after (a fact about it worth checking);
* ``rated(text, name)`` — "X is ..." is a verdict on X ("the subtle part", "fast"), not what
  X is; ``does_word`` — a verb saying what a thing does ("Returns").
"""

from __future__ import annotations

import re
from functools import lru_cache

from teachback.ingest.exercises.quality.form import VERB

# "A Pandas `Series` is ...", "The NumPy array is ...": one capitalised qualifier after an
# article, before the name
QUALIFIER = r"(?:(?-i:[A-Z][\w-]+)\s+)?"
# an article, then that qualifier ("Linear probing is ..." does not define "probing")
OPENER = r"(?:(?:a|an|the)\s+" + QUALIFIER + r")?"
# the name's end: "`Series` is", "``DataFrame``s are", "models are" (a word boundary right
# after the name, before any closing code or emphasis marks)
_AFTER = r"(?:s?\b[`*_]*|[`*_]+s?\b)"
_DEFINES = (
    r"(?:is|are|was|were|refers to|means|denotes|describes|represents|stands for|is called|"
    r"are called|is known as|is a name for)"
)


class _Lazy:
    """A regular expression compiled when first used (compiling one of the patterns below
    costs more than matching it against every sentence that names the term), and never for
    a text that lacks ``needs``: a name-free pattern for a part every match holds (the
    copula, "called", a colon), compiled once, which rules most texts out for every name."""

    __slots__ = ("args", "compiled", "needs")

    def __init__(self, pattern: str, flags: int = 0, needs: re.Pattern | None = None):
        self.args = (pattern, flags)
        self.compiled: re.Pattern | None = None
        self.needs = needs

    def _pattern(self) -> re.Pattern:
        if self.compiled is None:
            self.compiled = re.compile(*self.args)
        return self.compiled

    def search(self, text: str) -> re.Match | None:
        if self.needs is not None and not self.needs.search(text):
            return None
        return self._pattern().search(text)

    def match(self, text: str) -> re.Match | None:
        if self.needs is not None and not self.needs.search(text):
            return None
        return self._pattern().match(text)


# "the subtle part of ...", "the hardest step in ...": how the author rates the term, which a
# learner cannot be asked to give back as what the term is
VERDICT = re.compile(
    r"(?:the|an?)\s+(?:most\s+)?(?:subtle|subtlest|tricky|trickiest|hard|harder|hardest|"
    r"difficult|easy|easier|easiest|interesting|important|fun|best|worst|nice|neat)\s+"
    r"(?:part|bit|thing|aspect|step|piece)\b",
    re.I,
)


@lru_cache(maxsize=4096)
def _name_then_copula(name: str) -> re.Pattern:
    """Compiled once per name, like ``_definition_patterns`` (``re``'s own cache holds 512)."""
    return re.compile(rf"\b{re.escape(name)}\w*[`*_]*\s+(?:is|are)\s+", re.I)


# "Linear probing is fast in practice because ...": a judgement said of X (no article, no
# noun after it), which a learner asked "what is X?" cannot give back
JUDGEMENT = re.compile(
    r"(?:(?:very|quite|really|so|much|often|usually|generally|also)\s+)?(?:fast|faster|slow|"
    r"slower|quick|quicker|simple|simpler|easy|easier|hard|harder|difficult|useful|popular|"
    r"important|common|rare|cheap|cheaper|expensive|efficient|inefficient|powerful|convenient|"
    r"helpful|tricky|subtle|good|bad|great|better|worse|best|worst|nice|neat|handy|costly|"
    r"slick|elegant|clever|robust|fragile|wasteful|preferable|preferred)\b",
    re.I,
)


_COPULA = re.compile(r"\s(?:is|are)\s", re.I)  # (what every ``_name_then_copula`` match holds)
# ``_name_then_copula`` without the name: what follows it, and the word boundary before it
_COPULA_TAIL = re.compile(r"\w*[`*_]*\s+(?:is|are)\s+", re.I)
_BOUNDARY = re.compile(r"\b")


def rated(text: str, name: str) -> bool:
    """Is "X is/are ..." in ``text`` a verdict on X rather than what X is ("Deletion is the
    subtle part of ...", "Linear probing is fast in practice ...")?"""
    end = _COPULA.search(text) and _copula_end(text, name)
    return bool(end and (VERDICT.match(text, end) or JUDGEMENT.match(text, end)))


def _copula_end(text: str, name: str) -> int | None:
    """Where the first match of ``_name_then_copula(name)`` in ``text`` ends (None: no
    match). With an ASCII text and name the name's places are found by ``str.find`` and the
    name-free tail is matched after each, so the name's pattern is not compiled (thousands
    of names, ~0.5 ms each); the name is a literal, so the pattern's first match is the
    tail's match at the first place where both hold. (ASCII only: ``re.I`` also matches
    e.g. "K" to the Kelvin sign.)"""
    if not (text.isascii() and name.isascii()):
        m = _name_then_copula(name).search(text)
        return m.end() if m else None
    folded, low = text.lower(), name.lower()
    at = folded.find(low)
    while at >= 0:
        if _BOUNDARY.match(text, at):
            m = _COPULA_TAIL.match(text, at + len(low))
            if m:
                return m.end()
        at = folded.find(low, at + 1)
    return None


# name-free parts that every match of one of ``_definition_patterns`` holds (``_Lazy.needs``)
_NEEDS_DEFINES = re.compile(_DEFINES + r"\s+\S+\s+\S+", re.I)
_NEEDS_CALLED = re.compile(r"\b(?:called|known as|termed|named|for (?:it|this|that):?)\s", re.I)
_NEEDS_GLOSS = re.compile("[:\u2014]")
_NEEDS_DEICTIC = re.compile(r"(?:this|that|these|those)\s+(?:is|are)\s", re.I)
_NEEDS_APPOSITION = re.compile(
    r":\s+(?-i:an?|the|it|they)\s"
    r"|,\s+the\s+\w+\s+(?:of|that|which|in|for|by)\s"
    r"|,\s+which\s+(?:is|are|means|\w+s)\s"
    r"|\b(?:is|are)\s+(?:the|an?)\s+[\w-]+'s\s"
    r"|[,;]\s+(?:and|while|whereas)\s",
    re.I,
)
# The first two patterns of ``_definition_patterns`` cut at the name: what comes before it
# (ending where the name starts) and what comes after (from where it ends). With an ASCII
# text and name, the name's places are found by ``str.find``, and these name-free halves
# tell whether a pattern matches there without compiling it for that name.
_COPULA_BEFORE = re.compile(r"(?:^|[.!?]\s+|\bwhere\s+)" + OPENER + r"[`*_]*\Z", re.I)
_COPULA_AFTER = re.compile(
    _AFTER + r"\s*(?:\([^)]*\)\s*)?(?:,[^,]{0,60},\s*)?" + _DEFINES + r"\s+\S+\s+\S+", re.I
)
_OPENS_BEFORE = re.compile(r"\W*" + OPENER + r"[`*_]*", re.I)
_OPENS_AFTER = re.compile(_AFTER + r"((?:\s+\S+){1,6})", re.I)  # (``opens`` after the name)


def _places(folded: str, name: str) -> list[int]:
    """Where ``name`` (lower case) starts in ``folded``, overlapping places included."""
    out, at = [], folded.find(name)
    while at >= 0:
        out.append(at)
        at = folded.find(name, at + 1)
    return out


@lru_cache(maxsize=4096)
def _definition_patterns(name: str) -> tuple[_Lazy, ...]:
    """The patterns ``defines`` tries for one name (compiled once per name: the ``re``
    module's own cache holds 512 and a curriculum has thousands of names; and each only
    when first tried: ``defines`` stops at the first that matches)."""
    n = re.escape(name)
    flags = re.I
    return (
        # "X is a ...", "The X (…) , which …, refers to …"
        _Lazy(
            rf"(?:^|[.!?]\s+|\bwhere\s+){OPENER}[`*_]*{n}{_AFTER}\s*"
            rf"(?:\([^)]*\)\s*)?"
            rf"(?:,[^,]{{0,60}},\s*)?{_DEFINES}\s+\S+\s+\S+",
            flags,
            _NEEDS_DEFINES,
        ),
        # "A dictionary maps each key to a value", "The get method of a dictionary returns
        # a default": the name opens the sentence and a verb follows within a few words
        _Lazy(rf"^\W*{OPENER}[`*_]*{n}{_AFTER}((?:\s+\S+){{1,6}})", flags),
        # "... is called X", "... called the key's X", "... have a term for it: X"
        _Lazy(
            rf"(?<!so-)(?<!\()(?<!\(also )\b(?:called|known as|termed|named|"
            rf"(?:a|the) (?:term|name|word) for (?:it|this|that):?)\s+"
            rf"(?:an?\s+|the\s+)?(?:[\w-]+'s\s+)?"
            rf"[`*_\"“]*{n}",
            flags,
            _NEEDS_CALLED,
        ),
        _Lazy(rf"^\W*[`*_]*{n}[`*_]*\s*[:\u2014]\s*((\w+)\s+\w+.*)$", flags, _NEEDS_GLOSS),
        # "... That is a linear search" after the sentence it names
        _Lazy(
            rf"(?:^|[.!?]\s+)(?:this|that|these|those)\s+(?:is|are)\s+(?:called\s+|known as\s+)?"
            rf"(?:an?\s+|the\s+)?[`*_]*{n}",
            flags,
            _NEEDS_DEICTIC,
        ),
        # inside a sentence (a name opening it with a colon is a topic label, not a gloss): "a
        # X strategy: a rule for ...", "... is X: it has ..." (not "performing a join: the
        # type of set arithmetic used in the join", which glosses something else); a gloss
        # in apposition, "X, the tendency of ...", "X, which averages ..."; "... is the key's
        # X."; a clause of its own, "..., and double hashing uses a second hash function ..."
        _Lazy(
            rf"(?:(?<=\ba )|(?<=\ban )|(?<=\bis )|(?<=\bare ))[`*_]*{n}[`*_]*s?(?:\s+[a-z]+)?"
            rf"\s*:\s+(?-i:an?|the|it|they)\s+(?![^.;]*\b{n}\b)\w+"
            rf"|(?<=[a-z] )[`*_]*{n}[`*_]*s?\s*(?:,\s+the\s+\w+\s+(?:of|that|which|in|for|by)\s"
            rf"|,\s+which\s+(?:is|are|means|\w+s)\s)"
            rf"|\b(?:is|are)\s+(?:the|an?)\s+[\w-]+'s\s+[`*_]*{n}[`*_]*\W*$"
            rf"|[,;]\s+(?:and|while|whereas)\s+(?:(?:a|an|the)\s+)?[`*_]*{n}[`*_]*\s+"
            rf"(?-i:is|are|means|uses|tries|maps|stores|keeps|holds|returns|puts|places)\b",
            flags,
            _NEEDS_APPOSITION,
        ),
    )


def defines(reference: str, names: list[str]) -> bool:
    """Does ``reference`` say what one of ``names`` is ("X is a ...", "X maps ...", "... is
    called X", "X: a ...", "That is a X", "..., X, which averages ...")?"""
    t = " ".join(reference.split())
    folded = t.lower() if t.isascii() else None
    for name in names:
        name = name.strip()
        if not name:
            continue
        if folded is not None and name.isascii() and name.lower() not in folded:
            # every pattern holds the name itself (case-insensitively), so none can match;
            # skipping here saves compiling them (~2 ms a name, thousands of names).
            # (ASCII only: ``re.I`` also matches e.g. "K" to the Kelvin sign.)
            continue
        copula, opens, called, gloss_pat, deictic, apposition = _definition_patterns(name)
        if rated(t, name):
            continue  # "Deletion is the subtle part of ...": said of it, not what it is
        places = _places(folded, name.lower()) if folded is not None and name.isascii() else None
        if places is None:
            said = copula.search(t)
        else:  # (the copula pattern matches iff both its halves do around one place)
            said = any(
                _COPULA_BEFORE.search(t, 0, p) and _COPULA_AFTER.match(t, p + len(name))
                for p in places
            )
        if said or called.search(t) or deictic.search(t) or apposition.search(t):
            return True
        starts = None if places is None else [p for p in places if _OPENS_BEFORE.fullmatch(t, 0, p)]
        if starts == []:
            continue  # (nor can ``opens`` or ``gloss_pat``: both need the name first)
        after = _opened(t, name, starts, opens)
        if (
            after is not None
            and VERB.search(after)
            and not SECONDARY.match(after)
            and len(t.split()) >= len(name.split()) + 4
        ):
            return True
        gloss = _glossed(t, name, places, gloss_pat)
        if gloss and (
            gloss.group(2).islower() or not VERB.search(gloss.group(1)) or does_word(gloss.group(2))
        ):
            # glossary: "Rehashing: recomputing every key's bucket ...", "Bucket: A slot in
            # the array.", "``fillna``: Returns a copy of the data ..." (what it does); not
            # a topic label over a claim ("Career Choice: Working in a lab is not free.",
            # "Productivity Anxiety: The current anxiety ... is about tokens.")
            return True
    return False


# What the name opening a sentence "can also be" or "may be" made to do is a further use of a
# thing already defined elsewhere ("A union can also be emulated using FFI_TYPE_STRUCT", "X
# also supports ..."), not what it is; "can be thought of as a ..." still says what it is.
SECONDARY = re.compile(
    r"\s*(?:\w+ly\s+)?(?:also\b|(?:can|could|may|might|must|should|will|would|shall)\s+"
    r"(?:also\b|(?:not\s+)?be\s+(?!(?:thought|seen|viewed|described|defined|understood|"
    r"regarded|considered|interpreted|written|expressed)\b)\w+ed\b))",
    re.I,
)


def _opened(t: str, name: str, starts: list[int] | None, opens: _Lazy) -> str | None:
    """``opens.match(t).group(1)`` (None: no match): the few words after the name that opens
    ``t``. ``starts``: the places of the name that ``_OPENS_BEFORE`` reaches from the start
    (None: not known). At one such place the match is the one ``_OPENS_AFTER`` makes there,
    so the name's own pattern is not compiled (thousands of names, ~1 ms each); at several,
    which one the pattern takes is left to the pattern."""
    if starts is not None and len(starts) == 1:
        m = _OPENS_AFTER.match(t, starts[0] + len(name))
    else:
        m = opens.match(t)
    return m.group(1) if m else None


# ``gloss_pat`` (the fourth of ``_definition_patterns``) cut at the name, as the copula's
_GLOSS_BEFORE = re.compile(r"\W*[`*_]*", re.I)
_GLOSS_AFTER = re.compile(r"[`*_]*\s*[:\u2014]\s*((\w+)\s+\w+.*)$", re.I)


def _glossed(t: str, name: str, places: list[int] | None, gloss_pat: _Lazy) -> re.Match | None:
    """``gloss_pat.match(t)``, its groups numbered alike. ``places``: where the name starts
    in ``t`` (None: not known). The name must open ``t``, after marks only: at no such
    place there is no match; at one, the match is the one ``_GLOSS_AFTER`` makes after
    it, so the name's own pattern is not compiled; at several, the pattern decides."""
    if places is not None:
        starts = [p for p in places if _GLOSS_BEFORE.fullmatch(t, 0, p)]
        if not starts:
            return None
        if len(starts) == 1:
            return _GLOSS_AFTER.match(t, starts[0] + len(name))
    return gloss_pat.match(t)


def does_word(word: str) -> bool:
    """A verb saying what a thing does ("Returns", "Generates"), not "Is"/"Has"."""
    low = word.lower()
    return (
        low.endswith("s") and low not in ("is", "was", "has", "does") and bool(VERB.fullmatch(low))
    )


@lru_cache(maxsize=4096)
def _subject_pattern(name: str) -> re.Pattern:
    n = re.escape(name)
    return re.compile(
        rf"(?:^\W*(?:(?:while|whereas|although|unlike|if|when|because|since)\s+)?|"
        rf"[,;]\s+(?:(?:and|but|while|whereas|so)\s+)?){OPENER}"
        rf"[`*_]*{n}{_AFTER}((?:\s+[^\s,;]+){{1,5}})",
        re.I,
    )


def states(text: str, names: list[str]) -> bool:
    """Is one of ``names`` the subject of ``text`` or of one of its clauses, with a verb
    soon after ("The `iloc` attribute allows ...", "..., slicing refers to rows")? Such a
    sentence says what the thing is, does or how it differs: a fact worth checking."""
    t = " ".join(text.split())
    for name in names:
        name = name.strip()
        if not name:
            continue
        for m in _subject_pattern(name).finditer(t):
            after = m.group(1).split()
            head = m.group(0)[: m.start(1) - m.start()]
            coded = "`" in head[-3:]
            if after and coded and after[0].lower() in _ROLES:
                after = after[1:]  # "The `iloc` attribute allows ..."
            while after and after[0].lower() in _ADVERBS:
                after = after[1:]
            # the name is the head of the subject, not a modifier ("Pandas objects can ...")
            if after and VERB.fullmatch(after[0].strip("`*_")):
                return True
    return False


_ROLES = frozenset(
    "attribute method function object objects type class module operation step parameter "
    "argument keyword indexer property".split()
)
_ADVERBS = frozenset(
    "also always never often then still now only just not usually generally typically "
    "essentially simply basically first".split()
)
