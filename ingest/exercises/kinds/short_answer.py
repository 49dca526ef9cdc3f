"""Short free-text answers with a reference answer and a rubric of key points.

"In your own words, what is X?", only where a sentence says what X is (``ConceptView.teaching``);
it is the reference. ("How does X relate to Y?" is not asked: no single gradable answer.)
``data["rubric"]`` holds 2–4 key points — the rarest content phrases of the reference that
can name a thing, taken from what it says after the concept's name (from its head, before a
dash, a contrast, an example or a consequence, when that gives two), never a hedge, a manner, a
bare verb, a word under a negation or the question's own words — and ``data["reference"]``
the reference answer; the grading helper scores answers against both (the rubric only ever
lowers a score).

Reader (self-check): among the sentences naming the subject (both subjects for the relation
variant), take the most definitional one as its answer; the exercise is answerable when that
answer covers the key's content words (and so its rubric).
"""

from __future__ import annotations

import re
from functools import lru_cache

import lemminflect

from teachback.core.text import fold
from teachback.ingest.exercises.context import ConceptView, difficulty, display_name
from teachback.ingest.exercises.context.defining import (
    definition_context,
    is_called,
    predicate_of,
)
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.quality.definitions import defines, does_word, states
from teachback.ingest.exercises.quality.restate import standalone, tidy
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.text import STOPWORDS, overlap, stem_set, term_regex

GENERIC = frozenset(
    """even though although however called written takes take taken returns return gives give
    makes make made decides decide often full much many really quite actually simply always
    usually whole certain various several means mean used uses called known like
    whether whenever unless""".split()
)
# Words that carry no claim a learner could be asked to say back: shell nouns that only frame a
# statement ("the *situation* where ...", "the *tendency* of ...", "the *result* contains"),
# judgements and hedges ("a *bit confusing*", "*well defined*", "in many *ways similar*", "more
# *sophisticated* things"), and the kind of code object a name is ("the `unstack` *method*", "the
# `loc` *attribute*"). A point made only of them is filler.
FILLER = frozenset(
    """situation tendency place way ways thing things fact idea means manner sense respect result
    matter example instance aspect case bit lot confusing confused defined well nevertheless
    conceptually similar sophisticated simple simply easy easier difficult hard useful
    important interesting powerful flexible convenient nice great good bad clear clearly
    straightforward tricky quick quickly fancy neat handy essentially basically
    method function attribute object operation""".split()
)
# Figures of speech whose nouns name nothing the sentence is about.
IDIOMS = ("under the hood", "in a nutshell", "at the end of the day", "by and large")
# Nouns that say almost nothing alone ("a filtered version of the *data*"): never a point on
# their own, even to make up a second one.
VAGUE = frozenset("data value values information item items element elements stuff".split())
# Nouns that only measure or sort what follows their "of" ("a *piece* of data", "the *number* of
# stored entries"); elsewhere they are the claim ("returns a whole *number*").
MEASURE = frozenset("number amount piece kind sort type form part set portion".split())
_SUBJECT = re.compile(r"[\W_]*(?:(?:a|an|the)\s+)?", re.I)
# lemminflect deep-copies what it looks up on every call, and key points read the same few
# thousand words again for every concept: remembered here (the callers only read them)
getAllLemmas = lru_cache(maxsize=32_768)(lemminflect.getAllLemmas)
getInflection = lru_cache(maxsize=8192)(lemminflect.getInflection)
_STATEMENT_END = re.compile(r"[.!?:;]\W*$")
WHAT = "In your own words, what is **{name}**?"
DOES = "In your own words, what does **{name}** do?"
RELATE = "How does **{name}** relate to **{other}**, according to the sources?"


