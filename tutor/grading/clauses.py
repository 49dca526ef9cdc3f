"""Clause by clause, whether an answer says the reference's statement the other way round: a
clause negated on one side only (``negation_flip``), a term turned into its opposite
(``contradictions``: "a *smaller* bucket array" for "a *larger* bucket array", "*intersection*"
for "*union*", "*anyone* can find" for "*nobody* can find"), the opposite step done to the same
thing (``opposite_actions``: "*deleting* old entries" for "*moving* every entry"), or one term
swapped for another (``changed_terms``: "a location in *element*" for "a location in
*memory*")."""

from __future__ import annotations

import re
from collections import Counter

from lemminflect import getAllLemmas
from rapidfuzz import fuzz

from teachback.core.text import stem
from teachback.tutor.grading import embed
from teachback.tutor.grading.opposites import (
    action,
    change,
    changed_count,
    changed_polarity,
    growth_words,
    opposed,
    opposed_in_place,
    other_kind,
    place,
)
from teachback.tutor.grading.text import (
    NEGATIONS,
    STOPWORDS,
    WORD_SPAN,
    clean,
)

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
    for part in _CLAUSE_SPLIT.split(growth_words(clean(text))):
        toks = carried + [t.lower() for t in WORD_SPAN.findall(part or "")]
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


def _denies(token: str) -> bool:
    return token in NEGATIONS or token.endswith("n't") or stem(token) in _DENYING_STEMS


# "dont", "doesnt", "cant": a negation typed without its apostrophe. Read only where a clause's
# negations decide whether it says anybody or nobody does a thing ("dont specify any").
_BARE_NT = re.compile(r"(?:do|does|did|is|are|was|were|ca|wo|could|should|would|has|have|had)nt")


def _denies_as_typed(token: str) -> bool:
    return _denies(token) or bool(_BARE_NT.fullmatch(token))


def _negative(tokens: list[str]) -> bool:
    """An odd number of negations: "not ... no ..." reads as plain again."""
    return sum(_denies(t) for t in tokens) % 2 == 1


def _aligned_clauses(
    answer: str, reference: str, by_share: bool = False
) -> list[tuple[list[str], list[str]]]:
    """Pairs (answer clause, reference clause) that share at least half of the reference
    clause's content words: where the answer speaks about the same terms as one statement of
    the reference (the one it shares most with; with ``by_share``, of two sharing as many, the
    one it covers more of: "nonconstant solution to nonconstant data" is the list's
    "nonconstant pointer to nonconstant data", not its "nonconstant pointer to constant
    data")."""
    refs = [(c, set(_stems_of(c))) for c in _clauses(reference)]
    pairs = []
    for a in _clauses(answer):
        a_st = set(_stems_of(a))
        best, best_key = None, (0, 0.0)
        for r, r_st in refs:
            n = len(a_st & r_st)
            key = (n, n / len(r_st) if by_share and r_st else 0.0)
            if n and key > best_key and n >= ALIGNED_AT * len(r_st):
                best, best_key = r, key
        if best is not None:
            pairs.append((a, best))
    return pairs


# Words that stand for something said elsewhere: a clause denying only such a thing ("hash
# tables don't need *that*") denies what the learner named before, not the reference's claim.
_STAND_INS = frozenset("that this it them those these one so".split())


def _denies_another_thing(answer_clause: list[str], reference_clause: list[str]) -> bool:
    """Whether a negated answer clause denies only a stand-in for something said elsewhere
    ("hash tables don't need *that*") where the reference clause says what it is about ("a
    hash table only needs keys to be spread evenly"): the two are about different things."""
    at = next((i for i, t in enumerate(answer_clause) if _denies(t)), None)
    if at is None:
        return False
    denied = answer_clause[at + 1 :]
    content = _content_tokens(denied)
    if not denied or denied[-1] not in _STAND_INS or len(content) > 1:
        return False
    said = {stem(w) for w in _content_tokens(answer_clause)}
    return bool({stem(w) for w in _content_tokens(reference_clause)} - said)


