"""True/false statements built from source sentences; a false one carries its corrected form.

A true statement is a sentence that defines the concept, as the source has it. A false one is
plausible and grammatical: a related concept's definition said of this concept (``swap``), or
one of this concept's defining sentences with a direction turned round ("larger" ->
"smaller", ``direction``) or a number changed tenfold (``quantity``). Sentences that only
mention the concept are not used (they make trivia), nor name swaps inside them (they make
nonsense: "Comedy clips make viral clip"). ``data["corrected"]`` holds the source's
sentence, ``data["method"]`` how it was falsified. Candidates alternate true and false.

Reader (self-check): find the source sentence closest to the statement. Covered word for word
with the same polarity: true. Covered except for one swapped term or a flipped negation:
false. Both kinds of evidence about as strong: ambiguous; neither: unanswerable.
"""

from __future__ import annotations

import re
import zlib
from functools import lru_cache

from teachback.core.text import fold, stem
from teachback.ingest.exercises.context import ConceptView, difficulty, display_name
from teachback.ingest.exercises.context.defining import DEICTIC
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.common import retrieve
from teachback.ingest.exercises.kinds.short_answer import asks_what
from teachback.ingest.exercises.quality import standalone
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import (
    clean_for_prompt,
    stem_set,
    stem_tuple,
    term_regex,
    words,
)

PREFIX = "True or false: "
_NEG = re.compile(r"\b(not|no|never|cannot|can't|isn't|aren't|doesn't|don't|won't|none)\b", re.I)
# Only auxiliaries that take a plain "not" ("is" -> "is not"); "do"/"have" are often main
# verbs ("need to do", "have a term") and negating them garbles the sentence.
_VERB = re.compile(r"(?<!\bto )\b(is|are|was|were|can|will|should|must)\b(?! (?:not|no)\b)", re.I)
_NEGATE = {
    "is": "is not",
    "are": "are not",
    "was": "was not",
    "were": "were not",
    "can": "cannot",
    "does": "does not",
    "do": "do not",
    "will": "will not",
    "has": "has not",
    "have": "have not",
    "should": "should not",
    "must": "must not",
}


_NAME_BEFORE = re.compile(r"\w\W*\s[A-Z][\w-]*\s+$")
_NAME_ONLY_BEFORE = re.compile(r"^[A-Z][\w-]*\s+$")
_NAME_AFTER = re.compile(r"\s+[A-Z][a-z]")
_LABEL = re.compile(r"[*_`]*\s*[:\u2014]")
_ARTICLE = re.compile(r"\ban?\s", re.I)
_WORD_CHAR = re.compile(r"[\w-]")


def _article(text: str, name: str) -> str:
    """ "An trick start" -> "A trick start" (the article before the name put in agrees)."""
    if not name or not _ARTICLE.search(text):
        return text

    def fix(m: re.Match) -> str:
        art = "an" if name[0].lower() in "aeiou" else "a"
        art = art.capitalize() if m.group(1)[0].isupper() else art
        return art + m.group(2)

    return _name_after_article(name).sub(lambda m: fix(m) + m.group(3), text)


@lru_cache(maxsize=4096)
def _name_after_article(name: str) -> re.Pattern:
    """Compiled once per name (``re``'s own cache holds 512; a curriculum has thousands)."""
    return re.compile(rf"\b(an?)(\s+)({re.escape(name)})", re.I)


@lru_cache(maxsize=50_000)
def _negations(text: str) -> int:
    return len(_NEG.findall(fold(text)))


