"""What a teacher checks before handing an exercise out, as pure functions on its text.

Each check returns a reason (a short sentence) when the exercise fails it, else "". They are
shared by the self-check (``selfcheck.py``, which rejects on them) and the rubric audit
(``benchmarks/exercises.py``, which reports them on a sample):

* ``dangling(text)`` — leans on something not shown: "this", "above", "here", "the following"
  ("This is why it fails." / "as shown above");
* ``not_a_statement(text)`` — a question, a heading, a list item or a fragment where a whole
  declarative sentence is needed (true/false statements, cloze sentences);
* ``narrative(text)`` — about the author or the story of the text ("I ...", "So here we go"),
  not about the subject;
* ``defines(reference, names)`` — whether a reference answer says what the term *is*;
* ``blanks_identifier(prompt, answer)`` — a cloze blank inside a code name or a code span.

Not handled: real grammar (no parser); the checks catch the shapes that failed in audits.
"""

from __future__ import annotations

import re
from functools import lru_cache

_CODE = re.compile(r"```.*?```|`[^`\n]*`", re.S)
_DANGLING_OPEN = re.compile(
    r"^\W*(this|that|these|those|it|they|them|he|she|his|her|their|its|such|here|there|"
    r"the following|the above|"
    r"the latter|the former|the same|both|but|or|thus|hence|so here|of these|of those|"
    r"in each case|in this case|in both cases|with this|as before|equivalently|"
    r"however|therefore|instead|similarly|likewise|otherwise)\b",
    re.I,
)
_DANGLING_ANY = re.compile(
    r"\b(above|below|the following|as follows|the previous|the next (?:cell|section|chapter|"
    r"example|line)|shown here|see here|this (?:post|article|chapter|section|notebook|video|"
    r"script|repo|repository|file|cell|example|figure|table|code|lecture|page|tutorial|book)|"
    r"in (?:the )?(?:figure|table) \d|here's|here is|this (?:difficulty|problem|issue|approach|"
    r"limitation|behaviou?r|idea|technique|trick|situation)|these|those|the opposite|"
    r"the reverse|the other one|than both|both of them)\b",
    re.I,
)
_QUESTION_OPEN = re.compile(
    r"^\W*(why|how|what|when|where|which|who|whom|whose|is|are|was|were|do|does|did|can|"
    r"could|should|would|will|shall|may|might)\b",
    re.I,
)
_FIRST_PERSON = re.compile(r"\b(I|I'm|I've|I'd|I'll|me|my|mine|myself)\b")
_NARRATIVE = re.compile(
    r"^\W*(sadly|luckily|fortunately|unfortunately|indeed|ok|okay|well|anyway|note|tip|"
    r"in short|in summary|let's|let us|we'll|we will|you'll|you will)\b",
    re.I,
)
_REPORTED = re.compile(
    r"\b(?:reported|joked|said|says|told|tweeted|tweet|reveals|revealed|recalled|admitted|"
    r"podcast|interview)\b",
    re.I,
)
# "which we'll discuss momentarily", "as we will see later": the sentence promises text
# that the learner is not shown
_AHEAD = re.compile(
    r"\b(?:we(?:'ll| will| shall)|you(?:'ll| will))\s+(?:\w+\s+)?(?:discuss|see|look|explore|"
    r"cover|return|come back|learn|get to|dive|find)\b|\bmomentarily\b|\blater (?:in|on)\b|"
    r"\bin (?:the|a) (?:next|later|following|coming) (?:section|chapter|notebook|part)\b|"
    r"\byou(?:'ve| have)? (?:saw|seen)\b|\bwe(?:'ve| have)? (?:saw|seen)\b",
    re.I,
)
_VERB = re.compile(
    r"\b(?:is|are|was|were|be|been|being|has|have|had|can|cannot|could|will|would|should|"
    r"must|may|might|does|do|did|isn't|aren't|doesn't|don't|won't|can't|"
    r"(?:allow|use|need|let|make|take|give|hold|store|contain|return|provide|produce|create|"
    r"compute|map|keep|become|work|run|call|define|represent|describe|include|consist|depend|"
    r"apply|get|set|show|add|remove|change|follow|support|handle|find|build|read|write|load|"
    r"save|train|learn|mean|help|refer|lead|cause|avoid|reduce|increase|grow|shrink|split|"
    r"combine|join|merge|group|sort|select|index|count|compare|match|fill|drop|replace|point|"
    r"appear|occur|exist|differ|require|result|act|behave|say|tell|let|come|go|look|seem|"
    r"fit|fail|pass|check|accept|ignore|produce|generate|predict|sample|scale|reach|cost|"
    r"take|spend|start|stop|end|begin|move|copy|treat|turn|convert|evaluate|store|print|"
    r"happen|land|hash|probe|walk|scan|share|pile|sit|suit|rise|see|resolve|reuse|spread|"
    r"assign|wrap|insert|delete|look|grow|rehash|slow|speed|double|halve|break|hit|miss|"
    r"fall|mean|choose|pick|put|leave|lose|win|pay|feel|know|think|try|want|matter|belong|"
    r"contain|remain|stay|vary|operate|perform|implement|inherit|extend|override|expose|"
    r"accept|raise|throw|yield|emit|encode|decode|parse|render|display|plot|draw|fit|"
    r"predict|optimi[sz]e|minimi[sz]e|maximi[sz]e|update|reset|clear|fire|trigger|wait)"
    r"(?:s|es|ed|d)?|tries|tried|\w{3,}ed)\b",
    re.I,
)
# words that open a sentence to link it to the one before, not part of its claim
CONNECTIVES = (
    "first", "second", "third", "finally", "also", "thus", "hence", "so", "then", "now",
    "similarly", "likewise", "naturally", "generally", "typically", "in addition",
    "additionally", "moreover", "furthermore", "in general", "in practice", "by default",
    "for example", "for instance", "in particular", "in short", "again", "here", "still",
    "as a result", "in this case", "conversely", "alternatively", "importantly", "notice that",
    "note that", "recall that", "remember that", "keep in mind that",
)  # fmt: skip
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


