"""Text helpers for exercise generation and self-checking.

* ``words``/``stems``: lower-cased word tokens and their Snowball stems, stop words removed.
* ``spells_squashed``: a name spelled in other case or with hyphens/underscores ("FNV-1a").
* ``term_regex``: a pattern that finds a concept's name or aliases, with simple inflections
  (``"model"`` also finds ``"models"``; ``"process"`` also ``"processes"``).
* ``inflections``: surface forms a learner may type for a term (used for cloze keys).
* ``clean_for_prompt``: turns a source sentence into safe Markdown for an exercise: Markdown
  emphasis and links flattened, HTML tags dropped, a stray ``<`` escaped so nothing can render.
* ``looks_like_instruction``: flags sentences that address a model or grader ("ignore previous
  instructions ..."). They stay in the sources as content; generators just never build an
  exercise around them.

Example::

    >>> stems("The models were learning")
    ['model', 'learn']
    >>> sorted(inflections("large language model"))[:3]
    ['large language model', 'large language models', 'large-language-model']

Not handled: languages other than English, irregular plurals beyond a few suffix rules.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache

from teachback.core.text import fold, stem

STOPWORDS = frozenset(
    """a an the and or but if then else of to in on at by for with from into onto over under as is
are was were be been being am do does did doing have has had having it its this that these those
there here which who whom whose what when where why how not no nor so such than too very can could
may might must shall should will would you your yours we our ours they their theirs he him his she
her hers i me my mine us them also just only about above after again against all any both each few
more most other some same own up down out off once further while during before between through
because until against both one ones s t don now get gets got like use used using""".split()
)

_WORD = re.compile(r"[A-Za-z0-9][A-Za-z0-9_'\u2019-]*")


def words(text: str) -> list[str]:
    """All lower-cased word tokens (stop words kept)."""
    return [w.strip("'\u2019-").lower() for w in _WORD.findall(fold(text)) if w.strip("'-")]


def spells_squashed(text: str, name: str) -> bool:
    """Does ``text`` spell ``name`` once case, hyphens and underscores are folded away
    ("FNV-1a" for ``fnv1a``, "Load-Factor" for ``loadfactor``)? One to three adjacent words
    may make it up. Names under four letters are left to the stem checks (too many
    ordinary words would match)."""
    target = re.sub(r"[\W_]+", "", fold(name).lower())
    if len(target) < 4:
        return False
    squashed = [re.sub(r"[\W_]+", "", w) for w in words(text)]
    return any(
        "".join(squashed[i : i + n]) == target
        for n in (1, 2, 3)
        for i in range(len(squashed) - n + 1)
    )


def stems(text: str) -> list[str]:
    """Stems of the content words of ``text``, in order."""
    return list(_stems(text))


def stem_tuple(text: str) -> tuple[str, ...]:
    """``stems(text)`` as a (cached, shared) tuple: for callers that only read it."""
    return _stems(text)


@lru_cache(maxsize=20_000)
def _stems(text: str) -> tuple[str, ...]:
    return tuple(stem(w) for w in words(text) if w not in STOPWORDS and len(w) > 1)


@lru_cache(maxsize=20_000)
def _stem_frozenset(text: str) -> frozenset[str]:
    return frozenset(_stems(text))


def stem_set(text: str) -> frozenset[str]:
    return _stem_frozenset(text)


def overlap(a: set[str], b: set[str]) -> float:
    """Share of ``a`` found in ``b`` (0 when ``a`` is empty)."""
    return len(a & b) / len(a) if a else 0.0


def jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 0.0


# --- terms --------------------------------------------------------------------------------


def _plural(word: str) -> str:
    if len(word) > 3 and re.search(r"[^su]s$", word) and not word.endswith("is"):
        return word  # already plural ("keys", "objects"): not "keyses"
    if len(word) > 3 and word.endswith("is"):
        return word[:-2] + "es"  # "axis" -> "axes", "analysis" -> "analyses"
    if re.search(r"(s|x|z|ch|sh)$", word):
        return word + "es"
    if re.search(r"[^aeiou]y$", word):
        return word[:-1] + "ies"
    return word + "s"


def _singular(word: str) -> str:
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if re.search(r"(ses|xes|zes|ches|shes)$", word):
        return word[:-2]
    if word.endswith("s") and not word.endswith(("ss", "is", "us")) and len(word) > 3:
        return word[:-1]  # (not "axis" -> "axi", "status" -> "statu")
    return word


def inflections(term: str) -> set[str]:
    """Forms a learner may reasonably type for ``term``: case, number, hyphens, spacing."""
    return set(_inflections(term))


@lru_cache(maxsize=20_000)
def _inflections(term: str) -> frozenset[str]:
    base = " ".join(fold(term).split()).strip()
    if not base:
        return set()
    low = base.lower()
    forms = {base, low}
    parts = low.split(" ")
    head = parts[-1]
    for variant in {_plural(head), _singular(head)}:
        forms.add(" ".join(parts[:-1] + [variant]))
    for form in list(forms):
        if " " in form:
            forms.add(form.replace(" ", "-"))
        if "-" in form:
            forms.add(form.replace("-", " "))
            forms.add(form.replace("-", ""))
    return frozenset(f for f in forms if f)


def term_regex(names: list[str]) -> re.Pattern | None:
    """One case-insensitive pattern for any of ``names`` (longest first), word-bounded."""
    return _term_regex(tuple(names))


@lru_cache(maxsize=4096)
def _term_regex(names: tuple[str, ...]) -> re.Pattern | None:
    alts = set()
    for name in names:
        parts = [p for p in re.split(r"[\s-]+", fold(name).strip().lower()) if p]
        if not parts or len("".join(parts)) < 2:
            continue
        head = parts[-1]
        heads = sorted({head, _plural(head), _singular(head)}, key=len, reverse=True)
        body = r"[\s-]*".join(re.escape(p) for p in parts[:-1])
        last = "(?:" + "|".join(re.escape(h) for h in heads) + ")"
        alts.add((body + r"[\s-]*" if body else "") + last)
    if not alts:
        return None
    body = "|".join(sorted(alts, key=len, reverse=True))
    return re.compile(rf"(?<![\w-])(?:{body})(?![\w-])", re.IGNORECASE)


def term_needles(names: list[str]) -> tuple[str, ...] | None:
    """Lower-case text one of which every match of ``term_regex(names)`` holds: for each
    name, the part its head word's forms share ("entr" of "entry" and "entries"). None when
    a name is not ASCII (``re.I`` matches e.g. "ſ" to "s": no substring test is exact)."""
    return _term_needles(tuple(names))


@lru_cache(maxsize=4096)
def _term_needles(names: tuple[str, ...]) -> tuple[str, ...] | None:
    out = set()
    for name in names:
        parts = [p for p in re.split(r"[\s-]+", fold(name).strip().lower()) if p]
        if not parts or len("".join(parts)) < 2:
            continue  # (no alternative of the pattern: as ``_term_regex``)
        head = parts[-1]
        needle = os.path.commonprefix(sorted({head, _plural(head), _singular(head)}))
        if not needle.isascii():
            return None
        out.add(needle)
    return tuple(sorted(out))


# --- safety -------------------------------------------------------------------------------

_TAG = re.compile(r"</?[A-Za-z!?][^<>\n]{0,300}>")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
_EMPH = re.compile(r"(\*\*|__)(.+?)\1|(?<![\w*])\*(?!\s)([^*\n]+?)\*(?![\w*])")
_LEAD = re.compile(r"^\s*(?:#{1,6}\s+|>\s*|[-*+]\s+|\d+[.)]\s+)")


_RST_CODE = re.compile(r"(?<!`)``([^`\n]+?)``(?!`)")


def clean_for_prompt(text: str) -> str:
    """A source sentence as safe, flat Markdown: no HTML, no emphasis markers, one line; a
    reStructuredText code mark (``DataFrame``, in docstrings and Sphinx-era notebooks) as a
    Markdown one (`DataFrame`), which is how the learner's page shows code."""
    text = " ".join(text.split())
    text = _RST_CODE.sub(r"`\1`", text)
    text = _MD_LINK.sub(lambda m: m.group(1), text)
    text = _EMPH.sub(lambda m: m.group(2) or m.group(3) or "", text)
    text = _TAG.sub(" ", text)
    text = _LEAD.sub("", text)
    text = " ".join(text.split())
    # Anything that still looks like the start of a tag is escaped (renders as "<").
    text = re.sub(r"<(?=[A-Za-z/!?])", r"\\<", text)
    return text.strip()


def has_raw_html(markdown: str) -> bool:
    """True if ``markdown`` has a tag-like ``<x`` outside fenced code blocks."""
    outside = re.sub(r"```.*?```", "", markdown, flags=re.DOTALL)
    return re.search(r"(?<!\\)<[A-Za-z/!?]", outside) is not None


_INSTRUCTION = re.compile(
    r"\b(ignore|disregard|forget|override)\b[^.]{0,40}\b(instruction|prompt|rule|rubric|above|"
    r"previous|prior)s?\b|\byou are (now )?(an? |the )?(ai|assistant|language model|grader|"
    r"chatbot|tutor)\b|\bsystem prompt\b|\b(give|award|mark)\b[^.]{0,30}\b(full marks|full "
    r"score|as correct|100 ?%)|\bnew instructions?\b|\bas an ai\b|\bjailbreak\b",
    re.IGNORECASE,
)


def looks_like_instruction(sentence: str) -> bool:
    """Whether a source sentence reads like an instruction aimed at a model or grader."""
    return _INSTRUCTION.search(fold(sentence)) is not None
