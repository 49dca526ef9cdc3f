"""Features of a free-text answer: key points are the reference's idea units."""

from teachback.tutor.grading.features import extract

Q = "What is included in a function prototype?"
REF = "The name of the function and the types of the parameters."


def test_half_the_idea_units_answered_reads_as_half_covered():
    half = extract(Q, REF, "The name of the function.")
    full = extract(Q, REF, "Its name and the types of its parameters.")
    assert half["points_covered"] == 0.5
    assert full["points_covered"] == 1.0
    assert half["points_min"] < 0.5 <= full["points_min"]


def test_content_cosine_prefers_the_answer_that_adds_the_reference_meaning():
    right = extract(Q, REF, "The function's name and its parameter types.")
    wrong = extract(Q, REF, "The function body and its local variables.")
    assert right["cos_content"] > wrong["cos_content"]
    assert extract(Q, REF, REF)["cos_content"] > 0.99


def test_negation_is_compared_clause_by_clause():
    ref = (
        "If no constructor is provided, the compiler provides one by default. If a constructor "
        "is defined for a class, the compiler does not create a default constructor."
    )
    agrees = "C++ creates a default constructor during compilation if one is not provided."
    contradicts = "If a constructor is defined for a class, the compiler creates a default one."
    q = "When does C++ create a default constructor?"
    assert extract(q, ref, agrees)["negation_flip"] == 0.0
    # Of its two clauses, the condition agrees and the consequence says the opposite.
    assert extract(q, ref, contradicts)["negation_flip"] == 0.5


RECURSION_REF = "If the recursion step is defined incorrectly, or if the base case is not included."
INLINE_REF = "It makes a copy of the function code in every place where a function call is made."


def test_a_denying_word_agrees_with_a_reference_that_says_not():
    q = "What causes infinite recursion?"
    omitting = "Omitting the base case or writing the recursion step incorrectly."
    including = "Including the base case and defining the recursion step correctly."
    assert extract(q, RECURSION_REF, omitting)["negation_flip"] == 0.0
    assert extract(q, RECURSION_REF, including)["negation_flip"] == 0.5


def test_a_not_in_a_clause_of_consequence_denies_only_that_clause():
    q = "What does the compiler do with an inline function?"
    reason = (
        "The compiler puts a copy of the function code in every place it is called so it does "
        "not have to make a function call."
    )
    denial = "It does not make a copy of the function code in every place a function is called."
    assert extract(q, INLINE_REF, reason)["negation_flip"] == 0.0
    assert extract(q, INLINE_REF, denial)["negation_flip"] == 1.0


def test_pairs_kept_tells_a_statement_from_its_words_shuffled():
    q = "What is a pointer?"
    ref = "A variable that contains the address in memory of another variable."
    reworded = extract(q, ref, "A pointer is a variable holding the address in memory of a value.")
    shuffled = extract(q, ref, "Contains variable memory address another, I think.")
    assert reworded["pairs_kept"] == 1.0
    assert shuffled["pairs_kept"] == 0.25