def key_points(reference: str, exclude: list[str], corpus: Corpus, limit: int = 4) -> list[str]:
    """Content phrases of ``reference`` (runs of non-stop words), rarest first, taken from its
    head -- what the sentence says the concept is or does, before an example, a contrast or a
    figure that elaborates it -- when the head alone gives enough points to grade by.

    >>> # "Osmosis is the movement of water across a membrane" -> ["movement", "water",
    >>> #  "membrane"] (the concept's own name excluded)
    >>> # "Jagged frontier means AI capabilities aren't advancing as a smooth line moving
    >>> #  upward - some directions have shot through the roof while others ..." -> the head's
    >>> #  ["AI capabilities", "smooth line moving upward"], not "shot", "roof", "floor"
    """
    text = fold(reference)
    for name in exclude:
        pat = term_regex([name])
        if pat:
            text = pat.sub(" | ", text)
    asked = set().union(*(stem_set(n) for n in exclude)) if exclude else set()
    head = _head(text)
    if head != text:
        points = _points(head, reference, asked, corpus, limit)
        if gradable(points):
            return points
    return _points(text, reference, asked, corpus, limit)


# Where a definition's head ends and its elaboration begins: a dash, a contrast ("while",
# "whereas", "even though", "although", ", but"), an example ("such as", "for example", "e.g."),
# a consequence (", so ..." but not "so that") or a second clause after a semicolon. A plain
# answer says the head; the rarest words of the elaboration are often a figure of speech ("shot
# through the roof") or an example's detail ("a million comparisons", "`user1`") it need not
# repeat.
_ELABORATION = re.compile(
    r"\s-{1,2}\s|;|,\s*but\b|,\s*so\s+(?!that\b)"
    r"|,?\s+(?:while|whereas|even though|although|such as|for example|for instance|e\.g\.)\b",
    re.I,
)


def _head(text: str) -> str:
    """The text up to its first elaboration after the concept's name (masked as "|"), or after
    its start when the name comes last ("... such as `user1` ... This is called X")."""
    named = text.find("|")
    cut = _ELABORATION.search(text, named + 1 if named >= 0 else 0)
    if cut is None and named >= 0:
        cut = _ELABORATION.search(text)
    return text[: cut.start()] if cut else text


def _points(text: str, reference: str, asked: set[str], corpus: Corpus, limit: int) -> list[str]:
    """The key points of ``text`` (the reference with the concept's names masked as "|")."""
    phrases, run, predicate = [], [], []
    named = False  # past the concept's name: what the sentence says it is
    negated = False  # the run follows a negation: "never *changes*" says the opposite alone
    prev = ""
    toks = _TOKEN.findall(text)
    for i, tok in enumerate(toks):
        tok_prev, prev = prev, tok
        tok_next = toks[i + 1] if i + 1 < len(toks) else ""
        verb = _verb_here(tok, tok_prev, tok_next)
        negation = _NEGATION.fullmatch(tok) is not None
        if negation or _glue(tok) or verb and not _modifier(tok, tok_prev, tok_next):
            if run and not negated:
                phrases.append(" ".join(run))
                predicate.append(named)
            run = []
            named = named or tok == "|"
            negated = negation
        else:
            run.append(tok)
    if run and not negated:
        phrases.append(" ".join(run))
        predicate.append(named)
    # The phrases after the name say what it is ("Every hash table needs a collision
    # resolution strategy: a rule for ..." -> the rule, not "every hash table needs").
    if sum(predicate) >= 2:
        phrases = [p for p, said in zip(phrases, predicate, strict=True) if said]
    # Key points are the things the sentence says the concept is or involves: a phrase with
    # a word that can name a thing ("larger bucket array", "smaller learning rate"), not a
    # hedge, a manner or a bare verb ("different", "usually twice", "allocating"); nor one made
    # of the question's own words ("sequence" for "probe sequence"): it is given.
    phrases = [p.strip("'\"`") for p in phrases]
    phrases = [
        p
        for p in phrases
        if p
        if len(p.split()) <= 4
        and not stem_set(p) <= asked
        and not _filler(p, text)
        and not _announces_list(p, text)
    ]
    # One word alone is a point when it is a rare topic word; a common one ("buckets", "data")
    # or an action named by its gerund ("slicing") only to make up a second point: one point
    # alone is the whole rubric, and saying it back ("stored entries divided") would then pass
    # for the statement it was cut from.
    strong = [
        p for p in phrases if _names_a_thing(p) and (len(p.split()) > 1 or _topic_word(p, corpus))
    ]
    weak = [
        p
        for p in phrases
        if p not in strong
        and len(p.split()) == 1
        and (_names_a_thing(p) or p.lower().endswith("ing"))
        and p.lower() not in GENERIC | VAGUE
        and len(p) >= 4
    ]
    out = _rarest(strong, corpus)
    if len(out) == 1:
        out += [p for p in _rarest(weak, corpus) if not stem_set(p) <= _said(out)][: 2 - len(out)]
    order = {p: fold(reference).find(p) for p in out[:limit]}
    return sorted(out[:limit], key=lambda p: order[p])


