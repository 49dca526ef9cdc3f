"""Question-independent features of a free-text answer against a reference (and a question).

The features follow the short-answer grading literature (Mohler et al. 2011; Sultan et al. 2016):
word overlap with the reference, the same after *question demoting* (words the question already
contains earn nothing: an answer that only repeats the question is not an answer), soft alignment
of words through contextual embeddings (a BERTScore-style precision/recall over content words),
sentence-embedding cosine, length ratios, negation mismatch, and coverage of the reference's key
points. No feature depends on which question it is, so a model fitted on some questions transfers
to new ones.

Bags of words cannot tell a statement from its words shuffled, negated or turned around, so
``GATE_FEATURES`` look at form: whether the reference's words come in the reference's order and
keep its phrases, how many fewer function words the answer has than the reference (keyword
lists have none), and whether a clause both say is negated on one side only. A second model
(``model.py``) reads them with the word overlap to tell an answer made of the reference's words
from a statement of it.

>>> f = extract("What is a pointer?", "A variable holding an address.", "It stores an address.")
>>> 0.0 <= f["overlap_f1"] <= 1.0
True
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np
from lemminflect import getAllLemmas
from rapidfuzz import fuzz

from teachback.core.text import stem
from teachback.tutor.grading import embed
from teachback.tutor.grading.text import (
    NEGATIONS,
    STOPWORDS,
    clean,
    content_stems,
    has_negation,
    idea_units,
    sentences,
    words,
)

_WORD_SPAN = re.compile(r"[A-Za-z][A-Za-z0-9_']*|\d+(?:\.\d+)?")

FEATURES = [
    "overlap_p",
    "overlap_r",
    "overlap_f1",
    "demoted_p",
    "demoted_r",
    "demoted_f1",
    "align_p",
    "align_r",
    "align_f1",
    "demoted_align_p",
    "demoted_align_r",
    "demoted_align_f1",
    "hard_p",
    "hard_r",
    "cos_ref",
    "cos_question",
    "cos_gain",
    "cos_content",
    "fuzzy",
    "log_len",
    "len_ratio",
    "question_share",
    "negation_mismatch",
    "points_mean",
    "points_min",
    "points_covered",
]

# What the gaming check reads: how much of the answer is the reference's words, and its form.
# The overlap leaves out the question's words: "A pointer is not a variable that ..." is the
# reference negated whether or not it first repeats the question's term.
GATE_FEATURES = [
    "demoted_p",
    "demoted_r",
    "order_discord",
    "negation_flip",
    "function_gap",
    "pairs_kept",
]


@dataclass
class _Side:
    """One text, encoded: token vectors and each token's word stem (None: not a content word)."""

    enc: embed.Encoded
    stems: list[str | None]


def _side(text: str) -> _Side:
    text = clean(text)
    enc = embed.encode(text)
    spans = [(m.start(), m.end(), m.group(0).lower().strip("'")) for m in _WORD_SPAN.finditer(text)]
    stems: list[str | None] = []
    j = 0
    for start, _end in enc.offsets:
        while j < len(spans) and spans[j][1] <= start:
            j += 1
        if j < len(spans) and spans[j][0] <= start < spans[j][1]:
            w = spans[j][2]
            stems.append(None if (w in STOPWORDS or len(w) < 2 and not w.isdigit()) else stem(w))
        else:
            stems.append(None)  # punctuation
    return _Side(enc, stems)


def _prf(a: set, r: set) -> tuple[float, float, float]:
    if not a or not r:
        return 0.0, 0.0, 0.0
    inter = len(a & r)
    p, rec = inter / len(a), inter / len(r)
    return p, rec, (2 * p * rec / (p + rec) if p + rec else 0.0)


def _sim(a: _Side, r: _Side, drop: set[str]) -> np.ndarray | None:
    """Cosines between the content tokens of two texts (rows: ``a``), or None if either has none."""
    ia = [i for i, s in enumerate(a.stems) if s is not None and s not in drop]
    ir = [i for i, s in enumerate(r.stems) if s is not None and s not in drop]
    if not ia or not ir:
        return None
    return a.enc.tokens[ia] @ r.enc.tokens[ir].T


