"""What a cloze blank must not do: sit inside a code name, ask for a throwaway name, leave in
the sentence the word that tells a multi-word answer apart, or blank a word of a sentence that
is about something else. Pure checks that return a reason, else "".
"""

from __future__ import annotations

import re

from teachback.ingest.exercises.quality.definitions import defines, states
from teachback.ingest.exercises.text import STOPWORDS


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


# "the _____, too, keeps ...", "`_____` objects also have many of the attributes familiar from
# NumPy arrays": the blank's claim is said of it *as well as* of something else, which fits the
# blank just as well. A bare "also" is not enough: "The `_____` also supports partial indexing,
# or indexing just one of the levels" adds a claim of the blank's own
_SHARED = re.compile(
    r"_____\W*(?:\s+\w+){0,2}?\s+(?:too|likewise|as\s+well)\b|"
    r"_____\W*,\s*(?:too|also|as\s+well)\b|"
    r"_____\W*(?:\s+\w+){0,2}?\s+also\b(?!\s+(?:called|known|named|termed|referred))"
    r"[^.;:]*\b(?:like|familiar|similar|same\s+as|just\s+as|as\s+in|as\s+with)\b",
    re.I,
)


def shared_property(prompt: str, blank: str = "_____") -> str:
    """The blanked subject's claim is one the sentence says it shares with something else
    ("`_____` objects also have many of the attributes familiar from NumPy arrays": ``Series``
    objects have them too): more than one term fills the blank."""
    if _SHARED.search(prompt.replace(blank, "_____")):
        return "the sentence says the blank shares its claim with something else ('also')"
    return ""


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


# "... can take very little time, e.g. on a single GPU just a few minutes": how long a run
# takes on someone's machine, not what the thing is or does
# (a cost in steps, "takes the same short time whether i is 3 or 3,000,000", is a fact of it)
_RUN_TIME = re.compile(
    r"\bvery little time\b|"
    r"\b(?:a few|few|several|\d+)\s+(?:milli)?(?:seconds?|minutes?|hours?|days?|weeks?)\b",
    re.I,
)
# the blank opens the sentence as its subject, a word (its verb) after it: "_____ never
# copies the labels ...", "A _____ happens when ..." (not "The _____ of ...", "_____ and ...")
_OPENS_WITH = (
    r"\W*(?:(?:a|an|the|every|each|any)\s+)?[`*_]*{blank}[`*_]*s?\s+(?!(?:of|and|or|in|on|for|to|with)\b)"
    r"[a-z]\w*\s+\w"
)
# words that name no idea of their own ("in the two _____" -> "objects")
_GENERIC = frozenset(
    "object value item element thing data type kind way part function method class".split()
)
# a library's or language's things in general: "Pandas objects", "Python data types"
_CATEGORY = re.compile(
    r"(?-i:[A-Z][\w-]*)(?:\s+\w+)?\s+(?:objects?|things?|items?|elements?|data|types?|structures?)",
    re.I,
)
# verbs that say nothing of their own ("the _____ get subtracted")
_LIGHT = frozenset("get gets got make makes made need needs go goes went".split())
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+")
# an opening clause that gives a reason or a condition, up to its comma
_CONDITION = re.compile(r"\W*(?:because|since|if|when|once|as soon as)\b[^,;]*,", re.I)
# a sentence that opens by defining something: "A key-value pair is a ..."
_DEFINED = re.compile(
    r"\W*(?:an?|the)\s+([\w`*-]+(?:\s+[\w`*-]+){0,3}?)\s+(?:is|are)\s+(?:an?|the)\s+\w+", re.I
)


def _own_sentence(prompt: str, blank: str) -> str:
    """The sentence of ``prompt`` that holds the blank (a prompt may add a context sentence)."""
    return next((p for p in _SENTENCE_END.split(prompt) if blank in p), prompt)


def _said_of_it(sentence: str, blank: str) -> list[str]:
    """The content words of what the sentence says of the blank: after it, or before it when
    it ends the sentence ("... the sequence of buckets it visits is the key's _____.")."""
    before, rest = sentence.split(blank, 1)
    if not re.search(r"\w", rest):
        rest = before
    return [
        w
        for w in re.findall(r"[A-Za-z][\w-]{2,}", rest)
        if w.lower() not in STOPWORDS and w.lower() not in _LIGHT
    ]


def not_its_subject(prompt: str, answer: str, blank: str = "_____") -> str:
    """A blank that is not what its sentence is about: the blanked term is not the subject of
    the sentence or of a clause of it ("Resizing is allocating a new, larger bucket _____" asks
    for "array" in a sentence about resizing: a word, not the idea), or what the sentence
    says of it is too little to pin it ("the _____ get subtracted") or a run time ("_____ can
    take very little time"), where another term fits as well."""
    sentence = _own_sentence(prompt, blank)
    filled = sentence.replace(blank, answer)
    if _CATEGORY.fullmatch(answer.strip()):
        # "_____ can be thought of as enhanced versions of NumPy structured arrays" ->
        # "Pandas objects": each kind of them ("DataFrames") fits the blank as well
        return f"{answer!r} names a category: a member of it fits the blank as well"
    opens = re.match(_OPENS_WITH.format(blank=re.escape(blank)), sentence, re.I)
    if not (opens or states(filled, [answer]) or defines(filled, [answer])):
        return f"the sentence is about something else: the blank asks for the word {answer!r}"
    condition = _CONDITION.match(sentence)
    if condition and blank in condition.group(0):
        # "Because the _____ grows as entries are added, a hash table must grow too.": a
        # reason given for the main clause, which is about something else
        return "the blank is in a clause that gives a reason or a condition for something else"
    defined = _DEFINED.match(filled)
    if defined and not defines(defined.group(0), [answer]):
        # "A key-value pair is a piece of data made of a _____, which names the item, and a
        # value, ...": a definition of the pair; blanking each of its parts asks it twice
        return f"the sentence defines {defined.group(1)!r}, not {answer!r}"
    if len(_said_of_it(sentence, blank)) < 2:
        return f"the sentence says too little of {answer!r} to pin it"
    if _RUN_TIME.search(filled):
        return "a fact about how long something takes, not what it is or does"
    if len(sentence.split()) <= 10 and re.search(r"\b(?:it|this|that)\W*$", sentence):
        # ("`_____` gives us a few ways to handle it."; in a longer sentence "it" has a noun
        # to refer to: "... every bucket holds the entries whose keys hash to it")
        return "what it says leans on 'it'/'this', which the sentence does not name"
    return ""


def not_defining_sentence(prompt: str, names: list[str], answer: str, blank: str = "_____") -> str:
    """A blank in a sentence that does not define the concept it belongs to (another key term
    blanked is worth asking only in the concept's own definition)."""
    if answer.strip().lower().rstrip("s") in _GENERIC:
        return f"the blank asks for {answer!r}, a word any sentence could hold"
    filled = _own_sentence(prompt, blank).replace(blank, answer)
    if defines(filled, names):
        return ""
    return f"the sentence does not say what {names[0]!r} is; the blank asks for a word of it"