# A word, or a code name whole ("ffi_type", "FFI_TYPE_STRUCT", "pd.merge"): a point is never a
# fragment of an identifier ("TYPE", "STRUCT"), which names nothing a learner could say back.
_TOKEN = re.compile(r"[A-Za-z0-9][\w'-]*(?:\.[A-Za-z_]\w*)*|[^\sA-Za-z0-9]")
# A word that turns what follows into its opposite ("never changes", "aren't advancing").
_NEGATION = re.compile(r"not|no|never|nor|cannot|\w+n't", re.I)


def _rarest(phrases: list[str], corpus: Corpus) -> list[str]:
    """The phrases rarest first, each once (a phrase inside another already taken is left)."""
    seen, out = set(), []
    for p in sorted(phrases, key=lambda p: -corpus.rarity(p)):
        key = frozenset(stem_set(p))
        if key and not any(key <= s for s in seen):
            seen.add(key)
            out.append(p)
    return out


def _said(points: list[str]) -> set[str]:
    return set().union(*(stem_set(p) for p in points)) if points else set()


_COUNT = re.compile(r"(?:\d+|two|three|four|five|six|seven|eight|nine|ten)\b", re.I)


def _announces_list(phrase: str, text: str) -> bool:
    """A count that announces a list ("supports *three operations*: insert a pair, look up
    ..."): it says how many, the list says what, and an answer that names them all has said
    it."""
    return bool(_COUNT.match(phrase)) and bool(re.search(rf"\b{re.escape(phrase)}\s*:", text, re.I))


def _filler(phrase: str, text: str) -> bool:
    """Whether a phrase is made only of words that carry no claim (``FILLER``), or is a measure
    noun followed by "of" in the sentence (``MEASURE``)."""
    said = [w.lower() for w in phrase.split()]
    if all(w in FILLER for w in said):
        return True
    if any(phrase.lower() in idiom and idiom in text.lower() for idiom in IDIOMS):
        return True  # ("it is doing more sophisticated things under the *hood*")
    return (
        len(said) == 1
        and said[0] in MEASURE
        and bool(re.search(rf"\b{re.escape(phrase)}\s+of\b", text, re.I))
    )


def _topic_word(word: str, corpus: Corpus) -> bool:
    """Whether one word alone is a point: not generic, and rare in the sources overall."""
    return word.lower() not in GENERIC and len(word) >= 4 and corpus.rarity(word) >= 0.35


# A two-letter acronym names a thing ("*AI* capabilities", "the *OS*"), though short words are glue.
_ACRONYM = re.compile(r"[A-Z]{2}")


def _glue(tok: str) -> bool:
    """A token that ends a key phrase: a stop word, punctuation, a generic verb ("makes"), or
    a word that is only ever an adverb ("usually", "perhaps", "momentarily")."""
    low = tok.lower()
    if _ACRONYM.fullmatch(tok):
        return False
    if low in STOPWORDS or not re.match(r"[A-Za-z0-9]", tok) or len(tok) < 3:
        return True
    return low in GENERIC or set(getAllLemmas(low)) == {"ADV"}


# After these a present form is the verb ("which *names* the item"); after a noun it may as well
# be a plural ("bucket *indexes*").
_SUBJECTS = frozenset("which that who it this he she they".split())


# Before these a present form is the verb ("always *references* the implicit index", "*supports*
# three operations", "*shows* how soon"): a plural noun is rarely followed by a determiner.
_OBJECT_STARTS = frozenset(
    """the a an its their his her this these those every each all any some no how what whether
    two three four five six seven eight nine ten""".split()
)
# After these a verb is a phrasal verb's ("*look* up the value"), not a noun.
_PARTICLES = frozenset("up out off down".split())
# After these a word that can be a verb is one ("`dropna` will *drop* all rows").
_MODALS = frozenset("will would can could may might must shall should".split())