def prose(text: str) -> str:
    """The text without its code (fenced blocks and inline code spans)."""
    return " ".join(_CODE.sub(" CODE ", text).split())


LEADING = re.compile(r"^(?:" + "|".join(CONNECTIVES) + r")\b,?\s+", re.I)
# a trailing aside that points elsewhere: ", which we'll discuss in more detail momentarily"
_ASIDE = re.compile(
    r",\s+(?:which|as|and)\s+(?:we|you)(?:'ll|\s+will|\s+shall)\b[^,;.]*[:.]?$", re.I
)


# a pointer to another part of the book: "(see the discussion in Sorted and Unsorted Indices)"
_SEE = re.compile(r"\s*\([^()]*\b(?:see|cf\.?|discussed in)\b[^()]*\)", re.I)


def tidy(sentence: str) -> str:
    """A source sentence as a statement standing on its own: a linking word that opens it
    dropped ("First, the `loc` attribute ..." -> "The `loc` attribute ..."), an aside that
    points ahead cut (", which we'll discuss momentarily"), and the colon that introduces
    an example made a full stop. Returns the sentence unchanged when nothing applies."""
    text = " ".join(sentence.split())
    rest = LEADING.sub("", text, count=1)
    if rest != text and rest[:1].isalpha():
        text = rest[0].upper() + rest[1:]
    text = _ASIDE.sub(".", text)
    text = _SEE.sub("", text)
    if text.endswith(":"):
        text = text[:-1].rstrip() + "."
    return text


@lru_cache(maxsize=4096)
def _appositive(name: str) -> re.Pattern:
    """ "..., NAME, the tendency of ...", "..., NAME, which averages ...": the name glossed
    in apposition (group 1 the name as written, 2 "which", 3 the gloss)."""
    n = re.escape(name)
    return re.compile(
        rf"(?<![\w-])([`*_]*{n}s?[`*_]*),\s+(?:(which)\s+)?"
        rf"((?:(?:the|an?)\s+\w+\s+(?:of|that|which|in|for|by|where|used|whose)\b|"
        rf"(?:is|are|was|were|means|\w+s)\b)[^:;]*?)\s*(?:[:;]|[.!]?$)",
        re.I,
    )


