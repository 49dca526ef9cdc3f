"""A lesson reads on its own: a section headed by the concept leads over a definition given in
passing elsewhere; a paragraph set against what came before ("The other ...", "..., however:")
comes with it; a chapter's promise ("In this chapter, we will ...") does not stand in for the
sections that teach."""

from __future__ import annotations

from teachback.engine.protocol import ConceptDraft
from teachback.ingest.lessons import write_lesson
from teachback.ingest.readers import read_bytes
from teachback.tests.ingest.lessons.notebooks import cell, evidence, md, notebook

SENTINELS = [
    md("# Missing Data"),
    md(
        "## Trade-offs\n\nA sentinel value could be a data-specific convention, such as -9999, "
        "or a global one, such as `NaN` (Not a Number), a special floating-point value.\n\n"
        "Neither approach is free: a mask costs memory, and special values like `NaN` are "
        "not available for all data types."
    ),
    md(
        "### None as a Sentinel Value\n\nFor some data types, Pandas uses `None` as a sentinel "
        "value, which makes the array an array of Python objects.\n\nFor example:"
    ),
    cell("np.array([1, None])", "array([1, None], dtype=object)"),
    md(
        "### NaN: Missing Numerical Data\n\nThe other missing data sentinel, `NaN` is "
        "different; it is a special floating-point value that all systems recognise:"
    ),
    cell("np.array([1, np.nan])", "array([ 1., nan])"),
    md("Keep in mind that `NaN` is a bit like a data virus: it infects any object it touches."),
]


