"""Word-level tests: what can be part of a term a teacher lists, and what cannot.

Word lists (generic headings and words, common verbs, words about the text itself), the lemma
lexicon (``verb_only``), the shape of a defined term (``clean_term``), and repairs for text
extraction errors (a word split where a ligature was lost, an article glued on).
"""

from __future__ import annotations

import re
from functools import lru_cache

from teachback.ingest.concepts.settings import API_WORD_ZIPF, FRAGMENT_ZIPF, SPLIT_ZIPF
from teachback.ingest.keyphrases.candidates import Candidate
from teachback.ingest.keyphrases.frequency import common_ends, listed_words, zipf
from teachback.ingest.textutil import STOPWORDS, WORD_RE

# Heading words that name a part of a text, not a concept.
GENERIC_HEADINGS = frozenset(
    """introduction conclusion conclusions summary overview background references bibliography
    appendix contents preface acknowledgements acknowledgments abstract examples example exercises
    exercise review vocabulary notes note guidance practice problems problem solution solutions
    discussion results methods method discussion questions answers answer faq index glossary
    installation usage license changelog contributing setup getting started quick start
    quickstart""".split()
)
# Single words too vague to be a concept on their own.
GENERIC_WORDS = frozenset(
    """example examples figure figures table tables chapter chapters section sections question
    questions answer answers problem problems thing things way ways time times part parts case
    cases number numbers lot kind type types point_of fact idea ideas people person year years
    day days today something anything everything someone word words term terms sense
    page pages item items step steps end start side lesson lessons concept concepts guidance
    review vocabulary""".split()
)

# Common verbs (base and inflected forms are checked): a phrase starting with one is an action
# ("classify polygons", "prove theorems"), not a concept.
LEADING_VERBS = frozenset(
    """learn classify prove solve find use make show add explain describe determine calculate
    compute draw identify write read apply understand see look give take know construct create
    build define discuss review practice consider compare recall note remember suppose let try
    ask tell call get set put keep run start stop allow help provide include contain represent
    label name mark measure plot graph sketch list state choose pick check verify test study
    explore investigate examine introduce extend connect join form change convert increase
    reduce ignore disregard forget pretend say respond reply obey execute youll well
    lets""".split()
)

_VAGUE_HEADS = frozenset(
    "type types kind kinds sort form specific particular certain example instance way".split()
)


EVALUATIVE = frozenset(
    """simplest easiest best worst fastest slowest largest smallest biggest most least first
    last same whole entire following above below main usual typical simple basic appropriate
    good better bad proper correct different various certain""".split()
)


def clean_term(term: str, heading: bool = False) -> str | None:
    """A defined term if it looks like one: 1-5 words, no leading/trailing stop word.

    Leading heading words glued on by text extraction ("Guidance point") are dropped. In a
    ``heading`` such a word is part of the title ("Index Alignment", "Summary Statistics")
    unless what follows it is generic too ("Review Questions").
    """
    if re.search(r"\w'[sS]\b", term):
        return None  # "Karpathy's observation": a possessive names an instance, not a term
    words = WORD_RE.findall(term)
    if any(glued_article(w) for w in words):
        return None  # "Atransformation": an article glued on by text extraction
    while len(words) > 1 and (
        words[0].lower() in EVALUATIVE
        or (words[0].lower() in GENERIC_HEADINGS and not (heading and _specific(words[1:])))
    ):
        words = words[1:]  # "simplest associative array" defines an associative array
    if not words or len(words) > 5 or not _term_shape(words):
        return None
    return " ".join(words)


def _specific(words: list[str]) -> bool:
    return any(w.lower() not in GENERIC_HEADINGS and w.lower() not in GENERIC_WORDS for w in words)


def _term_shape(words: list[str]) -> bool:
    if words[0].lower() in _VAGUE_HEADS:
        return False  # "type of segment bisector": the defined thing is the noun after "of"
    if len(words) == 1 and words[0].isupper() and len(words[0]) <= 2:
        return False  # a label such as "BD" (abbreviations are merged with their expansion)
    if words[0].lower() in STOPWORDS or words[-1].lower() in STOPWORDS:
        return False
    if verb_only(words[0]) or (len(words) > 1 and verb_only(words[-1])):
        return False  # "intersects circle": a verb phrase
    if any(w.lower() in STOPWORDS and w.lower() not in {"of", "and"} for w in words):
        return False
    if len(words) == 1 and (words[0].lower() in GENERIC_WORDS or len(words[0]) < 2):
        return False
    return not all(w.isdigit() for w in words)


