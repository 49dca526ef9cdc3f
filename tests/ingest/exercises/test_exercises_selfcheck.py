"""Each self-check rule rejects an exercise that breaks it; good ones pass with a reason."""

from __future__ import annotations

from teachback.core.document import Document, Section
from teachback.engine.protocol import ConceptDraft, ExerciseDraft
from teachback.ingest.exercises import generate_checked, self_check
from teachback.ingest.exercises.context import ConceptView
from teachback.ingest.exercises.corpus import Corpus
from teachback.ingest.exercises.selfcheck import RULES, teacher_problems

from .conftest import asked_again


def _rules(result):
    return {r.split(":")[0] for r in result.reasons}


def _doc(text, path="notes/t.md"):
    return Document(path, "markdown", path, text, [Section("prose", 0, len(text), text)])


def test_a_good_exercise_passes_with_the_reasons_recorded(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="osmosis",
        kind="cloze",
        prompt="Fill in the blank: _____ is the diffusion of water molecules across a "
        "selectively permeable membrane.",
        answer="Osmosis",
        data={"accepted": ["osmosis", "Osmosis"]},
    )
    result = self_check(ex, [doc], [])
    assert result.passed, result.reasons
    assert result.answered.lower() == "osmosis"
    assert result.reasons[0].startswith("answered from the sources alone: 'Osmosis'")
    assert any("does not give the answer away" in r for r in result.reasons)
    assert any("not a duplicate" in r for r in result.reasons)
    (span,) = result.supporting
    assert doc.text[span.start : span.end] == span.quote and "Osmosis is the" in span.quote


def test_ambiguous_multiple_choice_is_rejected():
    # two options fit the description equally well: the sources define both the same way
    text = (
        "Osmosis is the diffusion of water across a membrane. "
        "Water transport is the diffusion of water across a membrane. "
        "Active transport is the movement of molecules against a gradient using energy."
    )
    ex = ExerciseDraft(
        concept="osmosis",
        kind="multiple_choice",
        prompt="Which term is described here: "
        "\u201cthe diffusion of water across a membrane\u201d?",
        choices=["osmosis", "water transport", "active transport"],
        answer="osmosis",
        data={"variant": "term", "clue": "the diffusion of water across a membrane"},
    )
    result = self_check(ex, [_doc(text)], [])
    assert not result.passed
    assert "ambiguous" in _rules(result)


def test_ambiguous_cloze_with_too_little_context_is_rejected(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="diffusion",
        kind="cloze",
        prompt="Fill in the blank: _____ needs no energy.",
        answer="Diffusion",
        data={"accepted": ["diffusion"]},
    )
    result = self_check(ex, [doc], [])
    # four words cannot pin the blank: a teacher rejects it before answering it
    assert not result.passed and _rules(result) == {"ill_formed"}


def test_ambiguous_true_false_is_rejected():
    # one passage says it, another says the opposite
    text = "Osmosis needs energy from the cell. Osmosis does not need energy from the cell."
    ex = ExerciseDraft(
        concept="osmosis",
        kind="true_false",
        prompt="True or false: Osmosis needs energy from the cell.",
        answer=True,
        data={"statement": "Osmosis needs energy from the cell.", "corrected": ""},
    )
    result = self_check(ex, [_doc(text)], [])
    assert not result.passed and "ambiguous" in _rules(result)


def test_unanswerable_exercise_is_rejected(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="mitochondrion",
        kind="cloze",
        prompt="Fill in the blank: The mitochondrion is the _____ of the cell and makes ATP "
        "through respiration.",
        answer="powerhouse",
        data={"accepted": ["powerhouse"]},
    )
    result = self_check(ex, [doc], [])
    assert not result.passed and "unanswerable" in _rules(result)


def test_unanswerable_true_false_is_rejected(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="photosynthesis",
        kind="true_false",
        prompt="True or false: Photosynthesis turns light into sugar in chloroplasts.",
        answer=True,
        data={"statement": "Photosynthesis turns light into sugar in chloroplasts."},
    )
    result = self_check(ex, [doc], [])
    assert not result.passed and "unanswerable" in _rules(result)


def test_a_wrong_key_is_rejected(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="osmosis",
        kind="multiple_choice",
        prompt="Which term is described here: \u201cthe diffusion of water molecules across a "
        "selectively permeable membrane\u201d?",
        choices=["osmosis", "endocytosis", "active transport"],
        answer="endocytosis",
        data={
            "variant": "term",
            "clue": "the diffusion of water molecules across a selectively permeable membrane",
        },
    )
    result = self_check(ex, [doc], [])
    assert not result.passed and "unsupported_key" in _rules(result)
    assert result.answered == "osmosis"