def _swap(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    """This concept's defining sentence said of a sibling (a related concept of the same sort,
    ``_sibling``): "Chaining is a collision resolution strategy in which ..." -> "Open
    addressing is a collision resolution strategy in which ..."."""
    genus = next((_genus(d.predicate) for d in view.teaching if d.predicate), "")
    if view.pattern is None or not genus:
        return None
    text = fold(sentence)
    m = view.pattern.search(text)
    if not m or _inside_longer_name(text, m):
        return None
    for other_view, _score in view.related_views(limit=12):
        other = other_view.concept
        name = clean_for_prompt(other.name)
        pat = term_regex([name])
        if not name or (pat and pat.search(text)) or not view.substitutable(other_view):
            continue
        if _nested(view.concept.name, other.name):
            continue  # "A collision resolution is the situation where ...": not a confusion
        preds = [d.predicate for d in other_view.teaching if d.predicate]
        if not preds or not _sibling(view, other_view, genus, preds[0]):
            continue
        swapped = _article(view.pattern.sub(name, text, count=1), name)
        if swapped[0].islower() and text[0].isupper():
            swapped = swapped[0].upper() + swapped[1:]
        return swapped, name
    return None


def _nested(a: str, b: str) -> bool:
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


def _inside_longer_name(text: str, m) -> bool:
    """ "Karpathy" in "Andrej Karpathy": swapping it would garble the name."""
    before, after = text[: m.start()], text[m.end() :]
    return bool(
        (_NAME_BEFORE.search(before) or _NAME_ONLY_BEFORE.search(before))
        and text[m.start()].isupper()
    ) or bool(_NAME_AFTER.match(after) and text[m.start()].isupper())


def _negate(sentence: str) -> str | None:
    text = fold(sentence)
    if _negations(text):
        return None
    m = _VERB.search(text)
    if not m:
        return None
    word = m.group(1)
    neg = _NEGATE[word.lower()]
    if word[0].isupper():
        neg = neg[0].upper() + neg[1:]
    return text[: m.start()] + neg + text[m.end() :]


def _candidates(view: ConceptView):
    """(sentence, role, other view) in the order statements are tried: this concept's own
    defining sentences (true, or false with a changed quantity or direction), then related
    concepts' definitions said of this concept (false: a likely confusion). Sentences that
    only mention the concept are not used: they make trivia ("the video is popular")."""
    seen = set()
    for d in view.teaching[:4]:
        if d.context is None and not DEICTIC.match(d.sentence.folded):
            seen.add(d.sentence.id)
            yield d.sentence, "defining", None
    genus = next((_genus(d.predicate) for d in view.teaching if d.predicate), "")
    confusable = [v for v, _ in view.related_views(limit=15) if view.substitutable(v)]
    confusable = [v for v in confusable if not _nested(view.concept.name, v.concept.name)]
    for other_view in confusable[:6]:
        # a sibling by the sort its definition names ("a strategy"), or, for a definition
        # not of the form "X is a ..." ("... this is what is known as an inner join"), by the
        # head word of both names ("inner join", "outer join")
        by_name = same_head(view, other_view)
        if not (genus or by_name):
            continue
        for d in other_view.teaching[:1]:
            if not _sibling(view, other_view, genus, d.predicate):
                continue
            # "Karpathy: My intuition is ..." names a speaker or a heading, not a definition:
            # said of another concept it would be nonsense, not a plausible confusion
            label = _LABEL.match(d.sentence.folded[d.match.end() :])
            if (
                d.sentence.id not in seen
                and d.context is None
                and (d.predicate or by_name)
                and not label
                and 5 <= len(d.sentence.stems) <= 35
            ):
                seen.add(d.sentence.id)
                yield d.sentence, "confusion", other_view


_GENUS_END = re.compile(
    r"\b(?:that|which|who|whose|where|when|built|used|made|of|for|with|in|into|to|on|by|from|"
    r"as|at|than|and|or)\b|[,;:.()]",
    re.I,
)


def _genus(predicate: str) -> str:
    """The head noun of a definition's predicate: "a newer package built on NumPy that ..."
    -> "packag" (stemmed); "" when there is none."""
    head = _GENUS_END.split(fold(predicate), 1)[0]
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", head) if w.lower() not in ("a", "an", "the")]
    return stem(words[-1].lower()) if words else ""


def _sibling(view: ConceptView, other_view, genus: str, predicate: str) -> bool:
    """Is the other concept a thing of the same sort, so its definition said of this one is a
    plausible confusion? Same head noun ("a strategy" and "a strategy"), or names sharing a
    word ("cryptographic hash", "hash function"). "X is called Y" defines no sort."""
    if re.match(r"\W*(called|known|named|termed)\b", predicate, re.I):
        return False
    other = _genus(predicate)
    if other and other == genus:
        return True
    return same_head(view, other_view)


def same_head(view: ConceptView, other_view) -> bool:
    """Do the two names end in the same head word ("linear probing", "quadratic probing")? A
    word shared elsewhere ("hash table", "cryptographic hash") names things of different
    sorts, or one a kind of the other ("a cryptographic hash is a function that takes a key
    ..." is not false)."""
    mine = re.findall(r"[A-Za-z]{3,}", view.concept.name)
    theirs = re.findall(r"[A-Za-z]{3,}", other_view.concept.name)
    return bool(
        len(mine) > 1 and len(theirs) > 1 and stem(mine[-1].lower()) == stem(theirs[-1].lower())
    )


# A changed direction or quantity keeps the sentence grammatical and plausible. Not words
# with a second sense or a partner that needs other grammar: "never" -> "always" ("proves the
# key was always inserted"), "left" (a verb: "a marker right in a bucket"), "same" ("two
# same keys land in the different bucket"), "input" ("two outputs with the same output").
_OPPOSITES = {
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
_OPPOSITE = re.compile(r"\b(" + "|".join(_OPPOSITES) + r")\b", re.I)
# read as a flip, never made one: "the full data" is the whole of it, not a full bucket
_NOT_CHANGED = frozenset({"full"})
# "row and column labels": exchanging the two words of a pair joined like this says the same
_COORDINATED = re.compile(r"\W*(?:and|or|nor|&|/|,)\W*(?:both\s+)?$|\W*$", re.I)
_NUMBER = re.compile(r"(?<![\w.-])(\d+(?:\.\d+)?)(?![\w.-]*\d)(?!-\w)")


# where a sentence joins two claims ("X tries ..., and Y uses ...")
_CLAUSE_BREAK = re.compile(r";\s+|,\s+(?:and|but|while|whereas)\s+")


def _own_clause(text: str, name: re.Match | None) -> range:
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


def _article_before(text: str, word: str) -> str:
    """``text`` (what comes before ``word``) with its last article agreeing with ``word``:
    "reaches an" + "full" -> "reaches a"."""
    m = re.search(r"\b(an?)(\s+)$", text, re.I)
    if not m:
        return text
    vowel = word[:1].lower() in "aeiou" and not re.match(r"(?:one|uni|use|eu)", word, re.I)
    art = "an" if vowel else "a"
    art = art.capitalize() if m.group(1)[0].isupper() else art
    return text[: m.start()] + art + m.group(2)


def _code_ranges(text: str) -> list[range]:
    return [range(m.start(), m.end()) for m in re.finditer(r"`[^`]*`", text)]


def _change(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    """The sentence with its direction turned round — both words when it holds a pair ("from
    higher to lower" -> "from lower to higher"), else the first one ("larger" -> "smaller") —
    or one number changed tenfold, outside the concept's own name: (statement, method)."""
    text = fold(sentence)
    if re.search(r"\b(?:too|as well|also)\b", text, re.I):
        return None  # ("the load factor shrinks ..., a hash table must grow too": "too" tells)
    name = view.pattern.search(text) if view.pattern else None
    skip = range(name.start(), name.end()) if name else range(0)
    code = _code_ranges(text)  # (a literal in code is not a claim)
    own = _own_clause(text, name)

    def claim(i: int) -> bool:
        return i in own and i not in skip and not any(i in r for r in code)

    found = [
        m
        for m in _OPPOSITE.finditer(text)
        if claim(m.start()) and m.group(1).lower() not in _NOT_CHANGED
    ]
    if any(
        _OPPOSITES[a.group(1).lower()] == b.group(1).lower()
        and _COORDINATED.fullmatch(text[a.end() : b.start()])
        for a, b in zip(found, found[1:], strict=False)
    ):
        return None
    if found:
        words = {m.group(1).lower() for m in found}
        paired = [m for m in found if _OPPOSITES[m.group(1).lower()] in words]
        # both words of a pair, else every use of the first word ("stops at an empty bucket:
        # an empty bucket proves ...": one changed and one not would contradict itself)
        first = found[0].group(1).lower()
        chosen = paired or [m for m in found if m.group(1).lower() == first]
        out, last = [], 0
        for m in chosen:
            word = m.group(1)
            new = _OPPOSITES[word.lower()]
            new = new.capitalize() if word[0].isupper() else new
            out += [_article_before(text[last : m.start()], new), new]
            last = m.end()
        return "".join(out) + text[last:], "direction"
    for m in _NUMBER.finditer(text):
        if not claim(m.start()) or re.match(r"(?:19|20)\d\d$", m.group(1)):
            continue  # a year is not a quantity
        if re.search(r"\b[A-Z]\($", text[: m.start()]):
            continue  # "O(1)" is a growth rate: "O(10)" is not a changed quantity but nonsense
        value = m.group(1)
        new = str(int(value) * 10) if value.isdigit() else f"{float(value) * 10:g}"
        return text[: m.start()] + new + text[m.end() :], "quantity"
    return None


def _confuse(view: ConceptView, other_view, sentence: str) -> str | None:
    """Another concept's definition said of this concept: "Osmosis is the net movement ..."."""
    if other_view.pattern is None or (view.pattern and view.pattern.search(fold(sentence))):
        return None
    text = fold(sentence)
    m = other_view.pattern.search(text)
    if not m or _inside_longer_name(text, m) or not view.substitutable(other_view):
        return None
    out = _article(
        other_view.pattern.sub(display_name(view.concept), text, count=1),
        display_name(view.concept),
    )
    return out[0].upper() + out[1:] if text[:1].isupper() else out


def false_first(concept: str, i: int = 0) -> bool:
    """Whether the ``i``-th statement of a concept is asked as a false one: by a stable hash,
    so half of all statements are false on any curriculum."""
    return zlib.crc32(f"{concept}:{i}".encode()) % 2 == 1


def _false_for(view: ConceptView, s, confusions: list) -> tuple | None:
    """A plausible false counterpart of defining sentence ``s``: its direction or a number
    changed, it said of a sibling, or (spent from ``confusions``) a sibling's definition said
    of this concept. ``(statement, corrected, method, cited sentence, other view)``."""
    sentence = standalone(s.clean, view.names)
    changed = _change(view, sentence)
    if changed:
        return changed[0], sentence, changed[1], s, None
    swapped = _swap(view, sentence)
    if swapped:
        return swapped[0], sentence, "swap", s, None
    return _confusion(view, confusions)


def _confusion(view: ConceptView, confusions: list) -> tuple | None:
    """A sibling's definition said of this concept, citing the sibling's sentence (spent from
    ``confusions``): ``(statement, corrected, method, cited sentence, other view)``."""
    while confusions:
        other_sentence, other_view = confusions.pop(0)
        said = standalone(other_sentence.clean, other_view.names)
        if re.search(r"\brespectively\b", said, re.I):
            continue  # ("The left join and right join return ..., respectively": a pairing)
        confused = _confuse(view, other_view, said)
        if confused:
            return confused, said, "swap", other_sentence, other_view
    return None


# ("but" is left out: "X keep ... intact, but they pile up, so tables with many Y ..." joins
# two claims about X, and exchanging X and Y garbles both)
_CONTRAST_WORDS = (
    r"(?:while|whereas|unlike|rather than|instead of|in contrast|as opposed to|versus|vs)"
)
_CONTRAST = re.compile(rf"\b{_CONTRAST_WORDS}\b", re.I)


def _contrast_swap(view: ConceptView, sentence: str) -> tuple[str, str] | None:
    """A sentence that contrasts this concept with another ("while indexing refers to
    columns, slicing refers to rows") with the two names exchanged: false, and as plausible
    as the true one. ``(statement, the other concept's name)``."""
    if view.pattern is None or not _CONTRAST.search(sentence):
        return None
    text = fold(sentence)
    mine = view.pattern.search(text)
    if not mine or _inside_longer_name(text, mine):
        return None
    for other_view, _score in view.related_views(limit=30):
        if other_view.pattern is None or not view.substitutable(other_view):
            continue
        if _nested(view.concept.name, other_view.concept.name):
            continue
        theirs = next(
            (
                m
                for m in other_view.pattern.finditer(text)
                if m.end() <= mine.start() or m.start() >= mine.end()
            ),
            None,
        )
        if theirs is None or _inside_longer_name(text, theirs):
            continue
        (a0, a1), (b0, b1) = sorted([_phrase(text, mine), _phrase(text, theirs)])
        between = text[a1:b0]
        lead = " ".join(text[:a0].split()[-3:])
        # "while A ..., B ..." / "unlike A, B ..." / "A ..., whereas B ...": the two are
        # contrasted, clause against clause
        before = bool(_CONTRAST.search(lead)) and bool(re.search(r"[,;]", between))
        after = bool(re.search(rf"[,;]\s*(?:\w+\s+)?{_CONTRAST_WORDS}\b", between, re.I))
        if len(between.split()) < 3 or not (before or after):
            continue  # the contrast is not between these two
        swapped = text[:a0] + text[b0:b1] + between + text[a0:a1] + text[b1:]
        if swapped[:1].islower() and text[:1].isupper():
            swapped = swapped[0].upper() + swapped[1:]
        return swapped, clean_for_prompt(other_view.concept.name)
    return None


_QUALIFIED = re.compile(r"(?:\b(?-i:[A-Z][\w-]+)\s+)?[`*_]*$")


def _phrase(text: str, m: re.Match) -> tuple[int, int]:
    """The whole name around a match: its code or emphasis marks and a capitalised
    qualifier ("Pandas `Series`"), so an exchange moves whole names."""
    start = m.start() - len(_QUALIFIED.search(text[: m.start()]).group(0))
    end = m.end() + len(re.match(r"[`*_]*", text[m.end() :]).group(0))
    if start == 0 or text[start - 1] in ".!?":  # (a capitalised first word is no qualifier)
        start = m.start() - len(re.search(r"[`*_]*$", text[: m.start()]).group(0))
    return start, end


def _askable(view: ConceptView, facts: list, confusions: list) -> tuple[list, list]:
    """``(sentence, its statement, its false twin, only false)`` for the facts with a false
    twin, and the facts without one (asked true only to pair a lone false)."""
    asked = asks_what(view)
    askable, untwinned = [], []
    for s, defining in facts:
        sentence = standalone(s.clean, view.names)
        if s.id == asked:
            # "what is X?" asks this sentence: only a sibling's definition said of X (a
            # passage of its own) is left to ask, false
            false, only_false = _confusion(view, confusions), True
        elif defining:
            false, only_false = _false_for(view, s, confusions), False
        else:
            false, only_false = _false_statement(view, s, sentence), False
        if false is not None:
            askable.append((s, sentence, false, only_false))
        elif s.id != asked:
            untwinned.append((s, sentence, None, False))
    return askable, untwinned


def generate(view: ConceptView):
    """For each fact (a defining sentence, then another statement of a property, use or
    contrast) that also has a plausible false counterpart, ask one of the two, the side asked
    less so far (``false_first`` on a tie): never both, which would give each other away,
    and never a true statement that has no false twin, so keys stay balanced on any source.
    The sentence "what is X?" asks is asked only as a sibling's definition said of X (false,
    first; alone, only when the concept's coin says so)."""
    cands = list(_candidates(view))
    own = [s for s, role, _ in cands if role == "defining"][:4]
    confusions = [(s, v) for s, role, v in cands if role == "confusion"]
    facts = [(s, True) for s in own]
    facts += [(d.sentence, False) for d in view.statements[:6]]
    facts = _short_answer_last(view, facts)
    askable, untwinned = _askable(view, facts, confusions)
    forced = [a for a in askable if a[3]]
    rest = [a for a in askable if not a[3]]
    if forced and not rest:
        # a sibling's definition said of X, and nothing else to ask: paired with a true
        # statement of X that has no false twin, or by the coin (falses alone would lean
        # the keys to false)
        rest = untwinned[:1]
        if not rest and not false_first(view.concept.name):
            forced = []
    out, trues = [], 0
    for s, sentence, false, only_false in forced + rest:
        # the side asked less so far, on a tie a stable coin per concept: a concept's keys
        # differ by one at most, and half of all concepts start with false
        falses = len(out) - trues
        if only_false or (
            falses < trues if falses != trues else false_first(view.concept.name)
        ):
            statement, corrected, method, cited, other_view = false
            explanation = f"False. Corrected: \u201c{corrected}\u201d"
            if other_view is not None:
                explanation += f" (that is {clean_for_prompt(other_view.concept.name)}, not "
                explanation += f"{display_name(view.concept)})"
            is_true = False
        else:
            statement, corrected, method, cited = sentence, "", "source", s
            explanation = f"True: the source says \u201c{sentence}\u201d"
            is_true = True
            trues += 1
        out.append(
            view.new(
                "true_false",
                PREFIX + statement,
                is_true,
                choices=["True", "False"],
                explanation=explanation,
                citations=[view.span(cited)],
                difficulty=difficulty(
                    "true_false",
                    rarity=view.rarity(),
                    words_count=len(statement.split()),
                    extra=0.1 * (method != "source"),
                ),
                data={"statement": statement, "corrected": corrected, "method": method},
            )
        )
    return out


def _short_answer_last(view: ConceptView, facts: list) -> list:
    """The concept's first teaching sentence is what "what is X?" asks (``short_answer``), and
    the self-check keeps one exercise per fact: asked last here, a true/false statement goes
    to a fact of its own when the concept has one."""
    first = asks_what(view)
    if first is None or len(facts) < 2:
        return facts
    return [f for f in facts if f[0].id != first] + [f for f in facts if f[0].id == first]


def _parallel_swap(view: ConceptView, sentence: str) -> tuple[str, object] | None:
    """The statement said of a sibling that the sources describe in a parallel sentence
    ("The `iloc` attribute allows indexing and slicing that always references the implicit
    Python-style index" said of `loc`, whose own sentence says "... the explicit index"):
    false, shown so by the sibling's own sentence. ``(statement, sibling view)``."""
    if view.pattern is None:
        return None
    text = fold(sentence)
    mine = view.pattern.search(text)
    if not mine or _inside_longer_name(text, mine):
        return None
    frame = stem_set(text[: mine.start()] + " " + text[mine.end() :])
    for other_view, _score in view.related_views(limit=8):
        other = other_view.concept
        pat = other_view.pattern
        if pat is None or pat.search(text) or not view.substitutable(other_view):
            continue
        if _nested(view.concept.name, other.name):
            continue
        for d in other_view.teaching[:2] + other_view.statements[:4]:
            if len(frame.intersection(d.sentence.stems)) < 0.6 * len(frame):
                continue  # (cheap screen: a parallel sentence shares most of the frame)
            theirs = fold(d.sentence.clean)
            m = pat.search(theirs)
            if m is None or (view.pattern.search(theirs)):
                continue
            their_frame = stem_set(theirs[: m.start()] + " " + theirs[m.end() :])
            shared = len(frame & their_frame) / max(len(frame | their_frame), 1)
            if 0.6 <= shared < 1.0 and frame - their_frame:
                surface = mine.group(0)
                name = (
                    m.group(0) if surface[:1].islower() == m.group(0)[:1].islower() else other.name
                )
                return text[: mine.start()] + name + text[mine.end() :], other_view
    return None


def _false_statement(view: ConceptView, s, sentence: str) -> tuple | None:
    """A statement's false twin: its two contrasted names exchanged, or its direction or a
    number changed (never another concept's name put in: a property of one thing may well
    hold for its sibling too)."""
    swapped = _contrast_swap(view, sentence)
    if swapped:
        return swapped[0], sentence, "contrast", s, None
    parallel = _parallel_swap(view, sentence)
    if parallel:
        return parallel[0], sentence, "swap", s, parallel[1]
    changed = _change(view, sentence)
    if changed:
        return changed[0], sentence, changed[1], s, None
    positive = _unnegate(view, sentence)
    if positive:
        return positive, sentence, "negation", s, None
    return None


# a negated auxiliary and its positive ("does not" is left alone: "does support" reads odd)
_NEGATED = re.compile(
    r"\b(is|are|was|were|will|should|must|can)(?: not\b|not\b)|\b(isn't|aren't|wasn't|weren't|"
    r"won't|shouldn't|mustn't|can't)",
    re.I,
)
_POSITIVE = {"isn't": "is", "aren't": "are", "wasn't": "was", "weren't": "were", "won't": "will",
             "shouldn't": "should", "mustn't": "must", "can't": "can"}  # fmt: skip


def _unnegate(view: ConceptView, sentence: str) -> str | None:
    """A statement that says the concept is not / cannot something, said positively ("Python
    does not support ..." is left alone; "`Index` objects cannot be modified" -> "can be
    modified"): false, and no odder than the true one. Only for a single negation in the
    concept's own clause."""
    text = fold(sentence)
    if _negations(text) != 1:
        return None
    name = view.pattern.search(text) if view.pattern else None
    own = _own_clause(text, name)
    m = _NEGATED.search(text)
    if not m or m.start() not in own or (name is not None and m.start() < name.end()):
        return None  # (a "not" before the name is in a condition: "If X is not ..., Y can")
    word = m.group(1) or m.group(2)
    positive = _POSITIVE.get(word.lower(), word)
    if word[0].isupper():
        positive = positive.capitalize()
    return text[: m.start()] + positive + text[m.end() :]


def solve(exercise, corpus: Corpus) -> Solution:
    statement = exercise.prompt.removeprefix(PREFIX)
    st = stem_set(statement)
    if len(st) < 3:
        return Solution(answer=None, note="the statement is too short to check")
    neg = _negations(statement)
    order = stem_tuple(statement)
    best_true, best_false = (0.0, None), (0.0, None)
    verbatim = False
    for s, cov in retrieve(corpus, statement, k=12):
        ts = s.sset
        if cov >= 0.9 and _flipped(statement, s.text):
            # "before" for "after", "less" for "more": stop words to the stems, the
            # direction of the claim to a reader
            if cov > best_false[0]:
                best_false = (cov, s)
            continue
        extra_in_source = ts - st
        missing = st - ts
        same_polarity = _negations(s.text) == neg
        if (
            same_polarity
            and not missing
            and len(extra_in_source) <= 2
            and not _in_order(order, stem_tuple(s.text))
        ):
            # the same words in another order ("from lower to higher" for "from higher to
            # lower"): the relation is reversed, a contradiction
            if cov > best_false[0]:
                best_false = (cov, s)
            continue
        if same_polarity and cov >= 0.9 and (not missing or (len(missing) == 1 and cov >= 0.95)):
            score = cov - 0.3 * (len(extra_in_source) / max(len(ts), 1))
            verbatim = verbatim or (not missing and len(extra_in_source) <= 0.1 * len(ts))
            if score > best_true[0]:
                best_true = (score, s)
        elif not same_polarity and not missing and len(extra_in_source) <= 2:
            # the same claim with the opposite polarity: a contradiction
            if cov > best_false[0]:
                best_false = (cov, s)
        elif same_polarity and cov >= 0.6 and 0 < len(missing) <= 3 and len(extra_in_source) <= 4:
            # the same sentence with one term swapped or one word changed ("associative array"
            # for "array"): a contradiction, unless a source sentence says it word for word
            score = cov if not verbatim else cov - 0.3
            if score > best_false[0]:
                best_false = (score, s)
    if best_true[1] is None and best_false[1] is None:
        return Solution(answer=None, note="no source sentence confirms or contradicts it")
    if best_true[0] >= best_false[0]:
        (sup, s), rival = best_true, best_false[0] if best_false[1] else None
        answer, rival_answer = True, "false"
    else:
        (sup, s), rival = best_false, best_true[0] if best_true[1] else None
        answer, rival_answer = False, "true"
    return Solution(
        answer=answer,
        support=sup,
        runner_up=rival,
        runner_up_answer=rival_answer,
        supporting=[s.span(corpus.documents)],
    )


def _flipped(statement: str, source: str) -> bool:
    """Whether ``statement`` says a direction word ("before") where ``source`` says its
    opposite ("after") and not the word itself."""
    mine = set(words(statement))
    theirs = set(words(source))
    return any(
        w in _OPPOSITES
        and _OPPOSITES[w] in theirs
        and w not in theirs
        and _OPPOSITES[w] not in mine
        for w in mine
    )


def _in_order(needle: tuple, hay: tuple) -> bool:
    """Whether ``needle``'s stems occur in ``hay`` in the same order (gaps allowed)."""
    it = iter(hay)
    return all(any(h == n for h in it) for n in needle)


def reveals(exercise) -> str:
    if re.search(r"\b(true|false)\b", exercise.data.get("statement", ""), re.I):
        return "the statement itself says true or false"
    return ""


register(
    ExerciseKindPlugin(
        name="true_false",
        kind="true_false",
        generate=generate,
        solve=solve,
        matches=lambda answered, key: bool(answered) == bool(key),
        reveals=reveals,
        min_support=0.6,
        min_margin=0.15,
        order=30,
    )
)
