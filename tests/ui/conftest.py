import pytest
from streamlit.testing.v1 import AppTest

from teachback.config import PACKAGE_DIR
from teachback.curricula.db import open_db
from teachback.tests.session_fixture import build_fixture_curriculum
from teachback.tests.signin import sign_in_app

APP = str(PACKAGE_DIR / "app.py")


@pytest.fixture
def app_db(tmp_path, monkeypatch):
    """A store holding the fixture curriculum "water", served to the app via TEACHBACK_DB."""
    path = tmp_path / "app.db"
    db = open_db(path)
    build_fixture_curriculum(db, publish=True)
    monkeypatch.setenv("TEACHBACK_DB", str(path))
    # The page caches its engine per process (st.cache_resource): start from the configured one,
    # never from an engine an earlier test set up (the LLM tests point one at a closed port).
    from teachback.ui import common

    common.get_engine.clear()
    yield db
    db.close()


@pytest.fixture
def app(app_db):
    """A function making a fresh app session (as a new browser tab would) at a page."""

    def make(page: str | None = None, learner: str | None = "ada") -> AppTest:
        """``learner``: the username signed in (an account made on first use), None: nobody."""
        # Pages are functions (st.Page(callable)), which AppTest.switch_page cannot reach, so a
        # page is tested by a one-line script that renders it; None runs the whole app.
        if page is None:
            at = AppTest.from_file(APP, default_timeout=30)
        else:
            script = f"from teachback.ui import {page}\n{page}.render()\n"
            at = AppTest.from_string(script, default_timeout=30)
        if learner:
            sign_in_app(at, app_db, learner, name=learner.capitalize())
            at.query_params["curriculum"] = "water"
        return at.run()

    return make
