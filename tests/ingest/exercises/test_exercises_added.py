# ruff: noqa: E501  (realistic source text has long lines)
"""The kinds and variants added for coverage (names blanked out of which-function tasks, code
matching, "which term fills the blank"), article agreement in false statements, and the
related-concept ranking the speed work rewrote (checked against the formula, brute force)."""

from __future__ import annotations

from teachback.core.text import stem
from teachback.ingest.exercises import generate_checked, make_exercises, self_check
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.context.related import related_candidates, same_name
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.kinds.blank_choice import BLANK as CHOICE_BLANK
from teachback.ingest.exercises.kinds.true_false.wording import article
from teachback.ingest.exercises.kinds.which_function import spells_name
from teachback.ingest.exercises.selfcheck import contains_stems
from teachback.ingest.exercises.text import jaccard, words

from .conftest import STATS_PY, asked_again, code_doc, concept, markdown_doc, with_evidence

VECTOR_PY = (
    STATS_PY
    + '''

def scale_vector(values, factor):
    """Scale a vector by a constant factor, element by element.

    >>> scale_vector([1, 2], 3)
    [3, 6]
    """
    return [v * factor for v in values]


def spread(values):
    """Measure how far the values lie from their average, as one number.

    >>> spread([2, 2])
    0.0
    """
    m = mean(values)
    return (sum((v - m) ** 2 for v in values) / len(values)) ** 0.5
'''
)


def _code_case():
    doc = code_doc("pkg/stats.py", VECTOR_PY)
    names = ("mean", "clamp", "normalize_scores", "word_count", "scale_vector", "spread")
    concepts = [concept(f"stats.{n}", kind="code", aliases=[n]) for n in names]
    return doc, concepts


def test_spells_name_finds_any_word_of_the_name_in_the_description():
    assert spells_name("Hash functions: turning a key into a number", "hashkit.hashing")
    assert spells_name("This training script can be run on a single gpu", "train")
    assert spells_name("Scale values by a constant factor", "scale_vector()")
    assert spells_name("A much shorter version of train.py for benchmarking", "bench")
    # the glue of a code name ("get_", "make_") says nothing of what it does
    assert not spells_name("Return the value stored for a key", "get_entry()")
    assert not spells_name("Return the arithmetic average of a list of numbers", "mean()")


def test_which_function_is_not_asked_when_the_task_spells_the_name():
    """Blanking the name's words ("to ___ a ___ by a constant factor") leaves a hole whose
    place and size point to the one option that fits: such a task is not asked at all."""
    doc, concepts = _code_case()
    target = next(c for c in concepts if c.name == "stats.scale_vector")
    made = [ex for ex in make_exercises(target, concepts, [doc]) if ex.kind == "which_function"]
    assert made == []
    mean = next(c for c in concepts if c.name == "stats.mean")
    which = [ex for ex in make_exercises(mean, concepts, [doc]) if ex.kind == "which_function"]
    assert [ex.prompt for ex in which] == [
        "Which function would you call to return the arithmetic average of a list of numbers?"
    ]
    assert self_check(which[0], [doc]).passed, self_check(which[0], [doc]).reasons
    assert which[0].answer == "mean()" and "mean()" in which[0].choices
    assert all("___" not in c for c in which[0].choices)


def test_code_matching_pairs_functions_with_their_own_summaries():
    doc, concepts = _code_case()
    found = []
    for c in concepts:
        kept, _ = generate_checked(c, concepts, [doc])
        found += [ex for ex in kept if ex.data.get("generator") == "code_matching"]
    assert found
    ex = found[0]
    assert ex.kind == "matching" and len(ex.data["terms"]) >= 3
    for pair in ex.answer:
        term, desc = pair.split(" => ")
        unit = term.rstrip("()")
        # each description is its own function's docstring summary, no name blanked out
        assert "___" not in desc and desc in VECTOR_PY
        for t in ex.data["terms"]:
            assert not contains_stems(desc, t.rstrip("()").replace("_", " ")), (t, desc)
        assert unit in ex.prompt
    # a wrong key (two descriptions swapped) is caught by the reader
    wrong = ex.model_copy(deep=True)
    d = [p.split(" => ") for p in wrong.answer]
    d[0][1], d[1][1] = d[1][1], d[0][1]
    wrong.answer = [" => ".join(p) for p in d]
    result = self_check(wrong, [doc], [])
    assert not result.passed and any(r.startswith("unsupported_key") for r in result.reasons)


