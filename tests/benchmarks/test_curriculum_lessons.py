"""Lesson checks and the edge sample of ``teachback bench curriculum``."""

from __future__ import annotations

import pytest

from teachback.benchmarks.curriculum_lessons import (
    fragment_reason,
    lesson_checks,
    lesson_report,
    load_verdicts,
    record_verdicts,
    sample_edges,
    score_edges,
)

KEY = "d" * 64
GOOD = (
    "**Merge**\n\nThe `pd.merge` function joins two frames on their shared columns, the way a "
    "relational database joins two tables on a key; it keeps the rows whose keys match in both "
    "and the columns of each, and it can also keep the rows of one side only. [1]\n\n"
    "```python\npd.merge(a, b)\n```\n\nOutput:\n\n```text\n   x\n```\n\n"
    f"![Figure](teachback-image:{KEY})\n\n*Builds on:* DataFrame.\n"
)


def test_fragment_reasons():
    assert fragment_reason("(with a bite! [2] as the saying goes.") == "unbalanced ()"
    assert fragment_reason("where `index` is an optional argument, and more.") == (
        "starts mid-sentence"
    )
    assert fragment_reason("Keys are hashed; * chaining: each bucket holds a list") == (
        "a list flattened into a line"
    )
    assert fragment_reason("The table grows when it is full and then it keeps growing and") == (
        "ends mid-sentence"
    )
    assert fragment_reason("- one\n- two") == ""
    assert fragment_reason("A hash table maps keys to values.") == ""


def test_lesson_report_of_a_whole_lesson_and_a_placeholder():
    good = lesson_report(GOOD, "code")
    assert (good["words"], good["code_blocks"], good["figures"]) == (47, 2, [KEY])
    assert (good["placeholder"], good["paragraph"], good["fragments"], good["shows_code"]) == (
        False,
        True,
        [],
        True,
    )
    thin = lesson_report('**GPT**\n\n""" The GPT model. """ [1]\n', "code")
    assert (thin["placeholder"], thin["paragraph"], thin["shows_code"]) == (True, False, False)
    assert lesson_report("", "term")["placeholder"] is True


def _data():
    concepts = [
        {"id": "c/merge", "name": "merge", "kind": "code", "aliases": ["pd.merge"]},
        {"id": "c/frame", "name": "DataFrame", "kind": "term", "aliases": []},
        {"id": "c/join", "name": "join", "kind": "term", "aliases": []},
    ]
    lessons = [
        {"concept": "c/merge", "text": GOOD},
        {"concept": "c/frame", "text": "**DataFrame**\n\nand then it was cut off mid"},
    ]
    edges = [
        {"prerequisite": "c/frame", "concept": "c/merge", "kind": "prerequisite", "reason": "r1"},
        {"prerequisite": "c/join", "concept": "c/merge", "kind": "prerequisite", "reason": "r2"},
        {"prerequisite": "c/frame", "concept": "c/join", "kind": "related", "reason": "r3"},
        {
            "prerequisite": "c/merge",
            "concept": "c/join",
            "kind": "prerequisite",
            "status": "removed",
            "reason": "r4",
        },
    ]
    return {"concepts": concepts, "lessons": lessons, "edges": edges}


def test_lesson_checks_of_a_curriculum():
    report = lesson_checks(_data(), key_concepts=["pd.merge", "Series"], source_figures={KEY, "e"})
    assert {k: report[k] for k in report if not k.endswith("examples")} == {
        "lessons": 3,
        "placeholder": 2,
        "with_fragments": 1,
        "fragment_free_share": 0.667,
        "paragraph_share": 0.5,
        "paragraph_found_share": 1.0,
        "paragraph_found": 1,
        "without_paragraph": [],
        "paragraph_of": "key concepts",
        "code_concepts": 1,
        "code_shown_share": 1.0,
        "source_figures": 2,
        "figures_shown": 1,
        "figures_shown_share": 0.5,
    }
    assert report["placeholder_examples"] == ["DataFrame", "join"]
    assert report["fragment_examples"] == [
        {
            "concept": "DataFrame",
            "reason": "starts mid-sentence",
            "paragraph": "and then it was cut off mid",
        }
    ]


def test_key_concepts_given_with_gold_forms_match_as_the_concept_judge_does():
    from teachback.benchmarks.concept_names import compact as _compact

    keys = [
        ("merging", {_compact("merging"), _compact("pd.merge")}),  # found by its alias
        ("data frame", {_compact("data frame"), _compact("DataFrame")}),  # CamelCase form
        ("window functions", {_compact("window functions")}),  # not in the curriculum
    ]
    report = lesson_checks(_data(), key_concepts=keys)
    assert (report["paragraph_found"], report["without_paragraph"]) == (2, ["DataFrame"])
    assert (report["paragraph_share"], report["paragraph_found_share"]) == (0.333, 0.5)


def test_edge_sample_is_fixed_and_verdicts_are_recorded_once(tmp_path):
    sample = sample_edges(_data(), k=15)
    assert sorted(s["edge"] for s in sample) == ["DataFrame -> merge", "join -> merge"]
    assert sample == sample_edges(_data(), k=15)
    gold = tmp_path / "edges.json"
    record_verdicts("c", {"DataFrame -> merge": {"verdict": "right", "note": ""}}, gold)
    record_verdicts("c", {"DataFrame -> merge": {"verdict": "reversed", "note": "later"}}, gold)
    assert load_verdicts(gold) == {"c": {"DataFrame -> merge": {"verdict": "right", "note": ""}}}
    score = score_edges(sample, load_verdicts(gold)["c"])
    assert (score["judged"], score["right"], score["right_share"]) == (1, 1, 1.0)
    assert [u["edge"] for u in score["unjudged"]] == ["join -> merge"]
    with pytest.raises(ValueError, match="verdict must be one of"):
        record_verdicts("c", {"x -> y": {"verdict": "maybe"}}, gold)


def test_a_docstring_in_the_code_shown_counts_as_explaining_prose():
    doc = " ".join(["word"] * 45)
    text = f'**Block**\n\n```python\nclass Block:\n    """{doc}"""\n```\n'
    report = lesson_report(text, "code")
    assert (report["words"], report["paragraph"], report["placeholder"]) == (45, True, False)


def test_a_paragraph_going_on_after_its_code_block_is_not_a_fragment():
    text = "**Loss**\n\nWe run it:\n\n```sh\npython train.py\n```\n\nand observe the losses: [2]\n"
    assert lesson_report(text)["fragments"] == []
    alone = "**Loss**\n\nWe run it.\n\nand observe the losses: [2]\n"
    assert lesson_report(alone)["fragments"] == [("and observe the losses:", "starts mid-sentence")]