def _verb_here(tok: str, prev: str, nxt: str = "") -> bool:
    """A word that is a verb where it stands, so it ends a key phrase: one that is only ever a
    verb ("built", "stored"; a gerund such as "moving" still names an action), a present verb
    form after a relative or a pronoun ("which *names* the item") or before its object ("always
    *references* the implicit index"), or a verb before its particle ("*look* up")."""
    low = tok.lower()
    lemmas = getAllLemmas(low)
    verb = lemmas.get("VERB")
    if not verb:
        return False
    if set(lemmas) == {"VERB"} and not low.endswith("ing"):
        return True
    if nxt.lower() in _PARTICLES or prev.lower() in _MODALS:
        return True
    present = (getInflection(verb[0], "VBZ") or [""])[0]
    return low == present and (prev.lower() in _SUBJECTS or nxt.lower() in _OBJECT_STARTS)


def _modifier(tok: str, prev: str, nxt: str) -> bool:
    """A past participle that starts a noun phrase describes its noun ("an array of *indexed*
    data", "the number of *stored* entries"); after a noun it is a verb ("the data *stored*
    under that name")."""
    if not tok.lower().endswith("ed") or not nxt:
        return False
    starts = not prev or _glue(prev)
    return starts and "NOUN" in getAllLemmas(nxt.lower())


def _names_a_thing(phrase: str) -> bool:
    """Whether a phrase has a word that can be a noun (or a code name, a number): "make sure",
    "different", "allocating" name nothing a learner could be expected to say back."""
    for w in phrase.split():
        lemmas = getAllLemmas(w.lower())
        if "NOUN" in lemmas or "PROPN" in lemmas or not lemmas and not w.isalpha():
            return True
        if not lemmas and w.lower() not in STOPWORDS and w[:1].isupper():
            return True  # a name the lexicon does not know (``DataFrame``, ``NumPy``)
    return False


def _reference(view: ConceptView, sentences: list) -> str:
    """The reference answer: the defining sentence with the one that gives it its meaning;
    or only the defining sentence, when its gloss of the name makes a statement of its own
    ("That is an example of amortized analysis, which averages ..." -> "Amortized analysis
    averages ...": the sentence before it is not needed)."""
    said = [standalone(x.clean, view.names) for x in sentences]
    own = [t for x, t in zip(sentences, said, strict=True) if t != tidy(x.clean)]
    ref = own[0] if len(sentences) > 1 and len(own) == 1 else " ".join(said)
    if len(said) == 2:
        ref = _named_then_meant(said[0], said[1], view.names) or ref
    if not _CLAUSE_OPENS.search(ref):
        # one clause: nothing to cut (and no need to gather the other names)
        return _glossed_does(ref, view.names) or ref
    return first_claim(ref, view.names, other_names(view))


# "... a term for it: jagged frontier." then "It means ...": the first sentence only names the
# term, the second says what it means of "it".
_MEANING = re.compile(r"(?:It|This|That)\s+((?:means|refers to|describes|is)\b.*)", re.S)


def _named_then_meant(naming: str, meaning: str, names: list[str]) -> str:
    """The statement of two sentences that first name a term, at the end of the first ("AI
    researchers have a term for it: jagged frontier."), then say what "it" means ("It means AI
    capabilities aren't ..."): "Jagged frontier means AI capabilities aren't ...". The naming
    sentence says nothing a learner could be asked back. "" for any other pair."""
    m = _MEANING.match(meaning.strip())
    if not m:
        return ""
    for name in names:
        tail = re.search(rf"[:,]?\s*[`*_]*({re.escape(name)})[`*_]*\s*[.!]?$", naming.strip(), re.I)
        if tail and name.strip():
            said = tail.group(1)
            return f"{said[0].upper()}{said[1:]} {m.group(1)}"
    return ""


# a glossary entry of what a thing does: "``fillna``: Returns a copy of the data ..."
_GLOSS = re.compile(r"([`*_]*)([^`*_:]+)([`*_]*)\s*:\s+([A-Z][a-z]+)\b")


