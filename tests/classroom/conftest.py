"""A published curriculum in a fresh on-disk store, and helpers for classroom tests.

The curriculum is the tutor's hand-built fixture (``tutor/session_fixture.py``: four water-cycle
concepts in a chain, 13 exercises), published through the real ``publish``.
"""

import pytest

from teachback.curricula.publish import publish
from teachback.tutor.classroom import sessions
from teachback.tutor.session_fixture import build_fixture_curriculum

INSTRUCTOR = "Grace"


@pytest.fixture
def published(db):
    curriculum = build_fixture_curriculum(db)
    publish(db, curriculum, INSTRUCTOR)
    return db, curriculum


@pytest.fixture
def klass(published):
    """``(db, session)``: a class started by Grace on the published water curriculum."""
    db, curriculum = published
    return db, sessions.start_session(db, curriculum, INSTRUCTOR)
