"""The self-check: answer an exercise from the sources alone, keep it only if that works.

``self_check(exercise, documents, kept)`` applies four rules, in this order, and records every
rule it tested in ``SelfCheckResult.reasons`` (``"<rule>: <detail>"``):

1. ``answer_revealed`` — the prompt contains the answer (or its stemmed form): e.g. a cloze whose
   blanked term is still elsewhere in the sentence, a "which term" question that names the term.
2. ``duplicate`` — the prompt is near-identical to an exercise already kept (rapidfuzz ratio
   >= 90 on the normalised prompt, or the same kind and key with token-set ratio >= 95), or
   it asks the same fact in another form (it cites a passage a kept exercise cites) — except
   once the other way round: "what is X?" and "which term is described here: <its
   definition>" (``direction``).
3. ``unanswerable`` — the kind's reader (``ExerciseKindPlugin.solve``), which sees only the
   prompt, the options and the sources, finds no answer with enough support; and
   ``unsupported_key`` — it finds one, but not the key.
4. ``ambiguous`` — the reader finds a second answer (another option, another fill, a contrary
   passage) about as well supported as the first (margin below the kind's ``min_margin``).

Before the reader, a teacher's reading (``teacher_problems``, checks in the ``quality`` package):

0. ``ill_formed`` — a true/false statement or cloze sentence that is a question, a heading, a
   list item or a fragment; ``dangling_reference`` — it leans on "this", "above", "here";
   ``off_topic`` — about the author or the story of the text, or not about its concept (a
   cloze or blank whose term is not what its sentence is about);
   ``identifier_blank`` — a cloze or blank that cuts a code name; ``not_defining`` — a "what
   is X?" whose reference does not say what X is, or whose rubric is stray words, pieces of
   a code name ("TYPE" of ``FFI_TYPE_STRUCT``) or an example's tokens ("user1" from "similar
   keys such as `"user1"` and `"user2"`");
   ``not_checkable`` — a question with no single gradable answer ("how does X relate to Y");
   ``two_right_options`` / ``gives_away`` — options naming the same thing, a key that is by
   far the longest option.

An exercise that fails 0 is not read further (its reasons say why), nor is one that fails 1
or 2: the reader (rule 3, the costly part) only answers exercises that could still be kept.
A passing exercise gets ``passed=True`` and reasons that say why: what the reader answered,
from which passage, with what support and margin, and that rules 1–2 were checked.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz import fuzz

from teachback.core.document import Document
from teachback.core.text import fold
from teachback.engine.protocol import ExerciseDraft, SelfCheckResult
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.quality import blanks, definitions, examples, form
from teachback.ingest.exercises.quality.fragments import identifier_fragments
from teachback.ingest.exercises.registry import plugin_for
from teachback.ingest.exercises.text import spells_squashed, stem_set, stem_tuple, term_regex

RULES = (
    "ill_formed",
    "dangling_reference",
    "off_topic",
    "identifier_blank",
    "not_defining",
    "not_checkable",
    "two_right_options",
    "gives_away",
    "answer_revealed",
    "duplicate",
    "unanswerable",
    "unsupported_key",
    "ambiguous",
    "key_imbalance",  # applied per concept by generate_checked (``balance_keys``)
    "over_asked",  # by generate_checked: a fourth fill-the-blank exercise for one concept
)
_TOPIC_LABEL = re.compile(r"^\W*[A-Z][\w' -]{1,50}:\s+[A-Z]")  # "Career Choice: Working ..."
_QUOTED = re.compile(r"\u201c(.*)\u201d", re.S)
# rubric points that are the glue of a sentence, not its content ("Sadly", "Next", "well")
_STRAY = frozenset(
    """sadly indeed well next now then also however so thus hence really actually simply just
    basically first second finally note here there ok okay yes perhaps maybe""".split()
)


@lru_cache(maxsize=20_000)
def normalise_prompt(text: str) -> str:
    text = fold(text).lower()
    text = re.sub(r"_{2,}", " _ ", text)
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())


def normalise_answer(answer) -> str:
    if isinstance(answer, bool):
        return str(answer).lower()
    if isinstance(answer, list):
        return " | ".join(normalise_prompt(str(a)) for a in answer)
    return normalise_prompt(str(answer))


def contains_stems(haystack: str, needle: str) -> bool:
    """Whether the content-word stems of ``needle`` occur, in order and adjacent, in
    ``haystack`` (so "models" in the prompt reveals the answer "model")."""
    n = stem_tuple(needle)
    if not n:
        return False
    h = stem_tuple(haystack)
    k, first = len(n), n[0]
    if k == 1:
        return first in h
    # only where the first stem occurs can the run start
    return any(h[i : i + k] == n for i in range(len(h) - k + 1) if h[i] == first)


def default_reveals(exercise: ExerciseDraft) -> str:
    if isinstance(exercise.answer, str) and exercise.answer.strip():
        terms = [exercise.answer] + [
            a for a in exercise.data.get("accepted", []) if isinstance(a, str)
        ]
        for term in terms:
            if contains_stems(exercise.prompt, term):
                return f"the prompt contains the answer {term!r}"
    return ""


def default_matches(answered, key) -> bool:
    return normalise_answer(answered) == normalise_answer(key)


def fact_spans(exercise: ExerciseDraft) -> set[tuple[str, int, int]]:
    """The passages an exercise asks about: its citations — for predict-the-output only the
    cell or example asked about, cited first (the earlier cells it shows are shared context),
    or for a probe call the test that picks its argument, cited last (two calls of one
    function at two tested values ask two things)."""
    cites = exercise.citations
    if exercise.kind == "predict_output":
        cites = cites[-1:] if exercise.data.get("origin") == "probe" else cites[:1]
    return {(c.source, c.start, c.end) for c in cites}


def find_duplicate(exercise: ExerciseDraft, kept: list[ExerciseDraft]) -> tuple[float, str]:
    """The closest kept exercise's similarity (0..100) and a reason if it is a duplicate:
    near-identical wording, or the same fact asked again in another form (built on the same
    source passage: a cloze, a "which term" question and a "what is X?" on one sentence)."""
    mine = normalise_prompt(exercise.prompt)
    facts = fact_spans(exercise)
    best = 0.0
    # a matching exercise pairs several facts: it asks something new unless every one of
    # them is asked already (and its pairs do not take a fact from the other kinds)
    if exercise.kind == "matching":
        asked = set().union(*(fact_spans(o) for o in kept)) if kept else set()
        if facts and facts <= asked:
            return 100.0, "asks only facts that kept exercises already ask (same passages)"
    if exercise.kind != "matching":
        sharing = [o for o in kept if o.kind != "matching" and facts & fact_spans(o)]
        if sharing and not _other_way_round(exercise, sharing):
            other = sharing[0]
            return 100.0, f"asks the same fact as a kept {other.kind} exercise (same passage)"
    for other in kept:
        if exercise.kind == other.kind == "predict_output":
            # two cells after the same setup ("data.loc[1]", "data.iloc[1]") ask two things:
            # only the same code asked again is a repeat
            same = normalise_prompt(str(exercise.data.get("source", ""))) == normalise_prompt(
                str(other.data.get("source", ""))
            )
            if same:
                return 100.0, "the same code as a kept predict_output exercise"
            continue
        theirs = normalise_prompt(other.prompt)
        ratio = fuzz.ratio(mine, theirs)
        best = max(best, ratio)
        if ratio >= 90:
            return ratio, f"prompt is {ratio:.0f}% similar to a kept {other.kind} exercise"
        if (
            other.kind == exercise.kind
            and normalise_answer(other.answer) == normalise_answer(exercise.answer)
            and fuzz.token_set_ratio(mine, theirs) >= 95
        ):
            return ratio, f"same key and wording as a kept {other.kind} exercise"
    return best, ""


# Which way round an exercise asks its passage: "name" gives what the thing is or does and
# asks which term it is (a cloze, "which term is described here", which-function); "meaning"
# gives the name and asks what it is or does ("what is X?", "which statement describes X",
# what a function does). Other kinds ask a passage their own way, not either of these.
_NAME_FOR_MEANING = {"cloze", "which_function"}
_MEANING_FOR_NAME = {"short_answer", "function_purpose"}


def direction(exercise: ExerciseDraft) -> str:
    """``"name"``, ``"meaning"`` or ``""`` (see above)."""
    if exercise.kind in _NAME_FOR_MEANING:
        return "name"
    if exercise.kind in _MEANING_FOR_NAME:
        return "meaning"
    if exercise.kind == "multiple_choice":
        variant = exercise.data.get("variant")
        if variant in ("term", "blank"):
            return "name"
        if variant == "statement":
            return "meaning"
    return ""


def _other_way_round(exercise: ExerciseDraft, sharing: list[ExerciseDraft]) -> bool:
    """Whether ``exercise`` asks the passage the kept ``sharing`` exercises ask the other way
    round, and only one of them asks it at all: recalling what a term means and recognising
    the term from its meaning are two checks of one definition (a concept the sources
    define in one sentence gets both), but a second question either way is a repeat."""
    mine = direction(exercise)
    return len(sharing) == 1 and bool(mine) and direction(sharing[0]) not in ("", mine)


def _sentence_checks(text: str, statement: bool = True) -> list[str]:
    out = []
    if statement:
        why = form.not_a_statement(text)
        if why:
            out.append(f"ill_formed: {why}")
    why = form.dangling(text)
    if why:
        out.append(f"dangling_reference: {why}")
    why = form.narrative(text)
    if why:
        out.append(f"off_topic: {why}")
    return out


def _about(text: str, concept: str) -> bool:
    return contains_stems(text, concept) or bool(stem_set(concept) & stem_set(text))


_GENERIC_EXTRA = frozenset(
    """dataset data set model method object function value type file code module class
    version thing kind form""".split()
)


def same_thing_options(choices: list[str]) -> bool:
    """Two options that differ by a generic word only ("tiny shakespeare" and "tiny
    shakespeare dataset") or by nothing but form: both would be right."""
    sets = [stem_set(c) for c in choices]
    generic = {next(iter(stem_set(w))) for w in _GENERIC_EXTRA if stem_set(w)}
    for i, a in enumerate(sets):
        for b in sets[i + 1 :]:
            if not a or not b:
                continue
            small, big = (a, b) if len(a) <= len(b) else (b, a)
            if small <= big and big - small <= generic:
                return True
    return False


def stray_points(rubric: list[str]) -> list[str]:
    return [p for p in rubric if fold(p).lower().strip(" .,") in _STRAY]


def _flagged(rule: str, why: str) -> list[str]:
    return [f"{rule}: {why}"] if why else []


def _statement_problems(ex: ExerciseDraft) -> list[str]:
    statement = ex.data.get("statement") or ex.prompt.removeprefix("True or false: ")
    out = _sentence_checks(statement)
    # (a claim of an essay's labelled point is about the topic its label names and its
    # prompt shows: ``kinds/point_claim``)
    said = " ".join([statement, str(ex.data.get("corrected", "")), ex.data.get("topic", "")])
    if not out and not _about(said, ex.concept):
        out.append(f"off_topic: the statement is not about {ex.concept!r}")
    return out


def _cloze_problems(ex: ExerciseDraft) -> list[str]:
    text = ex.prompt.removeprefix("Fill in the blank: ")
    out = _sentence_checks(text.replace("_____", "Term"))
    out += _flagged("identifier_blank", blanks.blanks_identifier(text, str(ex.answer)))
    if re.match(r"\W*_____\s*:", text):
        out.append("not_checkable: the blank is a topic label over a claim, not a term")
    out += _flagged("gives_away", blanks.modifier_left(text, str(ex.answer)))
    out += _flagged("ambiguous", blanks.shared_property(text))
    if any(r.startswith("ill_formed") for r in out):
        return out  # (not a sentence: what it is about is not read)
    blanked = ex.data.get("blanked")  # (what the cloze kind blanked: its term or a key word)
    if blanked == "key_word":
        # another term of the concept's sentence: the blank checks that neighbour, not this
        # concept, and refuses the source's other words for it
        out.append(
            f"off_topic: the blank asks for {str(ex.answer)!r}, not for {ex.concept!r} itself"
        )
    elif blanked == "term":
        out += _flagged("off_topic", blanks.not_its_subject(text, str(ex.answer)))
    return out


def _blank_sentence_problems(sentence: str, answer: str) -> list[str]:
    """A "which term fills the blank?" question's quoted sentence."""
    out = _sentence_checks(sentence.strip("\u2026 "), statement=False)
    if re.match(r"[\W]*_____\s*:", sentence):
        out.append("not_checkable: the blank is a topic label over a claim, not a term")
    if "_____" in sentence:
        out += _flagged("identifier_blank", blanks.blanks_identifier(sentence, answer))
        out += _flagged("ambiguous", blanks.shared_property(sentence))
    if re.search(r"_____\s+(?:a|an|the)\s", sentence):
        # "supports three operations: _____ a pair, ...": a verb goes there, and of options
        # that name things only the key reads as one
        out.append("gives_away: the blank takes a verb; the grammar picks the key")
    if "_____" in sentence and not out:  # (what a flawed sentence is about is not read)
        out += _flagged("off_topic", blanks.not_its_subject(sentence.strip("\u2026 "), answer))
    return out


def _choice_problems(ex: ExerciseDraft) -> list[str]:
    m = _QUOTED.search(ex.prompt)
    out = _blank_sentence_problems(m.group(1), str(ex.answer)) if m else []
    if same_thing_options(ex.choices):
        out.append("two_right_options: two options name the same thing")
    lengths = sorted(len(c) for c in ex.choices)
    if len(lengths) > 1 and len(str(ex.answer)) == lengths[-1] > 2 * lengths[-2]:
        out.append("gives_away: the key is by far the longest option")
    return out


def _purpose_problems(ex: ExerciseDraft) -> list[str]:
    name = str(ex.data.get("symbol", "")).rsplit(".", 1)[-1]
    words = " ".join(w for w in re.split(r"[_\W]+|(?<=[a-z])(?=[A-Z])", name) if w)
    if name and any(contains_stems(str(ex.answer), w) for w in {name, words} if w):
        return [f"gives_away: the description spells the name {name!r}"]
    # every word of a name of two or more, in any order: "A hash table that resolves
    # collisions by separate chaining" is read off `ChainedHashTable`
    said = stem_set(words)
    if len(said) >= 2 and said <= stem_set(str(ex.answer)):
        return [f"gives_away: the description says every word of the name {name!r}"]
    return []


def _which_problems(ex: ExerciseDraft) -> list[str]:
    name = str(ex.answer).rstrip("()").rsplit(".", 1)[-1]
    task = ex.prompt.split("?")[0] + "?"
    if name and (contains_stems(task, name) or spells_squashed(task, name)):
        return [f"gives_away: the task names {name!r}"]
    spelled = _code_spells(ex.prompt, name, [str(c) for c in ex.choices])
    if spelled:
        return [f"gives_away: the code's {spelled!r} spells most of the name {name!r}"]
    return []


def _code_spells(prompt: str, name: str, options: list[str]) -> str:
    """A word of a name in the code shown that is most of the hidden name and of no other
    option's (``FNV_PRIME`` in the body of ``fnv1a``): the name read off the code."""
    squashed = re.sub(r"[\W_]+", "", name).lower()
    others = [re.sub(r"[\W_]+", "", o.rstrip("()")).lower() for o in options]
    others = [o for o in others if o and o != squashed]
    code = " ".join(re.findall(r"```\w*\n(.*?)```", prompt, re.S))
    for ident in dict.fromkeys(re.findall(r"[A-Za-z_][A-Za-z0-9_]*", code)):
        for word in re.split(r"_+|(?<=[a-z])(?=[A-Z])", ident):
            w = word.lower()
            if (
                len(w) >= 3
                and squashed.startswith(w)
                and len(w) >= 0.6 * len(squashed)
                and not any(o.startswith(w) for o in others)
            ):
                return ident
    return ""


def _ordering_problems(ex: ExerciseDraft) -> list[str]:
    steps = [str(x) for x in (ex.data.get("sequence") or [])]
    labelled = [x for x in steps if _TOPIC_LABEL.match(x)]
    if steps and len(labelled) * 2 >= len(steps):
        return ["not_checkable: the items are topics with a summary each, not steps"]
    return []


def _opens_sentence(prose: str, names: list[str]) -> bool:
    """Whether a reference starts as a sentence does: with a capital, or with the term's own
    name as the source writes it ("nargs is the number of arguments ..." in a manual whose
    code names are lower case); not mid-way ("information. nargs is ...")."""
    if prose[:1].isupper():
        return True
    pattern = term_regex(names)
    return bool(pattern and pattern.match(fold(prose).lstrip("`*_ ")))


def _short_problems(ex: ExerciseDraft) -> list[str]:
    data = ex.data
    if data.get("variant") == "relation":
        return ["not_checkable: 'how does X relate to Y' has no single gradable answer"]
    reference = str(data.get("reference") or ex.answer)
    names = list(data.get("subject") or []) or [ex.concept]
    out = _sentence_checks(reference, statement=False)
    if not _opens_sentence(form.prose(reference), names):
        out.append("ill_formed: the reference is a fragment, not a sentence")
    if not definitions.defines(reference, names):
        out.append("not_defining: the reference does not say what the term is")
    why = form.keyword_sense(reference, names)
    out += _flagged("not_defining", why and f"the reference is about another sense: {why}")
    stray = stray_points(list(data.get("rubric") or []))
    if stray:
        out.append(f"not_defining: rubric points that are stray words {stray}")
    fragments = identifier_fragments(list(data.get("rubric") or []), reference)
    if fragments:
        out.append(f"not_defining: rubric points that are pieces of a code name {fragments}")
    example = examples.from_examples(list(data.get("rubric") or []), reference)
    if example:
        out.append(f"not_defining: rubric points taken from an example {example}")
    return out


_TEACHER = {
    "true_false": _statement_problems,
    "cloze": _cloze_problems,
    "multiple_choice": _choice_problems,
    "function_purpose": _purpose_problems,
    "which_function": _which_problems,
    "ordering": _ordering_problems,
    "short_answer": _short_problems,
}


def teacher_problems(exercise: ExerciseDraft) -> list[str]:
    """What a teacher would reject before answering it (rule-prefixed reasons)."""
    check = _TEACHER.get(exercise.kind)
    return check(exercise) if check else []


def _fmt(answer) -> str:
    if isinstance(answer, list):
        return "; ".join(str(a) for a in answer)[:120]
    return str(answer)[:120]


def _reader_failures(plugin, exercise: ExerciseDraft, solution, answered: str) -> list[str]:
    """Rules 3 and 4: what the reader's answer says of the key (unanswerable, unsupported
    key, ambiguous)."""
    out = []
    matches = plugin.matches or default_matches
    if solution.answer is None or solution.support < plugin.min_support:
        detail = solution.note or "no passage in the sources supports an answer"
        out.append(f"unanswerable: {detail} (support {solution.support:.2f})")
    elif not matches(solution.answer, exercise.answer):
        out.append(
            f"unsupported_key: the sources point to {answered!r}, not the key "
            f"{_fmt(exercise.answer)!r}"
        )
    if solution.ambiguous:
        out.append(f"ambiguous: {solution.ambiguous}")
    elif (
        solution.answer is not None
        and solution.runner_up is not None
        and solution.support - solution.runner_up < plugin.min_margin
    ):
        out.append(
            f"ambiguous: {solution.runner_up_answer or 'another answer'!r} is about as well "
            f"supported ({solution.runner_up:.2f} vs {solution.support:.2f})"
        )
    return out


def self_check(
    exercise: ExerciseDraft, documents: list[Document], kept: list[ExerciseDraft] | None = None
) -> SelfCheckResult:
    kept = kept or []
    plugin = plugin_for(exercise)
    if plugin is None:
        return SelfCheckResult(
            passed=False, reasons=[f"unanswerable: no reader for kind {exercise.kind!r}"]
        )
    failures: list[str] = teacher_problems(exercise)
    if failures:  # a teacher would not hand it out: no need to answer it
        return SelfCheckResult(passed=False, reasons=failures)
    revealed = (plugin.reveals or default_reveals)(exercise)
    if revealed:
        failures.append(f"answer_revealed: {revealed}")
    closest, dup = find_duplicate(exercise, kept)
    if dup:
        failures.append(f"duplicate: {dup}")
    if failures:  # rejected whatever the reader would answer: it is not asked
        return SelfCheckResult(passed=False, reasons=failures)

    solution = plugin.solve(exercise, Corpus.of(documents))
    answered = "" if solution.answer is None else _fmt(solution.answer)
    failures += _reader_failures(plugin, exercise, solution, answered)
    if failures:
        return SelfCheckResult(
            passed=False, reasons=failures, answered=answered, supporting=solution.supporting
        )
    where = ", ".join(f"{s.source}:{s.start}-{s.end}" for s in solution.supporting[:2])
    margin = f", next best {solution.runner_up:.2f}" if solution.runner_up is not None else ""
    reasons = [
        f"answered from the sources alone: {answered!r} (support {solution.support:.2f}{margin})"
        + (f" citing {where}" if where else ""),
        "well-formed, about its concept, the prompt does not give the answer away",
        f"not a duplicate of {len(kept)} kept exercise(s) (closest {closest:.0f}%)",
    ]
    if solution.note:
        reasons.append(solution.note)
    return SelfCheckResult(
        passed=True, reasons=reasons, answered=answered, supporting=solution.supporting
    )