def test_answer_revealing_exercises_are_rejected(biology):
    doc, _ = biology
    cloze = ExerciseDraft(
        concept="osmosis",
        kind="cloze",
        prompt="Fill in the blank: _____ is the diffusion of water molecules across a "
        "selectively permeable membrane (osmosis keeps plant cells firm).",
        answer="Osmosis",
        data={"accepted": ["osmosis"]},
    )
    assert "answer_revealed" in _rules(self_check(cloze, [doc], []))
    mc = ExerciseDraft(
        concept="osmosis",
        kind="multiple_choice",
        prompt="Which term is described here: \u201cthe osmosis of water molecules across a "
        "membrane\u201d?",
        choices=["osmosis", "endocytosis", "diffusion"],
        answer="osmosis",
        data={"variant": "term", "clue": "the osmosis of water molecules across a membrane"},
    )
    assert "answer_revealed" in _rules(self_check(mc, [doc], []))
    # an inflected form gives it away too ("models" reveals "model")
    plural = ExerciseDraft(
        concept="sodium-potassium pump",
        kind="cloze",
        prompt="Fill in the blank: The _____ is a protein that uses active transport to move "
        "sodium out of the cell, like all sodium-potassium pumps.",
        answer="sodium-potassium pump",
        data={"accepted": ["sodium-potassium pump"]},
    )
    assert "answer_revealed" in _rules(self_check(plural, [doc], []))


def test_duplicates_of_kept_exercises_are_rejected(biology):
    doc, concepts = biology
    osmosis = next(c for c in concepts if c.name == "osmosis")
    kept, _ = generate_checked(osmosis, concepts, [doc])
    first = kept[0]
    again = first.model_copy(deep=True)
    again.self_check = None
    result = self_check(again, [doc], kept)
    assert not result.passed and "duplicate" in _rules(result)
    # a near-identical prompt (one word changed) is a duplicate as well
    near = first.model_copy(deep=True)
    near.prompt = first.prompt.replace("the", "a", 1) if "the" in first.prompt else first.prompt
    assert "duplicate" in _rules(self_check(near, [doc], kept))
    # and the same exercise against nothing kept passes again
    assert self_check(again, [doc], []).passed


def test_kept_exercises_record_why_and_rejected_ones_what_rule(biology):
    doc, concepts = biology
    for c in concepts:
        kept, rejected = generate_checked(c, concepts, [doc])
        for ex in kept:
            assert ex.self_check.passed and ex.self_check.reasons
            assert ex.self_check.reasons[0].startswith("answered from the sources alone")
        for ex in rejected:
            assert not ex.self_check.passed
            assert _rules(ex.self_check) and _rules(ex.self_check) <= set(RULES)


def test_every_defined_concept_gets_two_kinds_and_each_fact_is_asked_once(biology, notebook):
    three = set()
    for doc, concepts in (biology, notebook):
        for c in concepts:
            if not c.definition:
                continue
            kept, _ = generate_checked(c, concepts, [doc])
            # two kinds where the notes state two facts of its own ("A selectively permeable
            # membrane is ..." alone: a blank in osmosis's definition would be about osmosis)
            view = ConceptView(c, concepts, Corpus.of([doc]), [doc])
            own = {d.sentence.id for d in view.teaching + view.statements}
            assert len({e.kind for e in kept}) >= min(2, len(own)), (c.name, len(own), kept)
            # at most one form each way round per source passage: a cloze, a "which term" and
            # a "what is X?" on the same sentence would ask the same fact three times
            assert asked_again(kept) == [], c.name
            if len(kept) >= 3:
                three.add(c.name)
    # a concept the notes state more than one fact about gets three exercises
    # ("Diffusion is ...", "Diffusion needs no energy ...")
    assert {"diffusion", "osmosis"} <= three


def test_citations_quote_the_text_at_their_spans(biology, stats_code, notebook):
    for doc, concepts in (biology, stats_code, notebook):
        for c in concepts:
            kept, rejected = generate_checked(c, concepts, [doc])
            for ex in kept + rejected:
                assert ex.citations, (ex.kind, ex.prompt)
                for span in ex.citations + ex.self_check.supporting:
                    assert span.source == doc.path
                    assert doc.text[span.start : span.end] == span.quote
                    assert span.quote.strip()


