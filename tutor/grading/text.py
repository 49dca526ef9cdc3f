"""Small text helpers for grading: words, content words, stems, negation, non-answers.

Everything here is plain Python over the learner's text, which is treated as data only.

>>> content_stems("The pointers are pointing to variables")
['pointer', 'point', 'variabl']

Not handled: languages other than English (the stemmer and stopwords are English).
"""

from __future__ import annotations

import html
import re
import unicodedata

from teachback.core.text import stem

STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
    is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
    or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up very was
    wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
    who who's whom why why's with won't would wouldn't you you'd you'll you're you've your yours
    yourself yourselves also etc ie eg e.g i.e just will may might must shall us one thing things
    way used use using uses""".split()
)

NEGATIONS = frozenset(
    """not no never none nothing nobody neither nor cannot can't don't doesn't didn't isn't aren't
    wasn't weren't won't wouldn't shouldn't couldn't hasn't haven't hadn't without""".split()
)

_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_']*|\d+(?:\.\d+)?")
_TAGS = re.compile(r"<[^>]{0,40}>")

# Answers that say "I do not know" (or that nothing was answered) in so many words. Matched on
# the whole (normalised) answer, so an answer that contains real content besides the admission
# is still graded on its content.
_NON_ANSWERS = re.compile(
    r"^(?:i\s+|i'm\s+|i\s+am\s+)?(?:"
    r"(?:do\s*n[o']?t|dont|did\s*n[o']?t|didnt|have\s+no|had\s+no)\s+(?:know|idea|clue|remember)"
    r"|no\s+(?:idea|clue)|not\s+sure|unsure|dunno|idk|pass|skip|n/?a|none|nothing|\?+|-+|\.+"
    r"|i\s+(?:forgot|forget)|(?:can'?not|can'?t)\s+(?:remember|answer)"
    r"|no\s+(?:answer|response)(?:\s+given)?|(?:not|never)\s+answered|unanswered|blank"
    r"|(?:did\s*n[o']?t|didnt|could\s*n[o']?t|couldnt)\s+answer"
    r")(?:\s+\w+){0,4}[.!?]*$"
)

# Of those, the ones where a learner says they do not know (rather than leaving it blank or
# noting that nothing was answered): they are told kindly, not that no answer was given.
_ADMISSIONS = re.compile(
    r"^(?:i\s+|i'm\s+|i\s+am\s+)?(?:"
    r"(?:do\s*n[o']?t|dont|have\s+no|had\s+no)\s+(?:know|idea|clue|remember)"
    r"|no\s+(?:idea|clue)|not\s+sure|unsure|dunno|idk|i\s+(?:forgot|forget)"
    r"|(?:can'?not|can'?t)\s+remember"
    r")\b"
)

# A word with where it stands (for aligning an answer's words with the reference's).
WORD_SPAN = re.compile(r"[A-Za-z][A-Za-z0-9_']*|\d+(?:\.\d+)?")


def clean(text: str) -> str:
    """Unicode-normalise, unescape HTML entities, drop ``<br>``-style tags, squeeze spaces."""
    text = unicodedata.normalize("NFKC", html.unescape(text or ""))
    text = _TAGS.sub(" ", text)
    text = text.replace("\u2019", "'").replace("\u2018", "'").replace("`", "'")
    return " ".join(text.split())


def words(text: str) -> list[str]:
    """Lower-cased word tokens (letters, digits, underscores, apostrophes)."""
    return [w.strip("'") for w in _WORD.findall(clean(text).lower()) if w.strip("'")]


def content_words(text: str) -> list[str]:
    return [w for w in words(text) if w not in STOPWORDS and (len(w) > 1 or w.isdigit())]


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


def has_negation(text: str) -> bool:
    return any(w in NEGATIONS or w.endswith("n't") for w in words(text))


def is_non_answer(text: str, reference: str = "") -> bool:
    """Empty, punctuation only, an admission of not knowing ("I don't know", "no idea") or a
    note that nothing was answered ("not answered", "no answer given").

    Not when the reference itself says those words: "None" answers "How many arguments does a
    destructor take?".

    >>> is_non_answer("Not answered."), is_non_answer("I'm not sure"), is_non_answer("None")
    (True, True, True)
    >>> is_non_answer("None", reference="None: it takes no arguments.")
    False
    """
    norm = " ".join(words(text))
    if not norm:
        return True
    if not _NON_ANSWERS.match(norm):
        return False
    said = set(words(text)) - STOPWORDS
    return not (said and said <= set(words(reference)))


def is_admission(text: str) -> bool:
    """A non-answer that says the learner does not know ("I don't know", "no idea").

    >>> is_admission("I don't know"), is_admission("no idea!"), is_admission("not answered")
    (True, True, False)
    """
    return bool(_ADMISSIONS.match(" ".join(words(text))))


def sentences(text: str) -> list[str]:
    """Split into sentences / clauses good enough to check key points against."""
    parts = re.split(r"(?<=[.!?;])\s+|\n+", clean(text))
    return [p.strip() for p in parts if len(words(p)) > 0]


# Where one idea of a sentence ends and the next begins: a semicolon or colon, or a comma with a
# conjunction; "and"/"or" join two ideas when both sides say something (not "left and right"). A
# consequence after ", so" is an idea of its own ("its cost grows in proportion to the number of
# items, so a list of a million pairs may need a million comparisons"); "so that" is a purpose.
_IDEA_BREAK = re.compile(
    r"\s*[;:]\s+|,\s*(?:and then|and|or|but|whereas|while|so(?!\s+that))\s+", re.IGNORECASE
)
_IDEA_JOIN = re.compile(r"\s+(?:and|or)\s+", re.IGNORECASE)


def _top_level_splits(text: str, pattern: re.Pattern) -> list[str]:
    """Split at ``pattern`` matches that are outside parentheses."""
    parts, start = [], 0
    for m in pattern.finditer(text):
        if text[: m.start()].count("(") == text[: m.start()].count(")"):
            parts.append(text[start : m.start()])
            start = m.end()
    parts.append(text[start:])
    return [p.strip(" ,.;:") for p in parts if p.strip(" ,.;:")]


def _says_something(text: str) -> bool:
    return any(w[0].isalpha() for w in content_words(text))  # not "3 or 3,000,000"


def idea_units(text: str) -> list[str]:
    """The separate ideas of a reference answer: its sentences, split into clauses.

    >>> idea_units("The name of the function and the types of the parameters.")
    ['The name of the function', 'the types of the parameters']
    >>> idea_units("A variable that contains the address in memory of another variable.")
    ['A variable that contains the address in memory of another variable.']
    """
    units = []
    for sent in sentences(text):
        ideas = []
        for clause in _top_level_splits(sent, _IDEA_BREAK):
            parts = _top_level_splits(clause, _IDEA_JOIN)
            if len(parts) > 1 and all(_says_something(p) for p in parts):
                ideas.extend(parts)
            else:
                ideas.append(clause)
        ideas = [u for u in ideas if content_words(u)]
        units.extend(ideas if len(ideas) > 1 else [sent])  # one idea: the sentence as written
    return units