def flipped_clauses(answer: str, reference: str) -> list[list[str]]:
    """The answer's clauses aligned with a reference clause that are negated where the reference
    clause is not, or the other way round.

    >>> flipped_clauses("It cannot store a value.", "It can store a value.")
    [['it', 'cannot', 'store', 'a', 'value']]
    """
    return [
        a
        for a, r in _aligned_clauses(answer, reference)
        if _negative(a) != _negative(r) and not _denies_another_thing(a, r)
    ]


# How far after a negation a word is still what it denies: "never *changes*", "does not
# *make*", "aren't *advancing*". Only a negation of the verb: "*nobody* can find" is as often
# said "it is impossible to find", which has no negation to read.
_DENIED_WITHIN = 2
_VERB_NEGATIONS = frozenset({"not", "never", "cannot"})


def denied_words(text: str) -> dict[str, str]:
    """The content words a text denies -- those within two words after "not", "never" or a
    "-n't" verb, in the same clause -- by stem, each with the words that deny it.

    >>> denied_words("It has a hash value that never changes during its lifetime.")
    {'chang': 'never changes'}
    """
    out: dict[str, str] = {}
    for clause in _clauses(text):
        for i, tok in enumerate(clause):
            if tok in _VERB_NEGATIONS or tok.endswith("n't"):
                for j in range(i + 1, min(i + 1 + _DENIED_WITHIN, len(clause))):
                    for s in _stems_of(clause[j : j + 1]):
                        out.setdefault(s, " ".join(clause[i : j + 1]))
    return out


def denial(answer: str, statement: str) -> tuple[str, str]:
    """(the learner's word, the statement's words that deny it) when a clause of the answer says
    plainly, with no negation, a word the statement denies: "whose hash *changes* whenever its
    contents change" against "a hash value that *never changes*"; ("", "") otherwise. An answer
    that says the same in other words ("stays the same") or with its own negation ("does not
    change") turns nothing.

    >>> denial("Its hash changes when it changes.", "Its hash value never changes.")
    ('changes', 'never changes')
    >>> denial("Its hash stays the same.", "Its hash value never changes.")
    ('', '')
    """
    denied = denied_words(statement)
    if not denied:
        return "", ""
    for clause in _clauses(answer):
        if _negative(clause):
            continue
        for tok in clause:
            if tok not in STOPWORDS and stem(tok) in denied:
                return tok, denied[stem(tok)]
    return "", ""


def says_denied(answer: str, statement: str) -> bool:
    """Whether the answer says plainly a word the statement denies (``denial``)."""
    return bool(denial(answer, statement)[0])


def _negation_flip(answer: str, reference: str) -> float:
    """Share of the answer's clauses aligned with a reference clause that are negated where the
    reference clause is not, or the other way round (``flipped_clauses``). A reference that says
    a thing both ways ("if no constructor is provided ... if a constructor is defined") is
    contradicted only by a clause that negates the statement it is closest to; a clause that
    denies a stand-in ("hash tables don't need *that*") denies what the answer named before.

    >>> _negation_flip("It cannot store a value.", "It can store a value.")
    1.0
    >>> _negation_flip("Made when we do not define one", "not made if one is defined")
    0.0
    >>> _negation_flip("Nobody can find two inputs with the same output; hash tables don't "
    ...                "need that", "Nobody can find two inputs with the same output; a hash "
    ...                "table only needs keys to be spread evenly")
    0.0
    """
    pairs = _aligned_clauses(answer, reference)
    if not pairs:
        return 0.0
    return len(flipped_clauses(answer, reference)) / len(pairs)


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


def _only_noun(word: str) -> bool:
    return set(getAllLemmas(word)) == {"NOUN"}


