"""Which function would you call? — a task taken from a docstring, options are functions.

The task is the function's docstring summary turned into a purpose ("Returns the mean of xs."
-> "return the mean of xs"). A summary that spells the function's or module's own name
("Hash functions: ..." for ``hashing``, "This training script ..." for ``train``) is not
asked: blanking the name's words leaves a hole whose place and size point to the one option
that fits ("This ___ script", "___ the Shakespeare dataset"). The options are this
function and 2–3 other documented functions (same file first), shown as names. The key is
the function's name; ``data["symbol"]`` its qualified name.

Reader (self-check): read every option's docstring in the sources; the one that covers the
task best is the answer. A task whose words spell the function's name gives it away.
"""

from __future__ import annotations

import re

from teachback.core.text import stem
from teachback.ingest.concepts.lexicon import lemma_lexicon, noun_only
from teachback.ingest.exercises.context import ConceptView, difficulty, rng_for
from teachback.ingest.exercises.corpus import Corpus, summary_of
from teachback.ingest.exercises.kinds.function_purpose import (
    FUNCTION_KINDS,
    _others,
    documented,
    identifier_words,
    purpose_of,
)
from teachback.ingest.exercises.registry import ExerciseKindPlugin, Solution, register
from teachback.ingest.exercises.selfcheck import contains_stems
from teachback.ingest.exercises.text import overlap, spells_squashed, stem_set, stems


def task_of(summary: str) -> str:
    """``"Returns the mean of xs."`` -> ``"return the mean of xs"``."""
    text = summary.strip().rstrip(".")
    m = re.match(r"([A-Z][a-z]+)(\b.*)", text)
    if not m:
        return text
    verb, rest = m.group(1), m.group(2)
    low = verb.lower()
    if low in {"a", "an", "the", "this", "it", "helper", "utility"}:
        return text[0].lower() + text[1:]
    if low.endswith("ies"):
        low = low[:-3] + "y"
    elif re.search(r"(ss|sh|ch|x|z)es$", low):
        low = low[:-2]
    elif low.endswith("s") and not low.endswith("ss"):
        low = low[:-1]
    return low + rest


MASK = "___"
_WORD_RE = re.compile(r"[A-Za-z0-9]+")


def mask_name(text: str, name: str) -> str | None:
    """``text`` with every word sharing a stem with ``name``'s words blanked (adjacent blanks
    merged), or None when too little of the description is left (< 3 content words, or
    more than a third of them blanked)."""
    own = set(stems(identifier_words(name)))
    if not own:
        return text
    total = len(stems(text))
    blanked = 0

    def repl(m: re.Match) -> str:
        nonlocal blanked
        if stem(m.group(0).lower()) in own:
            blanked += 1
            return MASK
        return m.group(0)

    out = _WORD_RE.sub(repl, text)
    out = re.sub(rf"{MASK}(?:[\s_-]+{MASK})+", MASK, out)
    if total - blanked < 3 or blanked * 3 > total:
        return None
    return out


# words of a code name that say nothing of what it does ("get_value", "make_table")
_NAME_GLUE = frozenset("get set make new from to is has do run init py self".split())


def spells_name(text: str, name: str) -> bool:
    """Does ``text`` spell one of ``name``'s words ("Hash functions: ..." for
    ``hashkit.hashing``, "This training script" for ``train``, "Scale values" for
    ``scale_vector``, "for benchmarking" for ``bench``, "FNV-1a" for ``fnv1a``)?"""
    own = {s for s in stem_set(identifier_words(name.rstrip("()"))) if s not in _NAME_GLUE}
    said = stem_set(text)
    if own & said or spells_squashed(text, name.rstrip("()")):
        return True
    # (or a word that starts with one: "bench" in "benchmarking")
    return any(w.startswith(o) for o in own if len(o) >= 4 for w in said)