_NOT_PLURAL = ("ss", "us", "is", "ics", "ous", "ys", "ness")


_FILE_WORDS = frozenset(
    "py ipynb md txt json csv bin pkl yaml yml toml cfg ini lock sh png jpg jpeg gif svg pdf html "
    "np pd plt".split()
)


def file_word(surface: str) -> bool:
    """A file extension or a module's import alias ("ipynb", "pd"), not a concept."""
    return surface.lower().strip(".") in _FILE_WORDS


def api_name(name: str) -> bool:
    """A code span that names an API: a dotted name or a lower-case identifier, not a value
    (``True``), a constant (``NaN``) or a bare class or module name."""
    last = name.rsplit(".", 1)[-1]
    if "." in name:
        return True
    # An undotted common English word ("sum", "drop") is more often prose than an API name.
    return last.islower() and last.isidentifier() and zipf(last) < API_WORD_ZIPF


def verbish(word: str) -> bool:
    w = word.lower().replace("'", "")
    if w in LEADING_VERBS:
        return True
    for suffix, add in (("ing", ""), ("ing", "e"), ("ed", ""), ("ed", "e"), ("es", ""), ("s", "")):
        if w.endswith(suffix) and w[: -len(suffix)] + add in LEADING_VERBS:
            return True
    return False


def acceptable(c: Candidate, abbreviations: dict[str, str]) -> bool:
    """Reject what a teacher would not list: actions, labels like "BD", generic single words."""
    return acceptable_words(c.words) and not (
        len(c.words) == 1
        and c.words[0].isupper()
        and len(c.words[0]) <= 2
        and c.words[0].lower() not in abbreviations
    )


@lru_cache(maxsize=1)
def lemma_lexicon():
    """lemminflect's English lemma lexicon (shipped inside that package; None without it)."""
    try:
        from lemminflect import getAllLemmas
    except ImportError:  # optional: without it only the suffix and word-list rules apply
        return None
    return getAllLemmas


def noun_only(word: str) -> bool:
    """English uses the word only as a noun ("personality", "speciation"; not "melt", "jagged").
    Words the lexicon does not know (names, new terms) count as nouns."""
    lemmas = lemma_lexicon()
    low = word.lower()
    if lemmas is None or not low.isalpha():
        return True
    pos = lemmas(low)
    return not pos or set(pos) == {"NOUN"}


@lru_cache(maxsize=200_000)
def verb_only(word: str) -> bool:
    """True for a word English uses only as a verb ("assign", "bought", "unpacks").

    Participles ("-ed", "-ing") are not counted: they often modify a term ("inscribed angle",
    "linked list", "sorting algorithm").

    >>> verb_only("assign"), verb_only("tasks"), verb_only("inscribed"), verb_only("polygon")
    (True, False, False, False)
    """
    lemmas = lemma_lexicon()
    low = word.lower()
    if lemmas is None or low.endswith(("ed", "ing")) or not low.isalpha():
        return False
    pos = lemmas(low)
    return bool(pos) and set(pos) <= {"VERB", "AUX"}


def verb_phrase(words: list[str] | tuple[str, ...]) -> bool:
    return bool(words) and (verb_only(words[0]) or (len(words) > 1 and verb_only(words[-1])))


# Words that refer to the text itself: a phrase starting with one ("term circumference",
# "chapter student", "concept youll") names the text, not a concept.
META_WORDS = frozenset(
    """term terms concept concepts chapter chapters section sections lesson lessons word words
    figure figures page pages example examples definition definitions""".split()
)


@lru_cache(maxsize=200_000)
def acceptable_words(words: tuple[str, ...]) -> bool:
    """Words that can name a concept: not an action, a possessive, a title, a name and a verb,
    a phrase with a plural or a verb inside, a generic word, a formula fragment, or an
    artefact of text extraction."""
    return not (
        _action(words)
        or _name_or_title(words)
        or _plural_inside(words)
        or _vague_or_symbolic(words)
        or _extraction_error(words)
    )


