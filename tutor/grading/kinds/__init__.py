"""One grader per exercise kind, in a small registry keyed by kind (``registry``).

A grader takes a ``GradeRequest`` and returns a ``Grade``. Built-in kinds register themselves
with ``@register("kind")`` exactly as an extension would: the closed kinds checked against their
key (``closed``), the code-reading kinds (``code_reading``), write-the-code run against the
source's own checks (``write_code``) and the free-text kinds scored against a reference
(``free_text``). They share what a grader reads from a request and how it
returns a grade (``request``) and how an answer names options or items (``items``).
"""