def test_concept_without_sources_yields_nothing_kept(biology):
    doc, concepts = biology
    ghost = ConceptDraft(name="photosynthesis", definition="Photosynthesis makes sugar.")
    kept, rejected = generate_checked(ghost, concepts + [ghost], [doc])
    assert kept == []


def test_document_order_does_not_matter_and_spans_stay_exact(biology, stats_code):
    bio_doc, bio_concepts = biology
    code_doc, code_concepts = stats_code
    concepts = bio_concepts + code_concepts
    docs = {d.path: d for d in (bio_doc, code_doc)}
    results = []
    for order in ([bio_doc, code_doc], [code_doc, bio_doc]):
        out = []
        for c in concepts:
            kept, _ = generate_checked(c, concepts, order)
            for ex in kept:
                for span in ex.citations:
                    assert docs[span.source].text[span.start : span.end] == span.quote
            out.append([(e.kind, e.prompt, str(e.answer)) for e in kept])
        results.append(out)
    assert results[0] == results[1]


def _tf(concept: str, statement: str, answer: bool = True) -> ExerciseDraft:
    return ExerciseDraft(
        concept=concept,
        kind="true_false",
        prompt="True or false: " + statement,
        answer=answer,
        data={"statement": statement},
    )


def test_a_teacher_rejects_questions_headings_dangling_and_narrative_statements(biology):
    doc, _ = biology
    cases = {
        "Why does osmosis need a membrane?": "ill_formed: a question, not a statement",
        "Osmosis across membranes": "ill_formed: not a whole sentence (no final full stop)",
        "This is why osmosis moves water across the membrane.": (
            "dangling_reference: leans on something not shown ('This')"
        ),
        "I think osmosis is the most elegant process in the cell.": (
            "off_topic: about the author (first person), not the subject"
        ),
    }
    for statement, reason in cases.items():
        assert self_check(_tf("osmosis", statement), [doc], []).reasons == [reason]


def test_short_answers_need_a_defining_reference_and_no_relation_questions(biology):
    doc, _ = biology
    vague = ExerciseDraft(
        concept="osmosis",
        kind="short_answer",
        prompt="In your own words, what is **osmosis**?",
        answer="Sadly, osmosis shows up again in plants and animals.",
        data={"variant": "what", "subject": ["osmosis"], "rubric": ["Sadly", "plants"]},
    )
    assert self_check(vague, [doc], []).reasons == [
        "off_topic: a remark in the author's voice ('Sadly'), not a fact to check",
        "not_defining: the reference does not say what the term is",
        "not_defining: rubric points that are stray words ['Sadly']",
    ]
    relation = vague.model_copy(update={"data": {"variant": "relation"}})
    assert _rules(self_check(relation, [doc], [])) == {"not_checkable"}


def test_cloze_never_blanks_part_of_a_code_name(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="config",
        kind="cloze",
        prompt="Fill in the blank: The overrides live in `_____/finetune_shakespeare.py` here.",
        answer="config",
    )
    assert "identifier_blank" in _rules(self_check(ex, [doc], []))


def test_true_false_keys_stay_within_one_per_concept():
    from teachback.ingest.exercises import balance_keys

    keys = [True, True, True, False]
    kept = [_tf("osmosis", f"It moves water number {i}.", k) for i, k in enumerate(keys)]
    balanced, rejected = balance_keys(kept, [])
    assert [ex.answer for ex in balanced] == [True, True, False]
    assert [ex.answer for ex in rejected] == [True]
    assert rejected[0].self_check.reasons == [
        "key_imbalance: 3 true and 1 false statements for this concept; a surplus true "
        "one would make that key a safe guess"
    ]
    assert len(balance_keys([_tf("osmosis", "It moves water.", True)], [])[0]) == 1


def test_half_the_statements_are_asked_false():
    from teachback.ingest.exercises.kinds.true_false.asking import false_first

    asked = [false_first(c, i) for c in ("osmosis", "diffusion", "pump") for i in range(4)]
    assert 4 <= sum(asked) <= 8


def test_a_description_that_spells_the_name_gives_it_away(biology):
    doc, _ = biology
    ex = ExerciseDraft(
        concept="bucket_index",
        kind="function_purpose",
        prompt="What does the function `def bucket_index(key, capacity)` do?",
        answer="Reduce the hash of key to a bucket index between 0 and capacity - 1.",
        data={"symbol": "hashkit.hashing.bucket_index"},
    )
    assert self_check(ex, [doc], []).reasons == [
        "gives_away: the description spells the name 'bucket_index'"
    ]


