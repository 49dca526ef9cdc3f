"""A source sentence made a statement that stands on its own (pure text functions).

``tidy`` drops what links a sentence to the one before it or points elsewhere; ``standalone``
also turns a sentence that leans on the one before, but glosses a term in apposition, into
the statement it makes of that term.
"""

from __future__ import annotations

import re
from functools import lru_cache

from teachback.ingest.exercises.quality.form import dangling

# words that open a sentence to link it to the one before, not part of its claim
CONNECTIVES = (
    "first", "second", "third", "finally", "also", "thus", "hence", "so", "then", "now",
    "similarly", "likewise", "naturally", "generally", "typically", "in addition",
    "additionally", "moreover", "furthermore", "in general", "in practice", "by default",
    "for example", "for instance", "in particular", "in short", "again", "here", "still",
    "as a result", "in this case", "conversely", "alternatively", "importantly", "notice that",
    "note that", "recall that", "remember that", "keep in mind that",
)  # fmt: skip
LEADING = re.compile(r"^(?:" + "|".join(CONNECTIVES) + r")\b,?\s+", re.I)
# a trailing aside that points elsewhere: ", which we'll discuss in more detail momentarily",
# "... a number of options that we'll discuss momentarily"
_ASIDE = re.compile(
    r"(?:,\s+(?:which|as|and)|\s+that)\s+(?:we|you)(?:'ll|\s+will|\s+shall)\b[^,;.]*[:.]?$",
    re.I,
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


# a glossary entry: "Hash function: a deterministic function ...", "Rehashing: recomputing
# ..." (the gloss a noun phrase with its article, or a gerund's phrase)
_GLOSSARY = re.compile(
    r"^[*_`]*(?P<term>[^:*_`]{2,60}?)[*_`]*\s*:\s+(?P<gloss>(?:(?:an?|one|the)\s+|[a-z]+ing\s+)"
    r"[^:;]*?[a-z)`])\.?$"
)

# a gloss that says something itself, not a noun phrase
_CLAUSE = re.compile(r"\b(?:is|are|was|were|i|you|we|he|she|they|think|thinks|said|says)\b", re.I)


def glossary_entry(text: str, names: list[str] | tuple[str, ...]) -> str:
    """A glossary line for one of ``names`` as the sentence it stands for: "Hash function: a
    deterministic function from keys to whole numbers." -> "A hash function is a
    deterministic function from keys to whole numbers."; "Rehashing: recomputing every
    key's bucket ..." -> "Rehashing is recomputing every key's bucket ..."; "" for any other
    line (a gloss without its article, "Load factor: entries divided by buckets.", is not
    made one: which article it takes is not known)."""
    m = _GLOSSARY.match(text)
    if m is None:
        return ""
    term = m.group("term").strip()
    name = next((n for n in names if n.strip() and n.lower() == term.lower()), "")
    if not name:
        return ""
    gloss = m.group("gloss")
    if _CLAUSE.search(gloss):
        return ""  # ("Karpathy: a lot of people think ...": a speaker's words, not a gloss)
    if gloss.split()[0].lower() in ("a", "an", "one"):
        subject = f"{'An' if name[0].lower() in 'aeiou' else 'A'} {name}"
    elif gloss.split()[0].lower() == "the" or not name.lower().endswith("ing"):
        return ""  # ("Load: the ...": "the load" or "a load" cannot be told)
    else:
        subject = name[0].upper() + name[1:]
    return f"{subject} is {gloss}."


def standalone(sentence: str, names: list[str] | tuple[str, ...]) -> str:
    """A sentence that leans on the one before it but glosses one of ``names`` in apposition,
    as the statement it makes of that name: "Its weakness is primary clustering, the
    tendency of occupied buckets to form long unbroken runs: ..." -> "Primary clustering is
    the tendency of occupied buckets to form long unbroken runs."; "That is an example of
    amortized analysis, which averages the cost ..." -> "Amortized analysis averages the
    cost ..."; a glossary line as its sentence (``glossary_entry``). Any other sentence is
    returned as ``tidy`` makes it."""
    text = tidy(sentence)
    entry = glossary_entry(text, names)
    if entry:
        return entry
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