def test_a_section_headed_by_the_concept_leads_and_brings_what_its_opening_contrasts(tmp_path):
    doc = notebook(tmp_path, SENTINELS, "missing.ipynb")
    quote = "`NaN` (Not a Number), a special floating-point value."
    concept = ConceptDraft(
        name="NaN", definition=quote, evidence=[evidence(doc, quote, role="definition")]
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    # the section on NaN is short here, so the definition's passage comes too (source order)
    assert parts == [
        "**NaN**",
        "A sentinel value could be a data-specific convention, such as -9999, or a global one, "
        "such as `NaN` (Not a Number), a special floating-point value. [1]",
        "Neither approach is free: a mask costs memory, and special values like `NaN` are not "
        "available for all data types. [2]",
        "For some data types, Pandas uses `None` as a sentinel value, which makes the array an "
        "array of Python objects. [3]",
        "The other missing data sentinel, `NaN` is different; it is a special floating-point "
        "value that all systems recognise: [4]",
        "```python\nnp.array([1, np.nan])\n```",
        "Output:",
        "```text\narray([ 1., nan])\n```",
        "Keep in mind that `NaN` is a bit like a data virus: it infects any object it touches. [7]",
    ]


def test_a_paragraph_that_opens_with_however_comes_with_the_paragraph_before(tmp_path):
    doc = notebook(
        tmp_path,
        [
            md(
                "# Operations\n\nNumPy performs quick element-wise arithmetic on whole arrays, "
                "and Pandas inherits it.\n\nPandas includes a useful twist, however: for "
                "binary operations such as addition, Pandas *aligns indices* first."
            ),
        ],
        "ops.ipynb",
    )
    concept = ConceptDraft(
        name="binary operation",
        evidence=[evidence(doc, "for binary operations such as addition")],
    )
    assert write_lesson(concept, [doc]).text.strip().split("\n\n")[1:] == [
        "NumPy performs quick element-wise arithmetic on whole arrays, and Pandas inherits it. [1]",
        "Pandas includes a useful twist, however: for binary operations such as addition, "
        "Pandas *aligns indices* first. [2]",
    ]


def test_a_chapters_promise_does_not_stand_in_for_the_sections_that_teach(tmp_path):
    doc = notebook(
        tmp_path,
        [
            md(
                "# Handling Missing Data\n\nReal-world data is rarely clean: many datasets "
                "have some data missing, marked in different ways.\n\nIn this chapter, we will "
                "discuss general considerations for missing data and the tools Pandas offers "
                "for handling it, one approach after the other, with their costs and benefits."
            ),
            md(
                "## Trade-offs\n\nTwo strategies track missing data: a *mask* that marks the "
                "missing values, or a *sentinel value* that stands for a missing entry."
            ),
        ],
        "missing.ipynb",
    )
    concept = ConceptDraft(
        name="handling missing data", evidence=[evidence(doc, "Real-world data is rarely")]
    )
    assert write_lesson(concept, [doc]).text.strip().split("\n\n")[-1] == (
        "Two strategies track missing data: a *mask* that marks the missing values, or a "
        "*sentinel value* that stands for a missing entry. [3]"
    )


def test_a_first_sentence_that_points_at_this_group_comes_with_the_paragraph_naming_it(tmp_path):
    doc = notebook(
        tmp_path,
        [
            md(
                "# The gap\n\nNot even close.\n\nSome engineers pay for frontier models and use "
                "them every day on hard programming problems at work.\n\nKarpathy says this "
                "group is experiencing what he calls *AI psychosis*: the models melt problems "
                "that take a human days."
            ),
        ],
        "gap.ipynb",
    )
    concept = ConceptDraft(
        name="AI psychosis", evidence=[evidence(doc, "Karpathy says this group", "definition")]
    )
    assert write_lesson(concept, [doc]).text.strip().split("\n\n")[1:] == [
        "Some engineers pay for frontier models and use them every day on hard programming "
        "problems at work. [1]",
        "Karpathy says this group is experiencing what he calls *AI psychosis*: the models "
        "melt problems that take a human days. [2]",
    ]


def test_a_point_of_a_list_comes_with_the_paragraph_that_introduces_the_list(tmp_path):
    doc = read_bytes(
        str(tmp_path / "talk.txt"),
        (
            b"The talk ranged widely, from how people now program with agents to what robots "
            b"and schools will look like in ten years.\n"
            b"Here are the main points of the talk, as the host summed them up at the end of "
            b"the long evening:\n"
            b"1. Agents: people now express their ideas to agents instead of writing the code "
            b"themselves, line by line.\n"
            b"2. Robotics: moving atoms is far harder than moving bits, but the market for the "
            b"physical world may be larger than the digital one.\n"
            b"3. Education: agents may learn a subject first and then teach it to people, one "
            b"learner at a time, at their own pace.\n"
        ),
        {},
    )
    quote = "Robotics: moving atoms is far harder than moving bits"
    concept = ConceptDraft(
        name="robotics", definition=quote, evidence=[evidence(doc, quote, role="definition")]
    )
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    # the lead-in's announcement is dropped: the first point does not follow it in the lesson
    assert parts[1:] == [
        "Here are the main points of the talk, as the host summed them up at the end of the "
        "long evening: [1]",
        "2\\. Robotics: moving atoms is far harder than moving bits, but the market for the "
        "physical world may be larger than the digital one. [2]",
    ]


def test_a_pronoun_opening_the_paragraph_brought_in_brings_the_one_that_names_who(tmp_path):
    doc = notebook(
        tmp_path,
        [
            md(
                "## Ice Meets Blowtorch\n\n"
                "Two groups of engineers read the same news differently.\n\n"
                "Let's look at the group that can't sleep: what exactly did they see?\n\n"
                "They pay for the best models and use them where those models are strongest, "
                "on code.\n\n"
                "Karpathy says this group is experiencing what he calls *AI psychosis*: they "
                "watch a model melt problems that take a person weeks."
            )
        ],
        name="gap.ipynb",
    )
    quote = "Karpathy says this group is experiencing what he calls *AI psychosis*"
    concept = ConceptDraft(name="AI psychosis", evidence=[evidence(doc, quote)])
    parts = write_lesson(concept, [doc]).text.strip().split("\n\n")
    assert [p.split(" ", 1)[0] for p in parts[1:]] == ["Let's", "They", "Karpathy"]