def _glossed_does(text: str, names: list[str]) -> str:
    """A glossary entry that says what the concept does, as a sentence ("``fillna``:
    Returns a copy ..." -> "``fillna`` returns a copy ..."); "" for any other text."""
    m = _GLOSS.match(text)
    if not m or not does_word(m.group(4)):
        return ""
    if m.group(2).strip().lower() not in {n.lower() for n in names}:
        return ""
    return f"{m.group(1)}{m.group(2).strip()}{m.group(3)} {m.group(4).lower()}{text[m.end() :]}"


# a clause that starts over with another subject: ", and double hashing uses ...", "; a
# heap keeps ...", ", while separate chaining stores ..."
_NEXT_CLAUSE = r"(?:,\s*(?:and|while|whereas)|;)\s+(?:(?:a|an|the)\s+)?[`*_]*"
_VERB_AFTER = r"[`*_]*\s+(?:is|are|was|were|has|have|can|does|do|\w+s)\b"
# where such a clause could start, whatever its subject (most references have none)
_CLAUSE_OPENS = re.compile(_NEXT_CLAUSE, re.I)


def other_names(view: ConceptView) -> list[str]:
    own = {n.lower() for n in view.names}
    return [
        n
        for c in view.concepts
        for n in (c.name, *c.aliases)
        if len(n) > 2 and n.lower() not in own
    ]


@lru_cache(maxsize=16)
def _clause_cuts(names: frozenset[str]) -> re.Pattern:
    """Compiled once per set of names: every concept of one curriculum asks with the same
    set (its own names and the others'), and compiling an alternation of thousands of
    names costs more than the search."""
    alt = "|".join(re.escape(n) for n in sorted(names, key=len, reverse=True))
    return re.compile(_NEXT_CLAUSE + rf"(?P<subject>{alt}){_VERB_AFTER}", re.I)


def first_claim(reference: str, names: list[str], others: list[str]) -> str:
    """The one clause of the reference about the concept, when the sentence makes a second
    claim about another concept ("Quadratic probing tries `i + 1`, `i + 4`, and so on, and
    double hashing uses a second hash function ..." -> "Quadratic probing tries `i + 1`,
    `i + 4`, and so on." for quadratic probing, "Double hashing uses a second hash function
    ..." for double hashing): the learner is asked about one concept, and a rubric point
    from the other's clause is one they could not be expected to give. Kept whole when the
    concept is named in more than one clause, or its clause is too short to stand."""
    own = [n for n in names if n.strip()]
    if not others or not own:
        return reference
    if not _CLAUSE_OPENS.search(reference):
        return reference
    cuts = list(_clause_cuts(frozenset(others) | frozenset(own)).finditer(reference))
    if not cuts:
        return reference
    starts = [0] + [m.start("subject") for m in cuts]
    ends = [m.start() for m in cuts] + [len(reference)]
    clauses = [reference[a:b] for a, b in zip(starts, ends, strict=True)]
    about = [c for c in clauses if any(re.search(re.escape(n), c, re.I) for n in own)]
    if len(about) != 1 or len(about[0].split()) < 5:
        return reference
    clause = about[0].strip().rstrip(" ,;.")
    return clause[0].upper() + clause[1:] + "."


def _exercise(
    view: ConceptView, sentence, prompt: str, variant: str, other: str = "", context=None
):
    sentences = sorted([sentence] + ([context] if context else []), key=lambda x: x.id)
    reference = _reference(view, sentences)
    rubric = key_points(reference, view.names + ([other] if other else []), view.corpus)
    if not gradable(rubric):
        return None
    return view.new(
        "short_answer",
        prompt,
        reference,
        explanation=f"The source says: \u201c{reference}\u201d",
        citations=[view.span(x) for x in sentences],
        difficulty=difficulty(
            "short_answer",
            rarity=view.rarity(),
            words_count=len(reference.split()),
            extra=0.05 * (variant == "relation"),
        ),
        data={
            "reference": reference,
            "rubric": rubric,
            "variant": variant,
            "subject": view.names,
            "with": [other] if other else [],
        },
    )


def gradable(rubric: list[str]) -> bool:
    """Enough to grade an answer by: two points. One point alone ("stored entries divided" for
    the load factor, "filtered version" for ``dropna``) is the whole rubric, and an answer that
    only says it back would cover every point."""
    return len(rubric) >= 2


