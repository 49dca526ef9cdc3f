"""A served store for the security probes: the published fixture curriculum "water" in a real
on-disk SQLite file that the app under test (Streamlit's AppTest) reads via ``TEACHBACK_DB``."""

import pytest

from teachback.curricula.db import open_db
from teachback.tests.session_fixture import build_fixture_curriculum


@pytest.fixture
def served(tmp_path, monkeypatch):
    path = tmp_path / "app.db"
    db = open_db(path)
    build_fixture_curriculum(db, publish=True)
    monkeypatch.setenv("TEACHBACK_DB", str(path))
    for old in ("TEACHBACK_INSTRUCTOR_PASSWORD", "TEACHBACK_INSTRUCTOR_PASSWORD_HASH"):
        monkeypatch.delenv(old, raising=False)
    yield db
    db.close()