def _nouns(tokens: list[str]) -> list[str]:
    """The words that can be nouns: a term of a statement, not how it is said."""
    return [t for t in tokens if "NOUN" in getAllLemmas(t)]


# Words after which a word that could also be a verb or an adjective is a noun ("the final").
_DETERMINERS = frozenset("a an the its their his her this these those each every any some".split())
# After a preposition too ("the behaviour of *portions*"), but not after "to" ("to *store*").
_PREPOSITIONS = frozenset("of in on for with by at from about into onto within".split())


def _nouns_here(words: list[str], clause: list[str], adjectives: bool = True) -> list[str]:
    """The words that are nouns where they stand: one that can also be a verb ("another
    variable *lives* in memory", "it *makes* a copy") or, with ``adjectives``, an adjective
    ("the desired *final* product") only after a determiner or a preposition."""
    out = []
    for w in _nouns(words):
        lemmas = getAllLemmas(w)
        if "VERB" in lemmas or adjectives and "ADJ" in lemmas:
            at = clause.index(w) if w in clause else 0
            if at == 0 or clause[at - 1] not in _DETERMINERS | _PREPOSITIONS:
                continue
        out.append(w)
    return out


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


def _gap_spans(answer_clause, reference_clause, ends=False, keep=None):
    """Each place where both clauses keep the same words on either side and put other words
    between them: (the answer's words there, the reference's words there, the kept word after
    them in the answer, in the reference; "" at a clause's end). ``keep`` picks the words
    compared (the content words unless told)."""
    keep = keep or _content_tokens
    a_words, r_words = keep(answer_clause), keep(reference_clause)
    anchors = _lcs_pairs([stem(w) for w in a_words], [stem(w) for w in r_words])
    spans = list(zip(anchors, anchors[1:], strict=False))
    if ends and anchors:
        spans = [((-1, -1), anchors[0]), *spans, (anchors[-1], (len(a_words), len(r_words)))]
    for (ai, ri), (aj, rj) in spans:
        said, meant = a_words[ai + 1 : aj], r_words[ri + 1 : rj]
        if said and meant and len(said) <= MAX_GAP and len(meant) <= MAX_GAP:
            after_a = a_words[aj] if aj < len(a_words) else ""
            after_r = r_words[rj] if rj < len(r_words) else ""
            yield said, meant, after_a, after_r


def _gaps(answer_clause: list[str], reference_clause: list[str], ends: bool = False):
    """Each place where both clauses keep the same words on either side and put other words
    between them: (the answer's words there, the reference's words there). With ``ends``, also
    the words before the first kept word and after the last one."""
    for said, meant, _, _ in _gap_spans(answer_clause, reference_clause, ends):
        yield said, meant