def asked_name(view: ConceptView, d) -> str:
    """The name a "what is X?" asks about: the concept's, or for a module named by a dotted
    path (``hashkit.probing``) the word the defining sentence defines ("The search is called
    probing"): a module is not an idea, and its path is not what the sentence explains."""
    name = display_name(view.concept)
    if view.concept.kind == "code" and re.fullmatch(r"[\w]+(?:\.[\w]+)+", name):
        said = d.match.group(0).strip("`*_ ")
        if said and "." not in said:
            return said
    return name


def asks_what(view: ConceptView) -> int | None:
    """The sentence id "what is X?" is built on for this concept (None when it is not
    asked: no teaching sentence, or too few key points in it to grade an answer by)."""
    if not view.teaching:
        return None
    d = view.teaching[0]
    reference = _reference(view, d.sentences)
    return d.sentence.id if gradable(key_points(reference, view.names, view.corpus)) else None


def generate(view: ConceptView):
    out = []
    if view.teaching:
        d = view.teaching[0]
        # (a glossary entry of what it does answers "what does X do?")
        ask = DOES if _glossed_does(tidy(d.sentence.clean), view.names) else WHAT
        ex = _exercise(
            view, d.sentence, ask.format(name=asked_name(view, d)), "what", context=d.context
        )
        if ex:
            out.append(ex)
    does = does_statements(view)
    if len(does) == 1:  # (two would make one question with two different answers)
        ex = _exercise(view, does[0].sentence, DOES.format(name=display_name(view.concept)), "does")
        if ex:
            out.append(ex)
    # No "how does X relate to Y?": it has no single answer a grader can check.
    return out


# what a thing does, said with the thing as the subject ("The `loc` attribute allows ...",
# "By default, `dropna` will drop all rows ..."), not what it is like or where it is used
_ACTION = re.compile(
    r"^(?:(?:will|can|also|always|simply|then|only)\s+)*(?:allow|let|return|map|store|merge|combine|"
    r"convert|compute|remove|drop|fill|create|provide|produce|generate|split|apply|join|give|"
    r"hold|keep|turn|build|move|find|sort|select|group|count|replace|check|read|write|handle|"
    r"take|add|append|insert|delete|look|mark|track|align|return|transform|aggregate|filter|"
    r"rearrange|stack|unstack|reshape|encode|decode|train|predict|sample|estimate|load|save|"
    r"reference|index|slice|concatenate|evaluate|measure|count|scale)(?:s|es|ed)?\b",
    re.I,
)


def does_statements(view: ConceptView) -> list:
    """The concept's statements that say what it does (an action verb right after it)."""
    out = []
    for d in view.statements:
        text = tidy(d.sentence.clean)
        m = view.pattern.search(fold(text)) if view.pattern else None
        if m is None:
            continue
        rest = re.sub(
            r"^[`*_]*\s*(?:(?:attribute|method|function|object|operation)\s+)?", "", text[m.end() :]
        )
        if _ACTION.match(rest):
            out.append(d)
    return out


def _solve_does(exercise, corpus: Corpus, subject: list[str], pat) -> Solution:
    """ "What does X do?": the sentence with X as its subject and an action verb after it;
    two such sentences saying different things are two defensible answers."""
    found = []
    for s, _ in corpus.mentions_of(subject, pat):
        if s.section_kind not in ("prose", "docstring") or s.instruction_like:
            continue
        text = tidy(s.clean)
        m2 = pat.search(fold(text))
        if m2 is None or not states(text, subject):
            continue
        rest = re.sub(
            r"^[`*_]*\s*(?:(?:attribute|method|function|object|operation)\s+)?",
            "",
            text[m2.end() :],
        )
        if _ACTION.match(rest) and s.id not in {x.id for x in found}:
            found.append(s)
    if not found:
        return Solution(answer=None, note="no source sentence says what it does")
    best = found[0]
    sup = overlap(stem_set(exercise.answer), stem_set(best.clean))
    return Solution(
        answer=tidy(best.clean),
        support=sup,
        ambiguous=f"{len(found)} passages say what it does" if len(found) > 1 else "",
        supporting=[best.span(corpus.documents)],
    )


