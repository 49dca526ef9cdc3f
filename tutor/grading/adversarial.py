"""Answers built to game a free-text grader, made from a question and its reference answer.

Each builder returns the gaming answer, or None when the reference gives it nothing honest to
work with (a one-word reference has no word order to shuffle, a list "A and B" has no relation
to reverse). They are deterministic: the shuffles are seeded by the texts themselves.

>>> negated("A location in memory that can store a value.")
'A location in memory that cannot store a value.'
>>> reversed_relation("The memory address of its operand.")
'The operand address of its memory.'
>>> keyword_salad("To simulate the behaviour of portions of the desired software product.")
'Desired simulate behaviour software portions product.'

Not handled: references in other languages than English (stopwords and the part-of-speech
lexicon are English); a reversed relation is found only between two nouns of one sentence.
"""

from __future__ import annotations

import random
import re
import zlib

from lemminflect import getAllLemmas, getInflection

from teachback.core.text import stem
from teachback.tutor.grading.text import STOPWORDS, clean, content_words, sentences

KINDS = (
    "reference",
    "keyword_salad",
    "word_salad",
    "negated",
    "reversed_relation",
    "question",
    "keyword_list",
    "changed_term",
    "keyword_salad_loose",
    "negated_loose",
    "keyword_list_loose",
)

# Auxiliaries after which English puts "not"; "can" fuses into "cannot".
_AUX = frozenset(
    "is are was were will would should must could may might does do did has have had can".split()
)
_POSSESSIVE_VERBS = {"has": "does", "have": "do", "had": "did"}
_RELATIVE = frozenset({"that", "which", "who"})
_PRONOUNS = frozenset({"it", "this", "which", "that", "who", "he", "she"})
_DETERMINERS = frozenset(
    "a an the its their his her this these those each every of any some".split()
)
_NOT_NOUNS = frozenset("another other one first last same each".split())
_COORDINATORS = frozenset({"and", "or", ",", "as", "well", "both", "either", "nor"})
_TOKEN = re.compile(r"[A-Za-z][A-Za-z0-9_'\-]*|\d+(?:[.,]\d+)*|\S")


def _rng(text: str) -> random.Random:
    return random.Random(zlib.crc32(text.encode("utf-8")))


def _sentence(words: list[str]) -> str:
    text = " ".join(words)
    return text[:1].upper() + text[1:] + "."


def _shuffled(items: list[str], rng: random.Random) -> list[str] | None:
    if len({w.lower() for w in items}) < 2:
        return None
    out = list(items)
    for _ in range(20):
        rng.shuffle(out)
        if [w.lower() for w in out] != [w.lower() for w in items]:
            return out
    return None


# Fewer content words than this have no order to lose: "scope file" for "file scope" is a terse
# answer, not a salad.
MIN_SALAD_WORDS = 3


def keyword_salad(reference: str) -> str | None:
    """The reference's content words, shuffled: every keyword, no meaning."""
    words = list(dict.fromkeys(content_words(reference)))
    if len(words) < MIN_SALAD_WORDS:
        return None
    out = _shuffled(words, _rng(reference))
    return _sentence(out) if out else None


# Fewer content words than this in a row can be a noun compound ("memory address value").
MIN_LIST_WORDS = 5


def keyword_list(reference: str) -> str | None:
    """The reference's content words in its order, without the words that glue them into a
    statement: every keyword in place, and no claim (None when that drops little glue)."""
    from teachback.tutor.grading.form import GLUE_SLACK, _glue_dropped

    words = list(dict.fromkeys(content_words(reference)))
    if len(words) < MIN_LIST_WORDS:
        return None
    listed = " ".join(words)
    # A reference with little glue to take out ("They both involve repetition; they both have
    # termination tests") reads, without it, as a terse statement a learner writes too.
    return listed if _glue_dropped(listed, reference) > GLUE_SLACK else None


def changed_term(reference: str, pool: list[str]) -> str | None:
    """The reference with one of its nouns, inside a clause (its neighbours kept), swapped for a
    noun of another text (``pool``): the same frame, a claim about something else."""
    tokens = _TOKEN.findall(clean(reference))
    nouns = _nouns(tokens)
    own = {stem(t.lower()) for t in tokens}
    content = [i for i, t in enumerate(tokens) if t.lower() in set(content_words(t))]
    inside = [i for i in nouns if content and content[0] < i < content[-1]]
    others = [w for w in pool if stem(w.lower()) not in own]
    if not inside or not others:
        return None
    rng = _rng("term:" + reference)
    at = inside[rng.randrange(len(inside))]
    out = list(tokens)
    out[at] = others[rng.randrange(len(others))]
    return _join(out)


def nouns_of(texts: list[str]) -> list[str]:
    """The nouns of some texts (for ``changed_term``'s pool), sorted, each once."""
    found = set()
    for text in texts:
        tokens = _TOKEN.findall(clean(text))
        found |= {tokens[i].lower() for i in _nouns(tokens)}
    return sorted(found)


def word_salad(reference: str) -> str | None:
    """Every word of the reference (function words too), shuffled."""
    words = [t.lower() for t in _TOKEN.findall(clean(reference)) if t[0].isalnum()]
    if len(set(content_words(reference))) < MIN_SALAD_WORDS:
        return None
    out = _shuffled(words, _rng("all:" + reference))
    return _sentence(out) if out else None


