"""The instructor pages are tested on the curricula tests' hand-built course."""

from teachback.tests.curricula.conftest import make_course  # noqa: F401 - a fixture
