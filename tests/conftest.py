import logging
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


class _BrokenKinds(logging.Handler):
    """Collects "exercise kind X failed" warnings. Ingest keeps going when one kind raises (a
    user's batch must land), so without this a bug in a kind only shows as fewer exercises."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("exercise kind "):
            self.failures.append(record.getMessage())


@pytest.fixture(autouse=True)
def own_config_dir(tmp_path, monkeypatch):
    """Each test's own config folder: what ``teachback learn`` remembers (its sign-in) never
    lands in the real home folder, nor carries from one test to the next."""
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))


@pytest.fixture(autouse=True)
def no_broken_exercise_kind():
    handler = _BrokenKinds()
    logger = logging.getLogger("teachback.ingest.exercises")
    logger.addHandler(handler)
    yield handler  # (a test that breaks a kind on purpose clears what it expected)
    logger.removeHandler(handler)
    assert not handler.failures, handler.failures[:3]
