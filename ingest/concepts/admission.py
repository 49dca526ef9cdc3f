"""Admission: a term is listed only where the material teaches it.

Evidence of teaching is a heading that names it (as a topic), a sentence that defines it,
emphasis, an API the code calls and the prose names, a list of kinds, a genus of several
definitions, a second name (code or abbreviation); or the material keeps coming back to it,
section after section. A phrase that is only mentioned, however often, is not a concept.
"""

from __future__ import annotations

import builtins
import re

from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.lexicon import file_word, lemma_lexicon
from teachback.ingest.concepts.naming import canonical, noun_like
from teachback.ingest.concepts.settings import (
    ADMIT_DISCUSSED,
    ADMIT_GROUPS,
    ADMIT_PERVASIVE,
    ADMIT_RECUR_KEYNESS,
    ADMIT_RECUR_PHRASE_SCORE,
    ADMIT_RECUR_SCORE,
    ADMIT_RECUR_ZIPF,
    ADMIT_WEAK_SCORE,
)
from teachback.ingest.keyphrases.frequency import zipf

# Marks that show teaching by themselves: a heading names it, a sentence defines it, the code
# calls it and the prose names it, several definitions use it as their genus.
STRONG_MARKS = frozenset({"heading", "definition", "api", "genus"})


def topic_like(batch: Batch, c: Concept) -> bool:
    """A heading term that can name a topic: a phrase, a noun, or a gerund English does not
    know only as a verb ("finetuning" yes, "Installing" no)."""
    name = canonical(c, batch.short_of.get(c.key))
    if " " in name or noun_like(c) or noun_like(c, c.heading_surfaces):
        return True
    lemmas = lemma_lexicon()
    pos = lemmas(name.lower()) if lemmas is not None and name.isalpha() else {}
    return name.lower().endswith("ing") and (not pos or "NOUN" in pos)


def admitted(batch: Batch, c: Concept) -> bool:
    """The concept goes on the list: code symbols always, terms with evidence of teaching."""
    if c.kind == "code":
        # "L", "f": a one-letter function is named like a variable of a formula; the idea it
        # computes is named in the prose, if anywhere ("the loss L(N, D)").
        return len(re.split(r"[.:]", c.key)[-1]) > 1
    if not c.groups:
        return False
    if all(file_word(f) for f in c.surfaces):
        return False  # "ipynb", "py", "bin": a file type named in links and commands
    if any(_raises(f) for f in c.surfaces):
        return False  # "Raises ValueError", "ValueError raised": a docstring's error clause
    name = canonical(c, batch.short_of.get(c.key))
    if name[:1].isupper() and name.split()[-1].lower() in batch.speakers:
        return False  # "Karpathy", "Andrej Karpathy": a speaker, not something taught
    if not (_marked_as_taught(batch, c) or _recurs(batch, c, name)):
        return False
    return c.taught & STRONG_MARKS or not _mentioned_in_passing(batch, c, name)


_EXCEPTIONS = frozenset(
    n.lower() for n in dir(builtins) if isinstance(getattr(builtins, n), type) and
    issubclass(getattr(builtins, n), BaseException)
)  # fmt: skip
_RAISE = frozenset({"raise", "raises", "raised", "raising", "throws", "thrown"})


def _raises(surface: str) -> bool:
    """A built-in exception named with the verb that raises it ("Raises ValueError")."""
    words = {w.lower() for w in re.findall(r"\w+", surface)}
    return bool(words & _RAISE) and bool(words & _EXCEPTIONS)


def _mentioned_in_passing(batch: Batch, c: Concept, name: str) -> bool:
    """Weak marks only (emphasis, a list, recurrence ...), and the term is the example data,
    a name, or a list member the material never takes up again."""
    if batch.example_data(name):
        return True  # "population", "Puerto Rico": what the code's data is about
    if batch.names_a_data_set(name):
        return True  # "extrasolar planets" where the notebooks load the 'planets' data set
    if " " not in name and _proper_name(c):
        return True  # "the *Kepler* mission": a name set in italics
    if " " not in c.key and _step_of_named_process(batch, c):
        return True  # "The *combine* step merges ...": a step of split-apply-combine
    if _only_in(batch, c, _TABLE_ROW):
        return True  # "| model | params | train loss | val loss |": a column of results
    if not c.taught and " " not in name and _genus_of_names(batch, name):
        return True  # "`Series` objects", "Pandas objects": what named things are
    if not c.taught and _only_in(batch, c, _NOT_RUNNING_PROSE):
        # "# takes 54GB in huggingface .cache dir", "- `transformers` for huggingface
        # transformers": recurring in comments and lists of dependencies, never in a sentence
        return True
    # "bit widths, signedness, and endianness": listed once, in a list whose category is not a
    # concept, and never taken up again.
    return c.taught == {"list"} and c.groups < 2