def _third_person_base(word: str, previous: str) -> str | None:
    """'makes' after 'it' -> 'make'; None unless the word reads as a verb in the present."""
    lemmas = getAllLemmas(word.lower())
    if "VERB" not in lemmas or not word.lower().endswith("s"):
        return None
    if "NOUN" in lemmas and previous.lower() not in _PRONOUNS:
        return None
    base = lemmas["VERB"][0]
    return base if (getInflection(base, "VBZ") or [""])[0] == word.lower() else None


def negated(reference: str) -> str | None:
    """The reference with its first clause negated ("can store" -> "cannot store")."""
    tokens = _TOKEN.findall(clean(reference))
    if not tokens:
        return None
    lower = [t.lower() for t in tokens]
    for i, w in enumerate(lower):
        after = lower[i + 1] if i + 1 < len(lower) else ""
        if (
            not after[:1].isalpha()
            or after in ("not", "while")
            or {"no", "not"} & set(lower[max(0, i - 3) : i])
        ):
            continue
        if w in _POSSESSIVE_VERBS and not (after.endswith(("ed", "en")) or after == "to"):
            return _join([*tokens[:i], _POSSESSIVE_VERBS[w], "not", "have", *tokens[i + 1 :]])
        if w in _AUX:
            out = [*tokens[:i], "cannot"] if w == "can" else [*tokens[: i + 1], "not"]
            return _join([*out, *tokens[i + 1 :]])
        base = _third_person_base(tokens[i], lower[i - 1]) if i > 0 else None
        if base:
            return _join([*tokens[:i], "does", "not", base, *tokens[i + 1 :]])
    first = tokens[0] if tokens[0] in ("I",) else tokens[0][:1].lower() + tokens[0][1:]
    return _join(["Not", first, *tokens[1:]])


def _join(tokens: list[str]) -> str:
    text = " ".join(tokens)
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
    text = re.sub(r"([(])\s+", r"\1", text)
    return text[:1].upper() + text[1:]


def _nouns(tokens: list[str]) -> list[int]:
    """Positions of words that read as nouns here (outside parentheses; a word that can also be
    a verb counts only after a determiner)."""
    out, depth = [], 0
    for i, t in enumerate(tokens):
        depth += (t == "(") - (t == ")")
        w = t.lower()
        if depth or w in STOPWORDS or w in _NOT_NOUNS or len(w) < 3:
            continue
        lemmas = getAllLemmas(w)
        if "NOUN" not in lemmas:
            continue
        if "VERB" in lemmas and (i == 0 or tokens[i - 1].lower() not in _DETERMINERS):
            continue
        out.append(i)
    return out


def reversed_relation(reference: str) -> str | None:
    """Two nouns of one reference sentence swapped ("A of B" -> "B of A"), where a relation (not
    only "and"/"or") joins them: the same words, the opposite claim."""
    for sent in sentences(reference):
        tokens = _TOKEN.findall(sent)
        nouns = _nouns(tokens)
        for a in nouns:
            for b in reversed(nouns):
                if b - a < 2 or stem(tokens[a].lower()) == stem(tokens[b].lower()):
                    continue
                between = {t.lower() for t in tokens[a + 1 : b]}
                if between <= _COORDINATORS:
                    continue
                out = list(tokens)
                out[a], out[b] = tokens[b].lower(), tokens[a].lower()
                swapped = _join(out)
                if swapped.lower() != sent.lower():
                    return clean(reference).replace(sent, swapped, 1)
    return None


def copied_question(question: str) -> str | None:
    """The question's own text handed back as the answer."""
    text = clean(question).rstrip("?").strip()
    return text or None


def loosened(answer: str | None, filler: str) -> str | None:
    """A gaming answer with one of its content words dropped and a filler said at the end, so
    it no longer uses exactly the reference's words ("Not the memory address of its operand" ->
    "Not the memory of its operand, I think")."""
    if not answer:
        return None
    tokens = _TOKEN.findall(answer)
    content = [i for i, t in enumerate(tokens) if t.lower() in set(content_words(t))]
    if len(content) < 3:
        return None
    drop = content[1:][_rng(filler + answer).randrange(len(content) - 1)]
    kept = [t for i, t in enumerate(tokens) if i != drop]
    return _join([*[t for t in kept if t not in ".!?"], ",", filler]) + "."


# Fillers for the loosened answers the benchmark builds.
BENCH_FILLERS = ("I think", "usually")
# Fillers for the loosened answers the gaming check is fitted on: other words than the
# benchmark's, so its loosened cases stay unseen.
TRAINING_FILLERS = ("in short", "mostly")


def build(question: str, reference: str, pool: list[str] = ()) -> dict[str, str]:
    """Every gaming answer that can be built for one question, by kind (``KINDS``); a changed
    term only with a ``pool`` of other questions' nouns to change it to."""
    made = {
        "reference": clean(reference) or None,
        "keyword_salad": keyword_salad(reference),
        "keyword_list": keyword_list(reference),
        "changed_term": changed_term(reference, list(pool)),
        "word_salad": word_salad(reference),
        "negated": negated(reference),
        "reversed_relation": reversed_relation(reference),
        "question": copied_question(question),
    }
    made["keyword_salad_loose"] = loosened(made["keyword_salad"], BENCH_FILLERS[0])
    made["negated_loose"] = loosened(made["negated"], BENCH_FILLERS[1])
    made["keyword_list_loose"] = loosened(made["keyword_list"], BENCH_FILLERS[0])
    return {k: v for k, v in made.items() if v}
