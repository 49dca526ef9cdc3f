import pytest

from teachback.curricula.db import open_db


@pytest.fixture
def db(tmp_path):
    """A fresh database on disk with every migration applied."""
    database = open_db(tmp_path / "test.db")
    yield database
    database.close()
