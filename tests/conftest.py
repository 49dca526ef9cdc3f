import os

import pytest
from hypothesis import settings

from teachback.curricula.db import open_db

# Property tests draw the same examples on every run unless HYPOTHESIS_PROFILE=explore: a CI run
# must not pass or fail by luck. Explore locally to look for new counterexamples.
settings.register_profile("repeatable", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "repeatable"))


@pytest.fixture
def db(tmp_path):
    """A fresh database on disk with every migration applied."""
    database = open_db(tmp_path / "test.db")
    yield database
    database.close()
