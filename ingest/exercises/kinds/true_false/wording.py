"""How a true/false statement is worded, and edits that keep a sentence grammatical: an article
that agrees with the name put after it, whole names (never half of "Andrej Karpathy"), the
clause that makes the claim about the concept, negations and opposite words."""

from __future__ import annotations

import re
from functools import lru_cache

from teachback.core.text import fold

PREFIX = "True or false: "
_NEG = re.compile(r"\b(not|no|never|cannot|can't|isn't|aren't|doesn't|don't|won't|none)\b", re.I)


_NAME_BEFORE = re.compile(r"\w\W*\s[A-Z][\w-]*\s+$")
_NAME_ONLY_BEFORE = re.compile(r"^[A-Z][\w-]*\s+$")
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_ARTICLE = re.compile(r"\ban?\s", re.I)
_WORD_CHAR = re.compile(r"[\w-]")


def article(text: str, name: str) -> str:
    """ "An trick start" -> "A trick start" (the article before the name put in agrees)."""
    if not name or not _ARTICLE.search(text):
        return text

    def fix(m: re.Match) -> str:
        art = "an" if _vowel_sound(name) else "a"
        art = art.capitalize() if m.group(1)[0].isupper() else art
        return art + m.group(2)

    return _name_after_article(name).sub(lambda m: fix(m) + m.group(3), text)


@lru_cache(maxsize=4096)
def _name_after_article(name: str) -> re.Pattern:
    """Compiled once per name (``re``'s own cache holds 512; a curriculum has thousands)."""
    return re.compile(rf"\b(an?)(\s+)({re.escape(name)})", re.I)


@lru_cache(maxsize=50_000)
def negations(text: str) -> int:
    return len(_NEG.findall(fold(text)))


def nested(a: str, b: str) -> bool:
    """Whether one name holds the other ("collision" in "collision resolution"): the
    shorter one where a word starts in the longer. (A string search, not a pattern per
    pair of names: compiling those cost more than the rest of the true/false kind.)"""
    a, b = fold(a).lower(), fold(b).lower()
    short, long = sorted([a, b], key=len)
    at = long.find(short)
    while at >= 0:
        if at == 0 or not _WORD_CHAR.match(long[at - 1]):
            return True
        at = long.find(short, at + 1)
    return False


def inside_longer_name(text: str, m) -> bool:
    """ "Karpathy" in "Andrej Karpathy": swapping it would garble the name."""
    before, after = text[: m.start()], text[m.end() :]
    return bool(
        (_NAME_BEFORE.search(before) or _NAME_ONLY_BEFORE.search(before))
        and text[m.start()].isupper()
    ) or bool(_NAME_AFTER.match(after) and text[m.start()].isupper())


# A changed direction or quantity keeps the sentence grammatical and plausible. Not words
# with a second sense or a partner that needs other grammar: "never" -> "always" ("proves the
# key was always inserted"), "left" (a verb: "a marker right in a bucket"), "same" ("two
# same keys land in the different bucket"), "input" ("two outputs with the same output").
OPPOSITES = {
    "more": "less", "less": "more", "larger": "smaller", "smaller": "larger",
    "higher": "lower", "lower": "higher", "faster": "slower", "slower": "faster",
    "increase": "decrease", "increases": "decreases", "decrease": "increase",
    "decreases": "increases", "before": "after", "after": "before",
    "longer": "shorter", "shorter": "longer",
    "grows": "shrinks", "shrinks": "grows", "inner": "outer", "outer": "inner",
    "minimum": "maximum", "maximum": "minimum", "sorted": "unsorted", "unsorted": "sorted",
    "mutable": "immutable", "immutable": "mutable", "upper": "lower", "ascending": "descending",
    "descending": "ascending", "add": "remove", "adds": "removes", "removes": "adds",
    "first": "last", "last": "first",
    "row": "column", "column": "row", "rows": "columns", "columns": "rows",
    "explicit": "implicit", "implicit": "explicit", "explicitly": "implicitly",
    "implicitly": "explicitly", "union": "intersection", "intersection": "union",
    "empty": "full", "full": "empty",
    "one-dimensional": "two-dimensional", "two-dimensional": "one-dimensional",
    "horizontal": "vertical", "vertical": "horizontal", "horizontally": "vertically",
    "vertically": "horizontally", "cheap": "expensive", "expensive": "cheap",
    "fast": "slow", "slow": "fast", "high": "low", "low": "high", "long": "short",
    "short": "long", "small": "large", "large": "small", "deterministic": "random",
    "lowercase": "uppercase", "uppercase": "lowercase", "positive": "negative",
    "negative": "positive", "private": "public", "public": "private",
    "most": "least", "least": "most", "better": "worse", "worse": "better",
}  # fmt: skip


# where a sentence joins two claims ("X tries ..., and Y uses ...")
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but|while|whereas)\s+")


def own_clause(text: str, name: re.Match | None) -> range:
    """The part of ``text`` that makes the claim about the named concept: a statement made
    false in the other claim of "X tries ..., and Y uses ..." would test the other concept."""
    if name is None:
        return range(len(text))
    start, end = 0, len(text)
    for b in _CLAUSE_BREAK.finditer(text):
        if b.end() <= name.start():
            start = b.end()
        elif b.start() >= name.end():
            end = b.start()
            break
    return range(start, end)


def _vowel_sound(word: str) -> bool:
    """Whether "an" goes before ``word``: a vowel letter, but not one read as "w" or "y"
    ("a one-to-one join", "a uniform hashing", "a user")."""
    return word[:1].lower() in "aeiou" and not re.match(r"(?:one|uni|use|eu)", word, re.I)


def article_before(text: str, word: str) -> str:
    """``text`` (what comes before ``word``) with its last article agreeing with ``word``:
    "reaches an" + "full" -> "reaches a"."""
    m = re.search(r"\b(an?)(\s+)$", text, re.I)
    if not m:
        return text
    art = "an" if _vowel_sound(word) else "a"
    art = art.capitalize() if m.group(1)[0].isupper() else art
    return text[: m.start()] + art + m.group(2)


def code_ranges(text: str) -> list[range]:
    return [range(m.start(), m.end()) for m in re.finditer(r"`[^`]*`", text)]


_QUALIFIED = re.compile(r"(?:\b(?-i:[A-Z][\w-]+)\s+)?[`*_]*$")


def phrase(text: str, m: re.Match) -> tuple[int, int]:
    """The whole name around a match: its code or emphasis marks and a capitalised
    qualifier ("Pandas `Series`"), so an exchange moves whole names."""
    start = m.start() - len(_QUALIFIED.search(text[: m.start()]).group(0))
    end = m.end() + len(re.match(r"[`*_]*", text[m.end() :]).group(0))
    if start == 0 or text[start - 1] in ".!?":  # (a capitalised first word is no qualifier)
        start = m.start() - len(re.search(r"[`*_]*$", text[: m.start()]).group(0))
    return start, end
