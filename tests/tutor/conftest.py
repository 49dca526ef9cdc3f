import pytest

from teachback.tests.session_fixture import build_fixture_curriculum


@pytest.fixture
def water(db):
    """The hand-built fixture curriculum "water" (4 concepts, 2 units), published, in a fresh
    on-disk DB."""
    build_fixture_curriculum(db, publish=True)
    return db
