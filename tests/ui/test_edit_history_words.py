"""The editor's history in words: what changed, never a raw payload; which concept to show."""

from teachback.ui.edit_history import describe, focus_of

NAMES = {"c/hash": "Hash table", "c/probe": "Linear probing"}


def edit(kind, /, **payload):
    return {"op": kind, "payload": payload}


def test_every_common_edit_reads_as_a_sentence():
    said = [
        describe(edit("add_concept", name="Bucket", id="c/bucket"), NAMES),
        describe(
            edit("update_concept", concept="c/hash", definition="x", aliases=["map"]), NAMES
        ),  # fmt: skip
        describe(edit("merge", keep="c/hash", absorb="c/map", absorbed_name="Hash map"), NAMES),
        describe(edit("split", concept="c/hash", new="c/b", new_name="Bucket"), NAMES),
        describe(edit("delete_concept", concept="c/old-thing", name="Old thing"), NAMES),
        describe(
            edit("add_edge", prerequisite="c/hash", concept="c/probe", kind="prerequisite"), NAMES
        ),  # fmt: skip
        describe(edit("remove_edge", edge=3, prerequisite="c/gone-one", concept="c/probe"), NAMES),
        describe(
            edit("move_concept", concept="c/probe", unit=2, index=0), NAMES, units={2: "Collisions"}
        ),  # fmt: skip
        describe(
            edit("reject_exercise", exercise="x1", reason="ambiguous"),
            NAMES,
            exercises={"x1": "Which term names this?"},
        ),  # fmt: skip
        describe(edit("reorder_units", order=[2, 1]), NAMES),
    ]
    assert said == [
        "Added the concept \u201cBucket\u201d",
        "Changed the definition and aliases of \u201cHash table\u201d",
        "Merged \u201cHash map\u201d into \u201cHash table\u201d",
        "Split \u201cBucket\u201d off \u201cHash table\u201d",
        "Deleted the concept \u201cOld thing\u201d",
        "Made \u201cHash table\u201d a prerequisite of \u201cLinear probing\u201d",
        "Removed the link from \u201cgone one\u201d to \u201cLinear probing\u201d",
        "Moved \u201cLinear probing\u201d to \u201cCollisions\u201d, position 1",
        "Rejected the exercise \u201cWhich term names this?\u201d (ambiguous)",
        "Changed the order of the units",
    ]


def test_an_undo_says_what_it_undid_and_the_editor_follows_its_concept():
    merge = {"id": 4, **edit("merge", keep="c/hash", absorb="c/map", absorbed_name="Hash map")}
    undo = {"id": 5, **edit("undo", edit=4, op="merge")}
    earlier = {4: merge, 5: undo}
    assert describe(undo, NAMES, earlier=earlier) == (
        "Undid: merged \u201cHash map\u201d into \u201cHash table\u201d")  # fmt: skip
    assert describe(edit("undo", edit=1, op="rename"), NAMES) == "Undid an earlier rename"
    assert focus_of(undo, earlier) == "c/hash"
    assert focus_of(edit("rename", concept="c/probe", old="a", new="b")) == "c/probe"
    assert focus_of(edit("add_concept", name="Bucket", id="c/bucket")) == "c/bucket"
    assert focus_of(edit("reorder_units", order=[1])) is None