LONG = """# Agents at home

## A camera that reports

Frame differencing is the step that the little box runs on the changed frames every time someone comes in, before it sends a short message with what it saw at the door.
Frame differencing is a method that compares two video frames pixel by pixel.
Object detection is a method that finds and labels the things in one image.
Face recognition is a method that matches a face against a list of known people.
Some people run object detection on a laptop, while others call face recognition from a hosted service every day.
"""


def test_which_term_fills_the_blank_from_a_long_sentence():
    # (terms, not product names: "which model is meant, Qwen or Llama?" is trivia, and a
    # proper name in prose is not asked for by a blank)
    doc = markdown_doc("notes/agents.md", LONG)
    defs = {
        "frame differencing": "Frame differencing is a method that compares two video frames.",
        "object detection": "Object detection is a method that finds the things in one image.",
        "face recognition": "Face recognition is a method that matches a face to known people.",
    }
    concepts = [with_evidence(concept(n, d, importance=0.6), doc) for n, d in defs.items()]
    differencing = concepts[0]
    cands = [
        ex
        for ex in make_exercises(differencing, concepts, [doc])
        if ex.data.get("variant") == "blank"
    ]
    assert cands
    ex = cands[0]
    assert ex.answer == "frame differencing" and ex.answer in ex.choices
    assert 3 <= len(ex.choices) <= 4
    assert CHOICE_BLANK in ex.prompt and "differencing" not in ex.prompt.lower()
    assert "changed frames" in ex.prompt
    result = self_check(ex, [doc], [])
    assert result.passed, result.reasons
    wrong = ex.model_copy(deep=True)
    wrong.answer = next(c for c in ex.choices if c != "frame differencing")
    bad = self_check(wrong, [doc], [])
    assert not bad.passed and any(r.startswith("unsupported_key") for r in bad.reasons)


def test_a_sentence_asked_as_a_cloze_is_not_asked_again_as_a_blank_choice(biology):
    doc, concepts = biology
    for c in concepts:
        kept, rejected = generate_checked(c, concepts, [doc])
        cited = {(s.start, s.end) for ex in kept if ex.kind == "cloze" for s in ex.citations}
        blanks = [ex for ex in kept if ex.data.get("variant") == "blank"]
        assert not [ex for ex in blanks if (ex.citations[0].start, ex.citations[0].end) in cited]
        if c.name == "diffusion":
            # its definition is asked once each way round, the other forms are rejected
            # (checked here one by one: generate_checked stops checking once the concept has
            # enough kept); one the other way round from a single kept one may still pass
            asked = {(s.source, s.start, s.end) for ex in kept for s in ex.citations}
            prompts = {ex.prompt for ex in kept}
            others = [
                ex
                for ex in make_exercises(c, concepts, [doc])
                if ex.kind in ("cloze", "multiple_choice", "true_false", "short_answer")
                and ex.prompt not in prompts
                and {(s.source, s.start, s.end) for s in ex.citations} & asked
            ]
            assert others
            verdicts = [self_check(ex, [doc], kept) for ex in others]
            for ex, verdict in zip(others, verdicts, strict=True):
                if verdict.passed:
                    assert asked_again(kept + [ex]) == []
                else:
                    assert "asks the same fact" in " ".join(verdict.reasons)
            assert not all(v.passed for v in verdicts)


def test_false_statement_article_agrees_with_the_name_put_in():
    assert article("An trick start is a block", "trick start") == "A trick start is a block"
    assert article("It is a array", "array") == "It is an array"
    assert article("The trick", "trick") == "The trick"
    # by sound, not letter: "an one-to-one join" was said of a many-to-one join's sibling
    assert article("this is known as an one-to-one join", "one-to-one join") == (
        "this is known as a one-to-one join"
    )
    assert article("An uniform table", "uniform table") == "A uniform table"


def _by_formula(view: ConceptView) -> list[tuple[str, float]]:
    """``view.related`` as the documented score gives it, computed pair by pair:
    (name, score) of every candidate but the concept itself under any of its names."""
    c = view.concept
    paths, ids, head, definition = view._profile
    expected = []
    for other in related_candidates(view):
        ov = view.view_of(other)
        if other.name == c.name or same_name(view, ov):
            continue
        o_paths, o_ids, o_head, o_def = ov._profile
        score = 0.35 * bool(paths & o_paths)
        score += 0.25 * bool(head and head == o_head)
        score += 0.25 * bool(ids & o_ids)
        score += 0.4 * jaccard(definition, o_def)
        score += 0.1 * (other.kind == c.kind)
        score += 0.05 * other.importance
        expected.append((other.name, score))
    expected.sort(key=lambda x: (-x[1], x[0]))
    return expected