def _content_cosine(a: _Side, r: _Side, drop: set[str]) -> float:
    """Cosine of the mean contextual vectors of the two texts' content tokens beyond the
    question's words: what the answer adds, against what the reference adds, in meaning."""
    pooled = []
    for side in (a, r):
        idx = [i for i, s in enumerate(side.stems) if s is not None and s not in drop]
        if not idx:
            return 0.0
        v = side.enc.tokens[idx].mean(axis=0)
        pooled.append(v / max(float(np.linalg.norm(v)), 1e-12))
    return float(pooled[0] @ pooled[1])


def _align(a: _Side, r: _Side, drop: set[str]) -> tuple[float, float, float]:
    """Soft precision/recall: each content token's best cosine to the other side's tokens."""
    sim = _sim(a, r, drop)
    if sim is None:
        return 0.0, 0.0, 0.0
    p = float(sim.max(axis=1).mean())
    rec = float(sim.max(axis=0).mean())
    p, rec = max(p, 0.0), max(rec, 0.0)
    return p, rec, (2 * p * rec / (p + rec) if p + rec else 0.0)


def key_point_recall(point: str, answer: str, drop: set[str] = frozenset()) -> float:
    """How well an answer covers one key point: soft recall of the point's content words.

    Words the answer states verbatim (same stem) always count in full: the soft alignment of
    very short points (one word, a possessive) can miss an exact match.
    """
    soft = _align(_side(answer), _side(point), set(drop))[1]
    wanted = set(content_stems(point)) - set(drop)
    if not wanted:
        return soft
    exact = len(wanted & set(content_stems(answer))) / len(wanted)
    return max(soft, exact)


def extract(
    question: str, reference: str, answer: str, rubric: list[str] | None = None
) -> dict[str, float]:
    """All features of one answer, as a name -> value dict (``FEATURES`` and ``GATE_FEATURES``)."""
    a_st, r_st, q_st = (
        set(content_stems(answer)),
        set(content_stems(reference)),
        set(content_stems(question)),
    )
    drop = q_st if (r_st - q_st) else set()  # never demote the whole reference away
    a_side, r_side, q_side = _side(answer), _side(reference), _side(question)

    f: dict[str, float] = {}
    f["overlap_p"], f["overlap_r"], f["overlap_f1"] = _prf(a_st, r_st)
    f["demoted_p"], f["demoted_r"], f["demoted_f1"] = _prf(a_st - drop, r_st - drop)
    f["align_p"], f["align_r"], f["align_f1"] = _align(a_side, r_side, set())
    f["demoted_align_p"], f["demoted_align_r"], f["demoted_align_f1"] = _align(a_side, r_side, drop)
    sim = _sim(a_side, r_side, drop)
    # Share of tokens with a near-exact counterpart (a hard alignment, as in Sultan et al.).
    f["hard_p"] = float((sim.max(axis=1) >= HARD).mean()) if sim is not None else 0.0
    f["hard_r"] = float((sim.max(axis=0) >= HARD).mean()) if sim is not None else 0.0
    f["cos_ref"] = float(a_side.enc.sentence @ r_side.enc.sentence)
    f["cos_question"] = float(a_side.enc.sentence @ q_side.enc.sentence)
    f["cos_gain"] = f["cos_ref"] - float(r_side.enc.sentence @ q_side.enc.sentence)
    f["cos_content"] = _content_cosine(a_side, r_side, drop)
    f["fuzzy"] = fuzz.token_set_ratio(clean(answer).lower(), clean(reference).lower()) / 100.0
    n_a = len(content_stems(answer))
    n_r = max(len(content_stems(reference)), 1)
    f["log_len"] = float(np.log1p(n_a))
    f["len_ratio"] = min(n_a / n_r, 5.0)
    f["question_share"] = (len(a_st & q_st) / len(a_st)) if a_st else 1.0
    f["negation_mismatch"] = float(has_negation(answer) != has_negation(reference))

    f["order_discord"] = _order_discord(answer, reference)
    f["function_gap"] = _function_share(reference) - _function_share(answer)
    f["negation_flip"] = _negation_flip(answer, reference)
    f["pairs_kept"] = _pairs_kept(answer, reference)
    # Learners drop a glue word or two themselves ("memory address" for "address in memory");
    # only what goes beyond that reads as a list.
    f["glue_dropped"] = float(max(_glue_dropped(answer, reference) - GLUE_SLACK, 0))

    # The key points the feedback names (the rubric's, else the reference's idea units), each
    # measured as the feedback measures it: a reference of two statements half answered is
    # half right, whatever share of its words the answer repeats.
    points = [p for p in (rubric or []) if p.strip()] or idea_units(reference) or [reference]
    recalls = [key_point_recall(p, answer, drop) for p in points]
    f["points_mean"] = float(np.mean(recalls)) if recalls else 0.0
    f["points_min"] = float(np.min(recalls)) if recalls else 0.0
    f["points_covered"] = (
        float(np.mean([r >= COVER_THRESHOLD for r in recalls])) if recalls else 0.0
    )
    return f