_TABLE_ROW = re.compile(r"\s*\|")
# A table row, a comment line, a list item or a numbered reference: not running prose.
_NOT_RUNNING_PROSE = re.compile(r"\s*(?:[|#>*+-]|\d{1,2}[.)]\s)")


def _only_in(batch: Batch, c: Concept, kind: re.Pattern) -> bool:
    """Every line that mentions the term opens like ``kind`` (a table row: data, not a
    sentence that teaches it)."""
    forms = [f.lower() for f in c.surfaces] or [c.key]
    for di, a, b in c.mentions:
        text = batch.norm[di]
        quote = text[a:b].lower()
        at = min((i for i in (quote.find(f) for f in forms) if i >= 0), default=0) + a
        line = text.rfind("\n", a, at) + 1 or a
        if not kind.match(text, line, b):
            return False
    return bool(c.mentions)


def _step_of_named_process(batch: Batch, c: Concept) -> bool:
    """The word is one part of a hyphenated name the material teaches ("combine" of
    "split-apply-combine"): its lesson is that concept's."""
    # the hyphenated concepts with the word as one part (None once merged away)
    hyphenated = (batch.concepts.get(k) for k in batch.hyphenated.get(c.key, ()))
    return any(
        o is not None and o is not c and o.groups and o.taught & STRONG_MARKS for o in hyphenated
    )


GENUS_OF_NAMES_SHARE = 0.5


def _genus_of_names(batch: Batch, word: str) -> bool:
    """The prose uses the word mostly after a name ("the `Series` object", "Pandas objects",
    "a `GroupBy` object"): the kind of the named things, which are the concepts."""
    uses = batch.prose_words.of(word)
    if not uses:
        return False
    named = 0
    after_name = re.compile(rf"(?:`[^`\n]+`|\b[A-Z]\w*)\s+{re.escape(word)}s?\b")
    for doc, text in zip(batch.documents, batch.norm, strict=True):
        if doc.format != "code":
            named += _count_after_name(after_name, text, word)
    return named >= GENUS_OF_NAMES_SHARE * uses


_SPACE = re.compile(r"\s")


def _count_after_name(after_name: re.Pattern, text: str, word: str) -> int:
    """``len(after_name.findall(text))``, searched only on the lines around the word: a
    match is a name (a code span or a capitalised word: no line break in it), spaces and the
    word, so it starts no earlier than the line where the spaces before the word begin. A
    scan of the whole text per candidate word made the concepts stage quadratic in it."""
    count = pos = 0
    q = text.find(word)
    while q >= 0:
        if q >= pos:
            w = q
            while w > 0 and _SPACE.match(text, w - 1):
                w -= 1
            if w < q:  # (a match ends on a word after spaces: none ends here otherwise)
                start = max(pos, text.rfind("\n", 0, w) + 1)
                end = text.find("\n", q)
                # a match on these lines, then the leftmost one from ``start``: the one
                # ``findall`` finds (it reads no further than the first)
                if after_name.search(text, start, len(text) if end < 0 else end):
                    m = after_name.search(text, start)
                    if m is not None:  # (found above, so always)
                        count += 1
                        pos = m.end()
        q = text.find(word, q + 1)
    return count


def _proper_name(c: Concept) -> bool:
    """Every form is capitalised like a name (not CamelCase code, not an acronym)."""
    return all(f[:1].isupper() and f[1:].islower() and f.isalpha() for f in c.surfaces) and bool(
        c.surfaces
    )


def _marked_as_taught(batch: Batch, c: Concept) -> bool:
    taught = set(c.taught)
    if "label" in taught and c.groups <= c.label_hits:
        taught.discard("label")  # a block label no other part of the material takes up
    if taught == {"heading"} and " " not in c.key and c.groups < 2 and c.best < ADMIT_WEAK_SCORE:
        # "Keys, values and the lookup problem": one word of a heading that names several
        # things, which its section does not single out; the section teaches the others.
        return False
    return bool(taught - {"heading"}) or ("heading" in taught and topic_like(batch, c))


def _recurs(batch: Batch, c: Concept, name: str) -> bool:
    """The material keeps coming back to it: a key term of section after section. A phrase
    must also be what some section is about: "column name", "data source" recur because
    their words are common in the material, not because it teaches them; unless the material
    uses it in section after section ("line segment" in a geometry book)."""
    if " " in name:
        return c.groups >= ADMIT_PERVASIVE or (
            c.groups >= ADMIT_GROUPS and c.best >= ADMIT_RECUR_PHRASE_SCORE
        )
    if (
        c.groups >= ADMIT_DISCUSSED
        and len(name) > 3
        and noun_like(c)
        and c.best >= ADMIT_RECUR_SCORE
    ):
        return True
    if c.groups < ADMIT_GROUPS or c.best < ADMIT_RECUR_SCORE:
        return False
    return len(name) > 3 and (
        zipf(name) < ADMIT_RECUR_ZIPF or (noun_like(c) and batch.keyness(c) >= ADMIT_RECUR_KEYNESS)
    )
