"""Whether a concept is the subject the whole source is about: the library, product or tool a
manual documents ("libffi" in the libffi manual, named in the title of every page).

Its name blanked or matched tests nothing: in a course about it, it is every question's
obvious guess ("_____ does not have direct support for arrays or unions." -> "libffi").

Not handled: a single document (an article's title names its topic, which a cloze on the
defining sentence may still fairly ask); a subject its titles never name.
"""

from __future__ import annotations

from teachback.core.text import fold
from teachback.ingest.exercises.context.reading import ViewLike


def course_subject(view: ViewLike) -> bool:
    """Whether the concept's name is in the titles of at least half the documents (two or
    more): what the source as a whole is about, not one of the things it teaches.

    >>> # 20 pages titled "Types (libffi: the portable foreign function interface library)",
    >>> # "Structures (libffi: ...)", ... -> True for "libffi", False for "structure"
    """
    docs = view.documents
    if len(docs) < 2 or view.pattern is None:
        return False
    titled = sum(1 for d in docs if d.title and view.pattern.search(fold(d.title)))
    return titled * 2 >= len(docs)