def _order_discord(answer: str, reference: str) -> float:
    """Share of pairs of the reference's content words, within one reference sentence, that the
    answer states in the opposite order (0: same order or too few shared words).

    >>> _order_discord("a value stored in memory", "A location in memory stores a value.")
    1.0
    >>> _order_discord("the function main", "At the main function.")
    0.0
    """
    first: dict[str, int] = {}
    last: dict[str, int] = {}
    for i, s in enumerate(content_stems(answer)):
        first.setdefault(s, i)
        last[s] = i
    pairs = discordant = 0
    for sent in sentences(reference):
        ref = list(dict.fromkeys(content_stems(sent)))
        for i in range(len(ref)):
            # Neighbouring words are often a compound said either way round ("main function",
            # "function main"); a relation puts other words between its terms.
            for j in range(i + 2, len(ref)):
                if ref[i] in first and ref[j] in first:
                    pairs += 1
                    # Out of order only if no mention of the first comes before one of the
                    # second: a word repeated across sentences is in order somewhere.
                    discordant += first[ref[i]] > last[ref[j]]
    return discordant / pairs if pairs else 0.0


def _pairs_kept(answer: str, reference: str) -> float:
    """Share of the answer's neighbouring reference words (other words skipped) that are
    neighbours, in that order, in a clause of the reference (one word between allowed): a
    statement keeps the reference's phrases ("default constructor", "portions of the product")
    however it rewords the rest; a keyword list shuffled out of the reference breaks them.
    Pairs are taken within clauses, so the items of a list may come in any order. 1.0 when the
    answer has no two of the reference's words in one clause.

    >>> _pairs_kept("It simulates portions of the software", "Simulate portions of software.")
    1.0
    >>> _pairs_kept("Software simulate portions.", "Simulate portions of software.")
    0.5
    >>> _pairs_kept("Member functions and data members.", "Data members and member functions.")
    1.0
    """
    ref_stems = set(content_stems(reference))
    near = set()
    for clause in _clauses(reference):
        st = _stems_of(clause)
        near |= {(a, b) for i, a in enumerate(st) for b in st[i + 1 : i + 3]}
    pairs = []
    for clause in _clauses(answer):
        said = [s for s in _stems_of(clause) if s in ref_stems]
        pairs += [(a, b) for a, b in zip(said, said[1:], strict=False) if a != b]
    return sum(p in near for p in pairs) / len(pairs) if pairs else 1.0


_RUN_BREAK = re.compile(r"[.,;:!?()\[\]\n]|<br\s*/?>|\s[-–—]\s")
# Past this many, glue dropped is a keyword list however long it goes on.
MAX_GLUE_DROPPED = 5
GLUE_SLACK = 2  # pairs without the reference's glue that learners' own statements also have


def _glue_dropped(answer: str, reference: str) -> int:
    """How often the answer puts two of the reference's words side by side, in the reference's
    order, with nothing between them where the reference has a function word or a comma: the
    reference with its glue taken out ("allocating usually twice old capacity moving every
    entry" for "allocating a new, larger bucket array, usually twice the old capacity, and
    moving every entry"). A statement in other words glues its terms with its own words; a
    compound the reference also says ("learning rate") drops nothing.

    >>> ref = "Resizing is allocating a new, larger bucket array, usually twice the old capacity."
    >>> _glue_dropped("allocating usually twice old capacity", ref)
    2
    >>> _glue_dropped("You make a bigger array of buckets, about double the old capacity", ref)
    0
    """
    tokens = [t.lower() for t in _WORD_SPAN.findall(clean(reference))]
    stems = [stem(t) if t not in STOPWORDS else None for t in tokens]
    # For each reference content word, where it is said: pairs said side by side there are
    # adjacent; pairs said further apart, in order, had glue between them.
    where: dict[str, list[int]] = {}
    for i, s in enumerate(stems):
        if s:
            where.setdefault(s, []).append(i)
    dropped = 0
    for part in _RUN_BREAK.split(answer or ""):
        said = [t.lower() for t in _WORD_SPAN.findall(clean(part))]
        for a, b in zip(said, said[1:], strict=False):
            if a in STOPWORDS or b in STOPWORDS:
                continue
            ia, ib = where.get(stem(a), []), where.get(stem(b), [])
            if not ia or not ib or any(j - i == 1 for i in ia for j in ib):
                continue
            dropped += any(0 < j - i <= 6 for i in ia for j in ib)
    return min(dropped, MAX_GLUE_DROPPED)