def _changed_term(
    answer_clause: list[str],
    reference_clause: list[str],
    ends: bool = False,
    reference_stems: frozenset[str] = frozenset(),
) -> tuple[str, str]:
    """Whether the answer clause says the reference clause's frame with one of its terms swapped
    for another: both keep the same words on either side, and between them the answer puts a
    word that is not the reference's nor a synonym of it ("a join over the *intersection* of the
    input columns" for "a join over the *union* of the input columns"). Returns (the learner's
    word, the reference's word), ("", "") when there is none."""
    a_st = Counter(stem(w) for w in _content_tokens(answer_clause))
    r_st = Counter(stem(w) for w in _content_tokens(reference_clause))
    inner = list(_gaps(answer_clause, reference_clause))
    same_rest = len(a_st) == len(r_st) and sum((a_st - r_st).values()) == 1
    # Only between two kept words unless ``ends``: at a clause's ends a different word is as
    # often a rewording ("stores" for "contains") as a changed claim, and out of context the two
    # cannot be told -- except in an answer that otherwise follows the reference's wording.
    for said, meant in _gaps(answer_clause, reference_clause, ends):
        # The same words in another order is a reordering, not a changed term; a word said
        # once more elsewhere is not ("the *body* code ... a function call" for "the function
        # code ... a function call": one "function" is gone).
        if any(a_st[stem(w)] <= r_st[stem(w)] and stem(w) in r_st for w in said) or any(
            r_st[stem(w)] <= a_st[stem(w)] for w in meant
        ):
            continue
        if any(stem(w) in reference_stems for w in said):
            continue  # a word the reference says elsewhere ("an alias (synonym) for ...")
        said_nouns = _nouns_here(said, answer_clause)
        # The reference's own word: an adjective there ("the *null* element") is still a term.
        meant_nouns = _nouns_here(meant, reference_clause, adjectives=False)
        if len(said) == len(meant) == 1 and _only_noun(meant[0]) and _nouns(said):
            # One word for one where the reference's can only be a noun: the slot is a noun's,
            # so the learner's word is one there too ("*alias* functions" for "*member*
            # functions", "the array *coding*" for "the array *declaration*").
            said_nouns, meant_nouns = said, meant
        elif ends and len(said) == len(meant) == 1 and ((said, meant) in inner or same_rest):
            # In an answer that otherwise follows the reference's wording (``ends``), one word
            # between two kept ones (or the one word a clause otherwise the reference's
            # changes), in the place of one, changes the claim whatever it is ("or *testing*
            # the functions" for "or *outside* the functions"); a verb for a verb rewords
            # ("stores" for "contains").
            if not ("VERB" in getAllLemmas(said[0]) and "VERB" in getAllLemmas(meant[0])):
                said_nouns, meant_nouns = said, meant
        if not (said_nouns and meant_nouns):
            continue  # a verb said otherwise ("becomes" for "is converted into") rewords
        if not any(_same_word(x, y) for x in said for y in meant):
            return said_nouns[0], meant_nouns[0]
    return "", ""


def changed_terms(answer: str, reference: str, ends: bool = False) -> list[tuple[str, str, str]]:
    """The answer's clauses that say a statement of the reference with one of its terms swapped
    for another (``_changed_term``), as (clause, the learner's word, the reference's word);
    with ``ends``, also a term swapped at a clause's start or end (for an answer that follows
    the reference's wording).

    >>> changed_terms("A location in element that can store a value.",
    ...               "A location in memory that can store a value.")
    [('a location in element that can store a value', 'element', 'memory')]
    """
    out, own = [], frozenset(stem(w) for c in _clauses(reference) for w in _content_tokens(c))
    for a, r in _aligned_clauses(answer, reference, by_share=ends):
        said, meant = _changed_term(a, r, ends, own)
        if said:
            out.append((" ".join(a), said, meant))
    return out