def _action(words: tuple[str, ...]) -> bool:
    if verbish(words[0]) or words[0].lower() in GENERIC_HEADINGS and len(words) > 1:
        return True
    if len(words) > 1 and words[0].lower() in META_WORDS:
        return True
    # "assign task", "bought apple", "Karpathy unpacks": verb phrases
    return verb_only(words[0]) or (len(words) > 1 and verb_only(words[-1]))


def _name_or_title(words: tuple[str, ...]) -> bool:
    if any(w.lower().endswith("'s") for w in words):
        return True  # "X's auth wall": a possessive names an instance
    if len(words) > 1 and words[0].endswith("ing") and words[0][:1].isupper():
        return True  # "Constructing Perpendicular Bisector": a how-to title
    # "Karpathy unpacks": a name and a verb, most likely
    return (
        len(words) == 2
        and words[0][:1].isupper()
        and words[-1].islower()
        and words[-1].endswith("s")
        and not words[-1].endswith("ss")
        and not words[0].isupper()
    )


def _plural_inside(words: tuple[str, ...]) -> bool:
    """ "keys collide", "resolves collision": a plural or a verb inside the phrase."""
    for w in words[:-1]:
        low = w.lower()
        if len(low) > 3 and low.endswith("s") and not low.endswith(_NOT_PLURAL) and w.islower():
            return True
    return False


def _vague_or_symbolic(words: tuple[str, ...]) -> bool:
    if len(words) == 1:
        w = words[0]
        if w.lower() in GENERIC_WORDS or len(w) < 2 or w.isdigit():
            return True
    if all(any(ch.isdigit() for ch in w) for w in words):
        return True
    # formula fragments and labels: "ad bc", "SA rl", "4PRS 4T RQ"
    return len(words) > 1 and sum(len(w) <= 2 or not w.isalpha() for w in words) >= 2


def _extraction_error(words: tuple[str, ...]) -> bool:
    if any(glued_article(w) for w in words):
        return True  # "Atransformation": an article glued on by text extraction
    # "transfor mation", "circum erence": a word split by text extraction
    return any(split_word(a, b) for a, b in zip(words, words[1:], strict=False))


# Lost between the halves: nothing, a ligature ("ff", "fi", ...) or a single letter.
_LIGATURES = ("", "ff", "fi", "fl", "ffi", "ffl", *"abcdefghijklmnopqrstuvwxyz")


@lru_cache(maxsize=200_000)
def split_word(a: str, b: str) -> bool:
    """True when ``a b`` is one word that text extraction split, often where a ligature
    ("ff", "fi") was lost: the joined word is common English and clearly more common than
    either part. "circum erence" -> "circumference", "di erent" -> "different"; "note book"
    is not ("notebook" is rarer than "book").

    >>> [split_word(*p) for p in [("circum", "erence"), ("transfor", "mation"), ("note", "book")]]
    [True, True, False]
    """
    if not (a.isalpha() and b.isalpha() and b.islower()):
        return False
    head = a.lower()
    ends = common_ends(SPLIT_ZIPF)
    if ends is not None and len(head) > 1 and len(b) > 1 and (head[:2], b[-2:]) not in ends:
        return False  # every join opens with ``head`` and ends with ``b``: none is common
    parts = max(zipf(a), zipf(b))
    # Most joins are no word at all: only listed ones have a frequency worth computing.
    for word in listed_words([head + lig + b for lig in _LIGATURES]):
        joined = zipf(word)
        if joined >= SPLIT_ZIPF and joined > parts + 1.0:
            return True
    return False


@lru_cache(maxsize=200_000)
def fragment_like(word: str) -> bool:
    """Could be half of a split word or a piece of a web address: rare, not unknown."""
    return word.isalpha() and 0.0 < zipf(word) < FRAGMENT_ZIPF


@lru_cache(maxsize=200_000)
def glued_article(word: str) -> bool:
    """ "Atransformation": an article glued to a common word by text extraction."""
    return (
        len(word) > 5
        and word[0] == "A"
        and word[1:].isalpha()
        and word[1:].islower()
        and zipf(word) == 0.0
        and zipf(word[1:]) >= SPLIT_ZIPF
    )