def test_related_ranking_matches_the_formula(biology):
    """The index-based ranking equals the documented score computed pair by pair."""
    doc, concepts = biology
    corpus = Corpus.of([doc])
    for c in concepts:
        view = ConceptView(c, concepts, corpus, corpus.documents)
        assert [(o.name, s) for o, s in view.related] == _by_formula(view)
    # a concept never ranks another name of itself as related
    osmosis = ConceptView(concepts[1], concepts, corpus, corpus.documents)
    assert stem(words("osmosis")[0]) not in {
        stem(w) for o, _ in osmosis.related for w in words(o.name)
    }


SHORT = """# Notes on lists

To look up a key you walk the list from the start and compare every key until one matches.
This walk is called a linear search.
"""


def test_cloze_on_a_short_sentence_takes_the_sentence_before_as_context():
    doc = markdown_doc("notes/lists.md", SHORT)
    search = with_evidence(concept("linear search", "This walk is called a linear search."), doc)
    concepts = [search, concept("key"), concept("list")]
    clozes = [ex for ex in make_exercises(search, concepts, [doc]) if ex.kind == "cloze"]
    assert clozes and self_check(clozes[0], [doc], []).passed
    ex = clozes[0]
    assert ex.prompt == (
        "Fill in the blank: To look up a key you walk the list from the start and compare "
        "every key until one matches. This walk is called a _____."
    )
    assert [c.quote for c in ex.citations] == [
        "To look up a key you walk the list from the start and compare every key until one "
        "matches.",
        "This walk is called a linear search.",
    ]
    assert ex.answer == "linear search"


def test_no_cloze_on_a_sentence_that_only_uses_the_term():
    doc = markdown_doc(
        "notes/bench.md",
        "# Notes\n\nComedy clips make terrible benchmarks for voice assistants.\n"
        "But they make very sticky cognitive anchors.\n",
    )
    anchor = with_evidence(
        concept("sticky cognitive anchor", "But they make very sticky cognitive anchors."), doc
    )
    made = make_exercises(anchor, [anchor, concept("benchmark")], [doc])
    assert [ex for ex in made if ex.kind in ("cloze", "true_false", "short_answer")] == []


def test_related_ranking_matches_the_formula_on_a_larger_corpus():
    """With a dozen or more candidates the ranking runs vectorised (``_RelatedIndex.ranked``):
    still the documented score, pair by pair, in the same order."""
    import random
    import re

    from teachback.benchmarks.ingest_throughput import _Vocabulary, article
    from teachback.ingest.exercises.context.related import _RelatedIndex, related_index

    rng = random.Random(3)
    vocab = _Vocabulary(rng, 60)
    docs = [markdown_doc(f"notes/a{i}.md", article(rng, vocab, i, 12000)) for i in range(4)]
    concepts, seen = [], set()
    for doc in docs:
        for m in re.finditer(r"A \*\*([^*]+)\*\* is [^.]*\.", doc.text):
            if m.group(1) not in seen:
                seen.add(m.group(1))
                c = concept(m.group(1), m.group(0), importance=rng.random())
                concepts.append(with_evidence(c, doc))
    concepts.append(concept("scheduler.run", kind="code"))  # another kind, no definition
    corpus = Corpus.of(docs)
    fast = 0
    for c in concepts:
        view = ConceptView(c, concepts, corpus, corpus.documents)
        index, _ = related_index(view)
        fast += _RelatedIndex.ranked(index, view) is not None
        assert [(o.name, s) for o, s in view.related] == _by_formula(view)
    assert len(concepts) > 30 and fast > len(concepts) // 2  # the vectorised path was tested


def test_a_concept_with_enough_kept_exercises_gets_no_more(biology):
    """When "what is X?" and true/false statements give three kept of two kinds (three right
    answers reach mastery), the other kinds are not made or checked; else every candidate is
    checked as before."""
    doc, concepts = biology
    stopped = 0
    for c in concepts:
        kept, rejected = generate_checked(c, concepts, [doc])
        made = make_exercises(c, concepts, [doc])
        checked = kept + rejected
        first_only = {ex.kind for ex in checked} <= {"short_answer", "true_false"}
        if first_only and len(kept) >= 3 and len({ex.kind for ex in kept}) >= 2:
            stopped += 1
            # (a fourth only when it balances a true/false key: a surplus one is dropped)
            assert len(kept) <= 4, [ex.prompt for ex in kept]
            assert len(checked) < len(made)
        else:
            assert len(checked) == len(made), c.name
    assert stopped  # (diffusion: its definition and two true/false statements)