def test_topics_with_a_summary_each_are_not_steps_to_order(biology):
    doc, _ = biology
    steps = [
        "AI Programming: Since last December, the paradigm has changed.",
        "Productivity Anxiety: The anxiety is about using up tokens.",
        "Automated Research: AI can automate research tasks.",
    ]
    ex = ExerciseDraft(
        concept="AI programming",
        kind="ordering",
        prompt="Put these steps in order.",
        answer=steps,
        choices=sorted(steps),
        data={"sequence": steps},
    )
    assert _rules(self_check(ex, [doc], [])) == {"not_checkable"}


def test_a_class_name_in_its_own_description_or_task_gives_it_away(biology):
    doc, _ = biology
    purpose = ExerciseDraft(
        concept="LayerNorm",
        kind="function_purpose",
        prompt="What does the class `class LayerNorm(nn.Module)` do?",
        answer="LayerNorm but with an optional bias.",
        data={"symbol": "model.LayerNorm"},
    )
    assert _rules(self_check(purpose, [doc], [])) == {"gives_away"}
    which = ExerciseDraft(
        concept="LayerNorm",
        kind="which_function",
        prompt="Which class would you use to LayerNorm but with an optional bias?",
        answer="LayerNorm()",
        choices=["LayerNorm()", "generate()", "estimate_mfu()"],
    )
    assert self_check(which, [doc], []).reasons == ["gives_away: the task names 'LayerNorm'"]


def test_a_task_that_spells_the_name_with_other_case_or_hyphens_gives_it_away(biology):
    from teachback.ingest.exercises.kinds.which_function import spells_name

    doc, _ = biology
    which = ExerciseDraft(
        concept="fnv1a",
        kind="which_function",
        prompt="Which function would you call to return the 64-bit FNV-1a hash of `key`?",
        answer="fnv1a()",
        choices=["fnv1a()", "bucket_index()", "delete()", "load_factor()"],
    )
    assert self_check(which, [doc], []).reasons == ["gives_away: the task names 'fnv1a'"]
    # (the generator does not ask it either; a task that only shares letters is asked)
    assert spells_name("Return the 64-bit FNV-1a hash of key.", "fnv1a()") is True
    assert spells_name("Return the hash of key, 64 bits wide.", "fnv1a()") is False
    assert spells_name("Compute the Load-Factor of a table.", "loadfactor()") is True


def test_a_name_read_off_the_code_or_the_answer_gives_it_away(biology):
    doc, _ = biology
    code = (
        "Which function is this? Its name is hidden as `___` (its docstring and comments are "
        "left out).\n\n```python\ndef ___(key: str) -> int:\n    value = FNV_OFFSET_BASIS\n"
        "    for byte in key.encode():\n        value = (value ^ byte) * FNV_PRIME\n"
        "    return value\n```"
    )
    options = ["fnv1a()", "bucket_index()", "load_factor()"]
    which = ExerciseDraft(
        concept="fnv1a", kind="which_function", prompt=code, answer="fnv1a()", choices=options
    )
    assert teacher_problems(which) == [
        "gives_away: the code's 'FNV_OFFSET_BASIS' spells most of the name 'fnv1a'"
    ]
    # a word of the name that is only part of it is what the code does, not its name
    loss = code.replace("FNV_OFFSET_BASIS", "loss").replace("FNV_PRIME", "3")
    which = ExerciseDraft(
        concept="estimate_loss", kind="which_function", prompt=loss, answer="estimate_loss()",
        choices=["estimate_loss()", "get_batch()", "get_lr()"],
    )  # fmt: skip
    assert teacher_problems(which) == []
    purpose = ExerciseDraft(
        concept="separate chaining",
        kind="function_purpose",
        prompt="What does the class `class ChainedHashTable` do?",
        answer="A hash table that resolves collisions by separate chaining.",
        data={"symbol": "hashkit.chaining.ChainedHashTable"},
    )
    assert teacher_problems(purpose) == [
        "gives_away: the description says every word of the name 'ChainedHashTable'"
    ]
    purpose.data["symbol"] = "ChainedHashTable.chain_lengths"
    purpose.answer = "How many entries each bucket's chain holds."
    assert teacher_problems(purpose) == []