def term_changed(answer: str, reference: str) -> float:
    """Share of the answer's clauses aligned with a reference clause that change one of its
    terms (``_changed_term``): the reference's statement about other things, a claim that is
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
    return sum(bool(_changed_term(a, r)[0]) for a, r in pairs) / len(pairs)


def _opposite_terms(answer_clause: list[str], reference_clause: list[str]) -> tuple[str, str]:
    """A word of the answer clause, not in the reference clause, that says the opposite of a
    word of the reference clause the answer leaves out ("smaller" for "larger", "half" for
    "twice") or names another kind of the same thing ("intersection" for "union"); ("", "")
    when there is none."""
    said_count, meant_count = changed_count(answer_clause, reference_clause)
    if said_count:
        return said_count, meant_count
    a_words, r_words = _content_tokens(answer_clause), _content_tokens(reference_clause)
    a_st, r_st = {stem(w) for w in a_words}, {stem(w) for w in r_words}
    said = [w for w in a_words if stem(w) not in r_st]
    meant = [w for w in r_words if stem(w) not in a_st]
    # An opposite anywhere in the clause: "smaller" says the opposite of "larger" wherever it
    # stands. Another kind of thing only in the reference's place for it, between words both
    # keep: anywhere else it is as often another part of the statement ("the main *method*").
    for w in said:
        for v in meant:
            if opposed(w, v):
                return w, v
    for gap_said, gap_meant in _gaps(answer_clause, reference_clause):
        if any(stem(w) in r_st for w in gap_said) or any(stem(w) in a_st for w in gap_meant):
            continue  # the same words in another order (``_changed_term``)
        for w in gap_said:
            for v in gap_meant:
                if other_kind(w, v):
                    return w, v
    return _opposite_in_place(answer_clause, reference_clause)


# Words that say there is exactly one of the noun after them ("holds a *single* entry").
_ONE = frozenset("single one sole lone solitary".split())


def _plural_of(plural: str, singular: str) -> bool:
    return plural != singular and singular in getAllLemmas(plural).get("NOUN", ())


def _opposite_in_place(answer_clause: list[str], reference_clause: list[str]) -> tuple[str, str]:
    """A word standing where the reference has one of the opposite meaning, between the same
    kept words (or at the clause's ends): an adjective WordNet opposes through its head
    ("*free* buckets" for "*occupied* buckets"), a preposition of the opposite place ("the
    place *outside* the array" for "the place *in* the array"), a step of the other class
    ("whose entry was *inserted*" for "... was *deleted*"), or one thing where the reference
    says many ("holds a *single* entry" for "holds a small list of ... entries"). Read only in
    that place: elsewhere in a clause such words are as often another part of the claim."""
    a_st = {stem(w) for w in _content_tokens(answer_clause)}
    r_st = {stem(w) for w in _content_tokens(reference_clause)}
    for said, meant, after_a, after_r in _gap_spans(answer_clause, reference_clause, ends=True):
        if any(stem(w) in r_st for w in said) or any(stem(w) in a_st for w in meant):
            continue  # the same words in another order
        one = next((w for w in said if w in _ONE), "")
        if one and after_a and _plural_of(after_r, after_a):
            return one, after_r
        pair = next(((w, v) for w in said for v in meant if _turned_in_place(w, v)), None)
        if pair:
            return pair
    # Prepositions are no content words: their places are read among all the words.
    for said, meant, _, _ in _gap_spans(answer_clause, reference_clause, keep=list):
        pair = next(
            (
                (w, v)
                for w in said
                for v in meant
                if place(w) is not None and opposed_in_place(w, v)
            ),
            None,
        )
        if pair:
            return pair
    return "", ""


def _turned_in_place(said: str, meant: str) -> bool:
    """Whether a word says the opposite of the reference's in its place: an indirect antonym or
    the other class of step. A denying word ("omitted" for "not included") is the negation
    check's to read."""
    if _denies(said) or _denies(meant):
        return False
    return opposed_in_place(said, meant) or {action(said), action(meant)} == {"keep", "remove"}


def _turned(said: str, meant: str) -> bool:
    """Whether two words say opposite things, so that one under a negation says the other ("not
    smaller" for "larger", "not free" for "occupied"); another kind of thing does not."""
    return (
        opposed(said, meant)
        or opposed_in_place(said, meant)
        or {action(said), action(meant)} == {"keep", "remove"}
    )


def contradictions(answer: str, reference: str) -> list[tuple[str, str, str]]:
    """The answer's clauses that say a statement of the reference with a term turned into its
    opposite, as (clause, the learner's word, the reference's word). An opposite under a
    negation agrees ("not smaller" for "larger"); another kind of thing does not. Whether
    anybody or nobody does the thing is read with the clause's negations ("not anyone can find"
    says "nobody can find").

    >>> contradictions("It allocates a smaller bucket array.",
    ...                "It allocates a larger bucket array.")
    [('it allocates a smaller bucket array', 'smaller', 'larger')]
    >>> contradictions("It allocates a bucket array that is not smaller.",
    ...                "It allocates a larger bucket array.")
    []
    """
    out = []
    for a, r in _aligned_clauses(answer, reference):
        said, meant = changed_polarity(a, r, _denies_as_typed)
        if said:
            out.append((" ".join(a), said, meant))
            continue
        said, meant = _opposite_terms(a, r)
        if not said:
            continue
        if _negative(a) != _negative(r) and _turned(said, meant):
            continue
        out.append((" ".join(a), said, meant))
    return out


# How far after a verb of keeping or removing its object is looked for (content words), and how
# far before it a negation turns it round ("does not keep").
OBJECT_SPAN, NEGATION_SPAN = 3, 3
SUBJECT_SPAN = 1  # the noun just before a verb of change is what changes ("its cost grows")


# Words after which a word that could be a noun is the verb ("it *drops* rows", "to *copy*").
_VERB_AFTER = frozenset(
    """to it they which that who and or then is are was were be been can could will would should
    must may might does do did also first""".split()
)


def _verb_here(tokens: list[str], i: int) -> bool:
    """Whether a verb of keeping or removing is the verb where it stands: not a noun ("a *copy*",
    "making *copies*"), unless it can only be a verb or is a gerund ("*deleting* old entries")."""
    w = tokens[i]
    if "NOUN" not in getAllLemmas(w) or w.endswith("ing"):
        return not (i and tokens[i - 1] in _DETERMINERS)
    return bool(i) and tokens[i - 1] in _VERB_AFTER


def _actions(text: str) -> dict[tuple[str, str], dict[str, str]]:
    """For each thing a step is done to (the stem of a noun just after a verb of keeping or
    removing) or a quantity changes (the noun just before a verb of change: "its cost
    *grows*"), the classes said of it, each with its verb: {("done", "entri"): {"keep":
    "moving"}}. A negated step is left out: "does not create" says what is not done, not the
    opposite step (``negation_flip`` reads negations)."""
    out: dict[tuple[str, str], dict[str, str]] = {}
    for clause in _clauses(text):
        for i, w in enumerate(clause):
            if any(_denies(t) for t in clause[max(0, i - NEGATION_SPAN) : i]):
                continue
            if (kind := action(w)) and _verb_here(clause, i):
                role, things = "done", _content_tokens(clause[i + 1 :])[:OBJECT_SPAN]
            elif (kind := change(w)) and i and _nouns(clause[i - 1 : i]):
                # A verb of change right after its subject ("its cost *stays*").
                role, things = "changes", clause[i - SUBJECT_SPAN : i]
            else:
                continue
            for thing in _nouns(things):
                out.setdefault((role, stem(thing)), {}).setdefault(kind, w)
    return out


def opposite_actions(answer: str, reference: str) -> list[tuple[str, str, str]]:
    """The answer's steps that do the opposite of the reference's to the same thing -- remove
    what it keeps or moves, or keep what it removes -- as (the thing, the learner's verb, the
    reference's verb). A thing the reference both keeps and removes is left alone.

    >>> opposite_actions("Resizing is deleting old entries so the table has room again.",
    ...                  "Resizing is allocating a larger array and moving every entry into it.")
    [('entri', 'deleting', 'moving')]
    >>> opposite_actions("It does not delete the entries; it moves them.",
    ...                  "It moves every entry into the new array.")
    []
    >>> opposite_actions("It avoids the copy of large data.", "It removes large data.")
    []
    >>> opposite_actions("Its cost stays the same.", "Its cost grows with the number of items.")
    [('cost', 'stays', 'grows')]
    """
    said, meant = _actions(answer), _actions(reference)
    out = []
    for (role, thing), kinds in said.items():
        wanted = meant.get((role, thing), {})
        if len(wanted) != 1:
            continue
        for kind, verb in kinds.items():
            if kind not in wanted and len(kinds) == 1:
                out.append((thing, verb, next(iter(wanted.values()))))
    return out
