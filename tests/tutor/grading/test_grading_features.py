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
