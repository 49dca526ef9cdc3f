"""The classroom benchmark's HTTP harness is tested on the classroom tests' class."""

from teachback.tests.tutor.classroom.conftest import klass, published  # noqa: F401 - fixtures
