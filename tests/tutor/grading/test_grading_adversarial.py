"""The gaming answers the grading benchmark builds from a question and its reference."""

from teachback.tutor.grading.adversarial import (
    build,
    changed_term,
    copied_question,
    keyword_list,
    keyword_salad,
    negated,
    nouns_of,
    reversed_relation,
    word_salad,
)


def test_negated_puts_not_where_english_does():
    assert negated("A location in memory that can store a value.") == (
        "A location in memory that cannot store a value."
    )
    assert negated("It makes a copy of the function code.") == (
        "It does not make a copy of the function code."
    )
    assert negated("The strings have a null element.") == (
        "The strings do not have a null element."
    )
    assert negated("The block will execute at least once.") == (
        "The block will not execute at least once."
    )
    assert negated("By reference.") == "Not by reference."


def test_reversed_relation_swaps_two_related_nouns_and_keeps_the_rest():
    assert reversed_relation("The memory address of its operand.") == (
        "The operand address of its memory."
    )
    assert reversed_relation(
        "A constructor is called whenever an object is created, whereas a function needs to be "
        "called explicitly. Constructors have no return type."
    ) == (
        "A function is called whenever an object is created, whereas a constructor needs to be "
        "called explicitly. Constructors have no return type."
    )


def test_no_reversal_where_the_terms_are_only_listed():
    assert reversed_relation("Abstraction and reusability.") is None
    assert reversed_relation("File scope.") is None


def test_salads_keep_the_words_and_lose_the_order():
    ref = "To simulate the behaviour of portions of the desired software product."
    salad = keyword_salad(ref)
    assert salad == "Desired simulate behaviour software portions product."
    assert keyword_salad(ref) == salad  # seeded by the text: the same every run
    words = word_salad(ref).rstrip(".").lower().split()
    assert sorted(words) == sorted(ref.rstrip(".").lower().split())
    assert words != ref.rstrip(".").lower().split()
    assert keyword_salad("By reference.") is None


def test_a_keyword_list_is_the_reference_without_its_glue():
    ref = (
        "Resizing is allocating a new, larger bucket array, usually twice the old capacity, "
        "and moving every entry into it."
    )
    assert keyword_list(ref) == (
        "resizing allocating new larger bucket array usually twice old capacity moving every entry"
    )
    # Little glue to take out: its words in order are a terse statement, not a list.
    assert keyword_list("They both involve repetition; they both have termination tests.") is None


def test_a_changed_term_swaps_one_noun_inside_the_statement_for_another():
    ref = "A variable that contains the address in memory of another variable."
    changed = changed_term(ref, ["stack", "variable"])
    assert changed == "A variable that contains the stack in memory of another variable."
    assert changed_term(ref, []) is None
    assert nouns_of(["The stack of frames."]) == ["frames", "stack"]


def test_build_names_every_kind_it_could_make():
    made = build("What is a pointer?", "A variable that contains the address of another variable.")
    # (no keyword list: the pointer's definition has too little glue to take out)
    assert sorted(made) == [
        "keyword_salad",
        "keyword_salad_loose",
        "negated",
        "negated_loose",
        "question",
        "reference",
        "reversed_relation",
        "word_salad",
    ]
    # One content word dropped, a filler added: no longer exactly the reference's words.
    assert made["negated_loose"] == (
        "A variable that does not the address of another variable, usually."
    )
    assert made["question"] == "What is a pointer"
    assert copied_question("  ?  ") is None
