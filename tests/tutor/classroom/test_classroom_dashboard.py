"""The dashboard's pure aggregation: positions, heatmap, stuck, most missed, misconceptions,
pace spread -- on hand-made members and attempts whose right results can be counted by eye."""

from datetime import UTC, datetime, timedelta

from teachback.tutor.classroom import dashboard as d
from teachback.tutor.classroom import misconceptions as m

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)
CONCEPTS = [{"id": "c1", "name": "One"}, {"id": "c2", "name": "Two"}, {"id": "c3", "name": "Three"}]


def ago(seconds: float) -> str:
    return (NOW - timedelta(seconds=seconds)).isoformat(timespec="seconds")


MEMBERS = [
    {"learner_id": "a", "display_name": "Ada", "joined_at": ago(900)},
    {"learner_id": "b", "display_name": "Bob", "joined_at": ago(900)},
    {"learner_id": "c", "display_name": "Cy", "joined_at": ago(30)},
]


def att(learner, concept, ex, correct, answer, seconds_ago):
    return {"learner_id": learner, "concept_id": concept, "exercise_id": ex,
            "correct": int(correct), "answer": answer, "at": ago(seconds_ago)}  # fmt: skip


ATTEMPTS = sorted(
    [
        att("a", "c1", "e1", True, "Evaporation", 600),
        att("a", "c2", "e2", False, "the sun", 100),
        att("a", "c2", "e2", False, "The Sun!", 80),
        att("a", "c2", "e3", False, "rain", 60),
        att("b", "c1", "e1", False, "sun the", 800),
        att("b", "c1", "e1", True, "Evaporation", 700),
    ],
    key=lambda a: a["at"],
)


def test_positions_follow_each_learners_latest_answer():
    pos = d.positions(MEMBERS, ATTEMPTS, CONCEPTS)
    assert pos == {
        "a": {"concept_id": "c2", "concept": "Two", "index": 1},
        "b": {"concept_id": "c1", "concept": "One", "index": 0},
        "c": {"concept_id": None, "concept": "", "index": -1},
    }


def test_active_means_answered_or_joined_recently():
    assert d.active_learners(MEMBERS, ATTEMPTS, NOW, window=300) == ["a", "c"]


def test_heatmap_has_one_cell_per_learner_and_assessed_concept_in_order():
    mastery = {"a": {"c1": 0.97, "c2": 0.31}, "b": {"c1": 0.5, "c2": 0.1}}
    cells = d.heatmap(MEMBERS, CONCEPTS, mastery)
    assert len(cells) == 3 * 2  # c3 has no mastery anywhere: not assessable, left out
    assert [(c["learner"], c["concept"], c["mastery"]) for c in cells[:2]] == [
        ("Ada", "One", 0.97), ("Ada", "Two", 0.31)]  # fmt: skip
    assert [c["mastery"] for c in cells if c["learner"] == "Cy"] == [0.0, 0.0]
    assert {c["order"] for c in cells} == {0, 1}


def test_stuck_by_repeated_misses_lists_what_they_got_wrong():
    prompts = {"e2": "What drives evaporation?", "e3": "What falls from clouds?"}
    rows = d.stuck(MEMBERS, ATTEMPTS, NOW, prompts=prompts, idle=800)
    assert [r["learner"] for r in rows] == ["Ada"]
    ada = rows[0]
    assert ada["misses"] == 3 and ada["why"] == "3 wrong answers in a row"
    assert [(w["prompt"], w["answer"]) for w in ada["wrong"]] == [
        ("What drives evaporation?", "the sun"),
        ("What drives evaporation?", "The Sun!"),
        ("What falls from clouds?", "rain"),
    ]


def test_stuck_by_idling_unless_finished():
    rows = d.stuck(MEMBERS, ATTEMPTS, NOW, idle=300)
    assert [(r["learner"], r["why"]) for r in rows] == [
        ("Ada", "3 wrong answers in a row"),
        ("Bob", "idle for 11 min"),
    ]
    assert [r["learner"] for r in d.stuck(MEMBERS, ATTEMPTS, NOW, idle=300, finished={"b"})] == [
        "Ada"]  # fmt: skip
    # two misses are not "stuck" yet; a right answer ends a run
    assert d.stuck(MEMBERS, ATTEMPTS[:-1], NOW, misses=4, idle=10**6) == []


def test_most_missed_counts_wrong_answers_per_exercise():
    rows = d.most_missed(ATTEMPTS, {"e2": "Q2"})
    got = [(r["exercise_id"], r["misses"], r["attempts"], r["miss_rate"], r["learners"])
           for r in rows]  # fmt: skip
    assert got == [("e2", 2, 2, 1.0, 1), ("e3", 1, 1, 1.0, 1), ("e1", 1, 3, 0.333, 1)]
    assert rows[0]["prompt"] == "Q2"


def test_answers_are_normalised_then_grouped_fuzzily():
    assert m.normalise_answer("  The\tSun!! ") == "sun"
    assert m.normalise_answer("The") == "the"  # only articles: kept
    groups = m.group_answers(["rain", "Rain.", "the sun", "The Sun!", "sun, the", "the sunn"])
    assert [(g["key"], g["count"]) for g in groups] == [("sun", 4), ("rain", 2)]
    assert groups[0]["answer"] in {"the sun", "The Sun!"}
    # unrelated short answers stay apart
    assert len(m.group_answers(["4", "5", "40"])) == 3


def test_misconceptions_need_two_answers_and_count_learners():
    more = ATTEMPTS + [att("c", "c2", "e2", False, "Sun", 10), att("c", "c2", "e3", False, "", 5)]
    rows = m.misconceptions(more, {"e2": "Q2"})
    assert len(rows) == 1  # "rain" was given once; "" is not an answer
    row = rows[0]
    assert (row["exercise_id"], row["count"], row["learners"]) == ("e2", 3, 2)
    assert row["answer"] in {"the sun", "The Sun!"} and set(row["variants"]) == {"sun"}


def test_pace_spread_counts_mastered_concepts_per_learner():
    mastery = {"a": {"c1": 0.97, "c2": 0.96}, "b": {"c1": 0.99, "c2": 0.2}, "c": {}}
    spread = d.pace_spread(MEMBERS, mastery, threshold=0.95)
    assert spread["mastered"] == {"a": 2, "b": 1, "c": 0}
    assert (spread["min"], spread["median"], spread["max"], spread["spread"]) == (0, 1, 2, 2)
    assert spread["histogram"] == [{"mastered": 0, "learners": 1}, {"mastered": 1, "learners": 1},
                                   {"mastered": 2, "learners": 1}]  # fmt: skip
    assert d.pace_spread([], {}, 0.95)["learners"] == 0