def standalone(sentence: str, names: list[str] | tuple[str, ...]) -> str:
    """A sentence that leans on the one before it but glosses one of ``names`` in apposition,
    as the statement it makes of that name: "Its weakness is primary clustering, the
    tendency of occupied buckets to form long unbroken runs: ..." -> "Primary clustering is
    the tendency of occupied buckets to form long unbroken runs."; "That is an example of
    amortized analysis, which averages the cost ..." -> "Amortized analysis averages the
    cost ...". Any other sentence is returned as ``tidy`` makes it."""
    text = tidy(sentence)
    if not dangling(text):
        return text
    for name in names:
        if not name.strip():
            continue
        m = _appositive(name.strip()).search(text)
        if not m:
            continue
        subject, which, gloss = m.group(1), m.group(2), m.group(3).strip().rstrip(",")
        if which or re.match(r"(?:is|are|was|were)\b", gloss, re.I):
            said = gloss  # "which averages ..." -> "averages ..."
        else:  # "the tendency of ..." -> "is the tendency of ..."
            plural = re.search(r"s[`*_]*$", subject) and not name.endswith("s")
            said = f"{'are' if plural else 'is'} {gloss}"
        if len(said.split()) < 4:
            continue
        subject = subject[0].upper() + subject[1:] if subject[:1].isalpha() else subject
        out = f"{subject} {said}."
        return text if dangling(out) else out
    return text


_PRONOUN = re.compile(r"\b(?:they|them)\b", re.I)


def dangling(text: str) -> str:
    t = prose(text)
    # "they"/"them" in the first clause have no noun before them to refer to ("The
    # birthday paradox shows how soon they arrive"); later, they may ("..., but they pile up")
    first = re.split(r"[,;:]", t, maxsplit=1)[0]
    m = _DANGLING_OPEN.match(t) or _DANGLING_ANY.search(t) or _PRONOUN.search(first)
    if m:
        return f"leans on something not shown ({m.group(0).strip(' ,')!r})"
    return ""


def not_a_statement(text: str) -> str:
    raw = text.strip()
    t = prose(raw)
    if not t:
        return "no sentence"
    if raw.startswith(("#", "-", "*", "$", ">", "|")) or re.match(r"^\d+[.)]\s", raw):
        return "a heading, list item or command, not a sentence"
    if t.endswith("?") or _QUESTION_OPEN.match(t):
        return "a question, not a statement"
    if not t[:1].isupper():
        return "a fragment (does not start a sentence)"
    if t.endswith((":", ",", ";", "-", "(")):
        return "an unfinished sentence"
    if not re.search(r"[.!][)\]\"'”’]*$", t):
        return "not a whole sentence (no final full stop)"
    if len(re.findall(r"[A-Za-z]+", t)) < 5:
        return "too short to be a statement"
    if not _VERB.search(_strip_names(t)):
        return "no verb: a heading or label, not a statement"
    return ""


@lru_cache(maxsize=4096)
def _keyword_pattern(name: str) -> re.Pattern:
    return re.compile(rf"`[^`\n]*(?<![\w.]){re.escape(name)}\s*=[^=]", re.I)


def keyword_sense(text: str, names: list[str]) -> str:
    """The name written as a keyword argument in the sentence's code ("The join is a union of
    the input columns (`join='outer'`)"): the sentence is about that parameter, and a learner
    asked "what is a join?" would answer about another sense of the word."""
    if "`" not in text:
        return ""
    for name in names:
        if name.strip() and _keyword_pattern(name.strip()).search(text):
            return f"it is about the `{name.strip()}=` argument, not the idea of that name"
    return ""


def _strip_names(t: str) -> str:
    return re.sub(r"\bCODE\b", " ", t)


def narrative(text: str) -> str:
    t = prose(text)
    m = _AHEAD.search(t)
    if m:
        return f"points ahead to text not shown ({m.group(0).strip()!r})"
    if _FIRST_PERSON.search(t):
        return "about the author (first person), not the subject"
    if re.search(r"![)\]\"'”’]*$", t):
        return "an exclamation in the author's voice, not a fact to check"
    m = _NARRATIVE.match(t) or _REPORTED.search(t)
    if m:
        return f"a remark in the author's voice ({m.group(0).strip()!r}), not a fact to check"
    return ""


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