def _definition_score(s, m) -> float:
    """How well sentence ``s`` answers "what is X" for the mention ``m`` of X: the sentence
    that defines X ("X is ...", "... called X") is the answer."""
    pred = predicate_of(s.folded, m)
    score = 2.0 if pred else 1.0 if is_called(s.folded, m) else 0.0
    if pred and re.match(r"\W*(?:not|no|never)\b", pred, re.I):
        score = 0.5  # "Collisions are not a rare accident": says what it is not
    if _SUBJECT.fullmatch(s.folded[: m.start()]):
        score += 0.5  # the subject of its sentence
    if s.text.lstrip().startswith("#") or not _STATEMENT_END.search(s.text):
        score -= 1.0  # a title, not a statement
    return score


# "The `GroupBy` object is ...": what the object is, which "X is ..." (``predicate_of``)
# does not take for what X is; a sentence of what X does has a verb of its own there
_COPULA_AFTER = re.compile(
    r"[`*_]*\s*(?:(?:attribute|method|function|object|operation|class)\s+)?"
    r"(?:is|are|was|were|means)\b",
    re.I,
)


def _defines_here(s, m) -> bool:
    """Whether the sentence says what the mentioned name does (``defines``, the name as
    written in it, and no "is" after it)."""
    if _COPULA_AFTER.match(s.folded, m.end()):
        return False
    return defines(tidy(s.clean), [m.group(0).strip("`*_ ")])


def solve(exercise, corpus: Corpus) -> Solution:
    subject = exercise.data.get("subject") or []
    if exercise.data.get("variant") == "does":
        pat = term_regex(subject)
        if pat is None:
            return Solution(answer=None, note="no subject to look up")
        return _solve_does(exercise, corpus, subject, pat)
    others = exercise.data.get("with") or []
    pat = term_regex(subject)
    opat = term_regex(others) if others else None
    if pat is None:
        return Solution(answer=None, note="no subject to look up")
    cands = []
    for s, m in corpus.mentions_of(subject, pat):
        if opat and not opat.search(s.folded):
            continue
        cands.append((_definition_score(s, m), s, m))
    if not cands:
        return Solution(answer=None, note="no source sentence names the subject")
    if not any(predicate_of(s.folded, m) or is_called(s.folded, m) for _, s, m in cands):
        # no sentence says what it is: the one that says what it does, with it as its
        # subject ("The `pd.merge` function implements ... joins"), as the generator's
        # teaching sentences do (else every mention scores alike and the first one wins)
        cands = [(x + 1.5 * _defines_here(s, m), s, m) for x, s, m in cands]
    cands = [(x, s) for x, s, _ in cands]
    cands.sort(key=lambda x: (-x[0], x[1].id))
    best = cands[0][1]
    if others and len(cands) > 1:
        return Solution(
            answer=best.clean,
            support=overlap(stem_set(exercise.answer), best.sset),
            ambiguous=f"{len(cands)} passages relate the two, each a defensible answer",
        )
    # The reader's answer is the best sentence (with the sentence that gives "This is called
    # X" its meaning); its support is how much of the key it covers.
    context = definition_context(corpus, best, pat.search(best.folded))
    passage = sorted([best] + ([context] if context else []), key=lambda x: x.id)
    answer = " ".join(x.clean for x in passage)
    sup = overlap(stem_set(exercise.answer), stem_set(answer))
    return Solution(
        answer=answer, support=sup, supporting=[x.span(corpus.documents) for x in passage]
    )


def matches(answered, key) -> bool:
    return overlap(stem_set(str(key)), stem_set(str(answered))) >= 0.6


def reveals(exercise) -> str:
    rubric = exercise.data.get("rubric") or []
    prompt = stem_set(exercise.prompt)
    shown = [p for p in rubric if stem_set(p) and stem_set(p) <= prompt]
    if rubric and len(shown) * 2 >= len(rubric):
        return f"the prompt already contains key points {shown}"
    return ""


register(
    ExerciseKindPlugin(
        name="short_answer",
        kind="short_answer",
        generate=generate,
        solve=solve,
        matches=matches,
        reveals=reveals,
        min_support=0.6,
        order=40,
    )
)