def _squashed(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


def inside_name(text: str, name: str, others: list[str]) -> str:
    """A word of ``text`` (or its stem; 4+ letters, or 3 that open or end the name) that
    ``name`` holds inside a compound and fewer than half of the other options' names do
    ("" when none): "push" for ``heappush()`` beside
    ``heappop()`` and ``heapify()``, "smallest" for ``nsmallest()``. The learner matches the
    word, not the idea; so too when one other option of three holds it as well (``heappush``
    and ``heappushpop`` beside ``heapify``, ``heapreplace``: a coin toss left). A word half
    the options or more hold ("heap") tells little apart.

    >>> inside_name("Push item onto heap", "heappush()", ["heappop()", "heapify()"])
    'push'
    >>> inside_name("Transform list into a heap", "heapify()", ["heappop()", "heappush()"])
    ''
    >>> inside_name("Push item onto heap", "heappush()", ["heappushpop()", "heapify()", "pop()"])
    'push'
    """
    mine, theirs = _squashed(name), [_squashed(o) for o in others]
    for word in re.findall(r"[A-Za-z]{3,}", text):
        for w in dict.fromkeys((word.lower(), stem(word.lower()))):
            if (
                len(w) < 3
                or w in _GLUE_WORDS
                or (len(w) == 3 and not mine.endswith(w) and not mine.startswith(w))
            ):
                continue  # a short word counts where the name opens or ends with it
            # held by under half of the other options: it narrows the choice to the
            # right one or to it and one more
            if w in mine and sum(w in o for o in theirs) * 2 < len(theirs):
                return w
    return ""


# short words that sit inside names by chance ("the" in "gather", "and" in "expand")
_GLUE_WORDS = frozenset("the and for not but all any its are was has can may off out per".split())


def names_an_option(text: str, options: list[str]) -> bool:
    """The text names an option (``heappush`` in "Fast version of a heappush followed by a
    heappop"): it points to, or away from, that option."""
    said = {w.lower() for w in re.findall(r"\w+", text)}
    return any(o.rstrip("()").rsplit(".", 1)[-1].lower() in said for o in options)


def verb_first(summary: str) -> bool:
    """Does the summary open with what the code does ("Return ...", "Marks ..."), not with
    what it is ("Fast version of a heappush ...", "Maxheap variant of ...")?"""
    words = re.findall(r"[A-Za-z]+", summary)
    if not words:
        return False
    if len(words) >= 3 and words[2].lower() == "of" and noun_only(words[1]):
        return False  # "<adjective> <noun> of ...": a noun phrase
    low = task_of(words[0]).lower()
    lemmas = lemma_lexicon()
    return lemmas is not None and "VERB" in lemmas(low)


def _name(unit) -> str:
    """How an option shows a unit: a module by its dotted name, a class by its name
    (``Fraction``), a function or method called (``bisect_left()``)."""
    if unit.kind == "module":
        return unit.symbol
    return unit.short if unit.kind == "class" else f"{unit.short}()"


def generate(view: ConceptView):
    out = []
    for unit in view.code_units:
        if unit.kind not in FUNCTION_KINDS or unit.docstring_span is None:
            continue
        summary = purpose_of(unit)
        if len(summary.split()) < 3:
            continue
        others = _others(view, unit)
        names = {_name(u) for u in others}
        if len(names) < 2 or _name(unit) in names:
            continue
        task = task_of(summary)
        if spells_name(summary, _name(unit)):
            continue  # (a blanked name is a hole only one option fits)
        what = {"class": "class would you use", "module": "module would you import"}.get(
            unit.kind, "function would you call"
        )
        if unit.kind == "module":
            prompt = f"Which module covers this: \u201c{summary.rstrip('.')}\u201d?"
        elif not verb_first(summary):
            noun = "class" if unit.kind == "class" else "function"
            prompt = f"Which {noun} is this: \u201c{summary.rstrip('.')}\u201d?"
        else:
            prompt = (
                f"Which {what} to {task}?"
                if not re.match(r"(?:the|a|an)\b", task)
                else f"Which {unit.kind if unit.kind == 'class' else 'function'} gives "
                f"{task.rstrip('.')}?"
            )
        choices = [_name(unit)] + sorted(names)[:3]
        if inside_name(summary, choices[0], choices[1:]) or names_an_option(summary, choices):
            continue
        rng_for(unit.symbol, "which").shuffle(choices)
        out.append(
            view.new(
                "which_function",
                prompt,
                _name(unit),
                choices=choices,
                explanation=f"The docstring of `{unit.short}` says: \u201c{summary}\u201d",
                citations=[view.corpus.span(unit.doc, *unit.docstring_span)],
                difficulty=difficulty(
                    "which_function",
                    rarity=view.corpus.rarity(summary),
                    words_count=len(task.split()),
                    distractor_similarity=0.5 if others[0].doc == unit.doc else 0.2,
                ),
                data={"symbol": unit.symbol, "task": task},
            )
        )
    return out


def solve(exercise, corpus: Corpus) -> Solution:
    task = stem_set(exercise.data.get("task") or exercise.prompt)
    units = {_name(u): u for u in documented(corpus)}
    scored = []
    for c in exercise.choices:
        u = units.get(c)
        if u is None:
            scored.append((0.0, c, None))
            continue
        scored.append((overlap(task, stem_set(summary_of(u.docstring))), c, u))
    scored.sort(key=lambda x: -x[0])
    if not scored or scored[0][2] is None:
        return Solution(answer=None, note="none of the options is documented in the sources")
    (sup, best, unit), rest = scored[0], scored[1:]
    return Solution(
        answer=best,
        support=sup,
        runner_up=rest[0][0] if rest else None,
        runner_up_answer=rest[0][1] if rest else None,
        supporting=[corpus.span(unit.doc, *unit.docstring_span)] if unit.docstring_span else [],
    )


def reveals(exercise) -> str:
    words = identifier_words(str(exercise.answer).rstrip("()"))
    if contains_stems(exercise.prompt, words) or spells_squashed(exercise.prompt, words):
        return f"the task names it ({words!r})"
    others = [str(c) for c in exercise.choices if c != exercise.answer]
    task = exercise.data.get("task") or exercise.prompt
    word = inside_name(task, str(exercise.answer), others)
    return f"only the right option's name holds the task's word {word!r}" if word else ""


register(
    ExerciseKindPlugin(
        name="which_function",
        kind="which_function",
        generate=generate,
        solve=solve,
        reveals=reveals,
        min_support=0.6,
        min_margin=0.15,
        order=7,
    )
)