def rated(text: str, name: str) -> bool:
    """Is "X is/are ..." in ``text`` a verdict on X rather than what X is ("Deletion is the
    subtle part of ...", "Linear probing is fast in practice ...")?"""
    m = _COPULA.search(text) and _name_then_copula(name).search(text)
    return bool(m and (VERDICT.match(text, m.end()) or JUDGEMENT.match(text, m.end())))


# name-free parts that every match of one of ``_definition_patterns`` holds (``_Lazy.needs``)
_NEEDS_DEFINES = re.compile(_DEFINES + r"\s+\S+\s+\S+", re.I)
_NEEDS_CALLED = re.compile(r"\b(?:called|known as|termed|named)\s", re.I)
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
        # "... is called X", "... called the key's X"
        _Lazy(
            rf"(?<!so-)(?<!\()(?<!\(also )\b(?:called|known as|termed|named)\s+"
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
        if places is not None and not any(_OPENS_BEFORE.fullmatch(t, 0, p) for p in places):
            continue  # (nor can ``opens`` or ``gloss_pat``: both need the name first)
        m = opens.match(t)
        if m and _VERB.search(m.group(1)) and len(t.split()) >= len(name.split()) + 4:
            return True
        gloss = gloss_pat.match(t)
        if gloss and (
            gloss.group(2).islower()
            or not _VERB.search(gloss.group(1))
            or does_word(gloss.group(2))
        ):
            # glossary: "Rehashing: recomputing every key's bucket ...", "Bucket: A slot in
            # the array.", "``fillna``: Returns a copy of the data ..." (what it does); not
            # a topic label over a claim ("Career Choice: Working in a lab is not free.",
            # "Productivity Anxiety: The current anxiety ... is about tokens.")
            return True
    return False


def does_word(word: str) -> bool:
    """A verb saying what a thing does ("Returns", "Generates"), not "Is"/"Has"."""
    low = word.lower()
    return (
        low.endswith("s") and low not in ("is", "was", "has", "does") and bool(_VERB.fullmatch(low))
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
            if after and _VERB.fullmatch(after[0].strip("`*_")):
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


def modifier_left(prompt: str, answer: str, blank: str = "_____") -> str:
    """A word that tells a multi-word answer apart ("right" of "right join") still in the
    sentence ("... over the left entries and right entries, respectively"): the answer is
    given away."""
    parts = [w for w in re.findall(r"[A-Za-z][\w-]*", answer.lower())]
    if len(parts) < 2:
        return ""
    if answer.lower() in prompt.lower():
        return ""  # (the whole answer shown: the self-check's answer_revealed says so)
    rest = set(re.findall(r"[a-z][\w-]*", prompt.replace(blank, " ").lower()))
    for w in parts[:-1]:
        if len(w) >= 3 and w in rest:
            return f"the sentence still says {w!r}, which tells the answer apart"
    return ""


_THROWAWAY = frozenset(
    "x y z i j k n m df s t a b c tmp temp foo bar baz data result res val var obj arr lst".split()
)


def blanks_identifier(prompt: str, answer: str, blank: str = "_____") -> str:
    """A blank that is part of a code name (``_____/finetune.py``, ``n_____``) or inside a code
    span, or an answer that is itself a code identifier (unless the blank is a whole code
    span: "The `_____` attribute ..." asks for the whole name, not a fragment of it)."""
    wholes = 0
    for m in re.finditer(re.escape(blank), prompt):
        before = prompt[max(0, m.start() - 1) : m.start()]
        if re.match(r"[\w./\\(\[-]", before) or re.match(r"[\w/\\(\[]|\.\w", prompt[m.end() :]):
            return "the blank is part of a longer code name"
        whole = prompt[m.start() - 1 : m.end() + 1] == f"`{blank}`"
        if prompt[: m.start()].count("`") % 2 == 1 and not whole:
            return "the blank is inside code"
        wholes += whole
    a = str(answer).strip()
    if a.lower() in _THROWAWAY or (len(a) <= 2 and not a.isupper()):
        return f"the answer {a!r} is a throwaway name, not a term"
    if (
        not (wholes and wholes == prompt.count(blank))
        and re.fullmatch(r"[A-Za-z_][\w.]*", a)
        and ("_" in a or "." in a or re.search(r"[a-z][A-Z]", a))
    ):
        return f"the answer {a!r} is a code identifier, not a term"
    return ""