def _function_share(text: str) -> float:
    ws = words(text)
    return sum(w in STOPWORDS for w in ws) / len(ws) if ws else 0.0


# Where a clause ends, for pairing an answer's clauses with the reference's: punctuation, a
# conjunction, and "and"/"or" (the items of a list may come in any order, and each is checked
# on its own).
_CLAUSE_SPLIT = re.compile(
    r"[.;:!?,()]|\b(?:and|or|but|whereas|while|although|however"
    # A clause of cause or consequence is a statement of its own: the "not" of "so it does not
    # have to make a call" denies the call, not the main clause's claim.
    r"|so|because|since|therefore|thus)\b",
    re.IGNORECASE,
)
# A share of the reference clause's content words from which an answer clause is taken to say
# the same thing about the same terms (so their polarity can be compared).
ALIGNED_AT = 0.5


def _clauses(text: str) -> list[list[str]]:
    """Each clause's lower-case word tokens. A part without content words (a lone "not") is
    carried into the next clause: "Not n (the length ...)" negates what follows."""
    out, carried = [], []
    for part in _CLAUSE_SPLIT.split(clean(text)):
        toks = carried + [t.lower() for t in _WORD_SPAN.findall(part or "")]
        if _stems_of(toks):
            out.append(toks)
            carried = []
        else:
            carried = toks
    return out


