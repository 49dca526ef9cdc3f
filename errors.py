"""Named errors, translated into user messages once, at the edges (CLI and web UI).

Each carries enough to say *what* went wrong and *where* in one line: ``str(err)`` is that line.
"""


class TeachbackError(Exception):
    """Base class: every error a user may see. ``str()`` is a one-line message."""


class SourceError(TeachbackError):
    """A source file could not be read. ``where`` names the file (and the part of it)."""

    def __init__(self, where: str, problem: str):
        self.where = where
        self.problem = problem
        super().__init__(f"{where}: {problem}")


class CycleError(TeachbackError):
    """An edge would close a cycle in the prerequisite graph; ``cycle`` lists it in order."""

    def __init__(self, cycle: list[str]):
        self.cycle = cycle
        super().__init__("that edge would make a cycle: " + " -> ".join(cycle))


class EditConflict(TeachbackError):
    """Someone else changed the item since it was read; nothing was overwritten."""


class InvalidEdit(TeachbackError):
    """An instructor's edit that cannot be applied as asked."""


class ImportFormatError(TeachbackError):
    """An import file that is corrupt or from a newer, unknown format version."""


class ModelUnavailable(TeachbackError):
    """An opt-in model server failed; callers fall back to the embedded engine."""


class NotFound(TeachbackError):
    """A curriculum, concept, exercise or learner that does not exist."""
