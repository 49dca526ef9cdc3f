import pytest

from teachback.engine.protocol import Span


@pytest.fixture(scope="session", autouse=True)
def embedding_model():
    """Load the ONNX embedding model once for the whole grading test session."""
    from teachback.tutor.grading import embed

    embed.warm_up()
    return embed


@pytest.fixture
def pointer_citation():
    quote = "A pointer is a variable that contains the address in memory of another variable."
    return Span(source="notes/pointers.md", start=120, end=120 + len(quote), quote=quote)