def _stems_of(tokens: list[str]) -> list[str]:
    return [stem(t) for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


# Verbs and nouns that deny what follows without a "not": "omitting the base case" says what
# "the base case is not included" says, and must not read as contradicting it.
_DENYING_STEMS = frozenset({"omit", "lack", "miss", "absent", "absenc", "fail", "neglect"})


def _negative(tokens: list[str]) -> bool:
    """An odd number of negations: "not ... no ..." reads as plain again."""
    denials = sum(t in NEGATIONS or t.endswith("n't") or stem(t) in _DENYING_STEMS for t in tokens)
    return denials % 2 == 1


def _aligned_clauses(answer: str, reference: str) -> list[tuple[list[str], list[str]]]:
    """Pairs (answer clause, reference clause) that share at least half of the reference
    clause's content words: where the answer speaks about the same terms as one statement of
    the reference (the one it shares most with)."""
    refs = [(c, set(_stems_of(c))) for c in _clauses(reference)]
    pairs = []
    for a in _clauses(answer):
        a_st = set(_stems_of(a))
        best, best_n = None, 0
        for r, r_st in refs:
            n = len(a_st & r_st)
            if n > best_n and n >= ALIGNED_AT * len(r_st):
                best, best_n = r, n
        if best is not None:
            pairs.append((a, best))
    return pairs


def _negation_flip(answer: str, reference: str) -> float:
    """Share of the answer's clauses aligned with a reference clause that are negated where the
    reference clause is not, or the other way round. A reference that says a thing both ways
    ("if no constructor is provided ... if a constructor is defined") is contradicted only by
    a clause that negates the statement it is closest to.

    >>> _negation_flip("It cannot store a value.", "It can store a value.")
    1.0
    >>> _negation_flip("Made when we do not define one", "not made if one is defined")
    0.0
    """
    pairs = _aligned_clauses(answer, reference)
    if not pairs:
        return 0.0
    return sum(_negative(a) != _negative(r) for a, r in pairs) / len(pairs)


# Two words whose own embeddings (out of context) are this close say the same thing here
# ("larger"/"bigger" 0.93, "portions"/"parts" 0.63); a changed term is further ("union"/
# "intersection" 0.35, "fills"/"drops" 0.39). In context every word of one frame looks alike.
SAME_WORD_AT = 0.5
SPELLING_AT = 80  # "anther" for "another": a misspelling, not another word
# A gap longer than this (content words) is a rewording of the clause, not one term changed.
MAX_GAP = 2


def _same_word(a: str, b: str) -> bool:
    if stem(a) == stem(b) or fuzz.ratio(a, b) >= SPELLING_AT:
        return True
    return float(embed.encode(a).sentence @ embed.encode(b).sentence) >= SAME_WORD_AT


def _nouns(tokens: list[str]) -> list[str]:
    """The words that can be nouns: a term of a statement, not how it is said."""
    return [t for t in tokens if "NOUN" in getAllLemmas(t)]


def _content_tokens(tokens: list[str]) -> list[str]:
    return [t for t in tokens if t not in STOPWORDS and (len(t) > 1 or t.isdigit())]


def _lcs_pairs(a: list[str], b: list[str]) -> list[tuple[int, int]]:
    """Positions (i in a, j in b) of a longest common subsequence of two stem lists."""
    n, m = len(a), len(b)
    t = [[0] * (m + 1) for _ in range(n + 1)]
    for i in range(n - 1, -1, -1):
        for j in range(m - 1, -1, -1):
            t[i][j] = t[i + 1][j + 1] + 1 if a[i] == b[j] else max(t[i + 1][j], t[i][j + 1])
    out, i, j = [], 0, 0
    while i < n and j < m:
        if a[i] == b[j]:
            out.append((i, j))
            i, j = i + 1, j + 1
        elif t[i + 1][j] >= t[i][j + 1]:
            i += 1
        else:
            j += 1
    return out


def _changes_a_term(answer_clause: list[str], reference_clause: list[str]) -> bool:
    """Whether the answer clause says the reference clause's frame with one of its terms swapped
    for another: both keep the same words on either side, and between them the answer puts a
    word that is not the reference's nor a synonym of it ("a join over the *intersection* of the
    input columns" for "a join over the *union* of the input columns")."""
    a_words, r_words = _content_tokens(answer_clause), _content_tokens(reference_clause)
    a_st, r_st = [stem(w) for w in a_words], [stem(w) for w in r_words]
    anchors = _lcs_pairs(a_st, r_st)
    # Only between two kept words: at a clause's ends a different word is as often a rewording
    # ("stores" for "contains") as a changed claim, and out of context the two cannot be told.
    for (ai, ri), (aj, rj) in zip(anchors, anchors[1:], strict=False):
        said, meant = a_words[ai + 1 : aj], r_words[ri + 1 : rj]
        if not said or not meant or len(said) > MAX_GAP or len(meant) > MAX_GAP:
            continue
        if any(stem(w) in r_st for w in said) or any(stem(w) in a_st for w in meant):
            continue  # the same words in another order: a reordering, not a changed term
        if not (_nouns(said) and _nouns(meant)):
            continue  # a verb said otherwise ("becomes" for "is converted into") rewords
        if not any(_same_word(x, y) for x in said for y in meant):
            return True
    return False


def term_changed(answer: str, reference: str) -> float:
    """Share of the answer's clauses aligned with a reference clause that change one of its
    terms (``_changes_a_term``): the reference's statement about other things, a claim that is
    false however many of its words it keeps.

    >>> term_changed("It returns a join over the intersection of the input columns.",
    ...               "An outer join returns a join over the union of the input columns.")
    1.0
    >>> term_changed("It returns a join over the union of all the input columns.",
    ...               "An outer join returns a join over the union of the input columns.")
    0.0
    """
    pairs = _aligned_clauses(answer, reference)
    if not pairs:
        return 0.0
    return sum(_changes_a_term(a, r) for a, r in pairs) / len(pairs)


HARD = 0.7  # token cosine that counts as "the same word in context"

# Soft recall above which a key point counts as covered (between the dev set's full-mark answers,
# median 0.61, and its wrong answers, 75th percentile 0.26; see docs/grading.md).
COVER_THRESHOLD = 0.5


def vector(f: dict[str, float], names: list[str] = FEATURES) -> np.ndarray:
    return np.array([f[name] for name in names], dtype=np.float64)
