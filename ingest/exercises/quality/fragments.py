"""Rubric points that are fragments of a code name in the reference ("TYPE", "STRUCT" out of
``FFI_TYPE_STRUCT``): they name nothing a learner could say back. A pure check.

Not handled: a fragment of a camel-case name ("Frame" of ``DataFrame``) — the key points are
cut at word boundaries, which camel case does not have.
"""

from __future__ import annotations

import re


def identifier_fragments(rubric: list[str], reference: str) -> list[str]:
    """The points of ``rubric`` found in ``reference`` only inside a longer code name.

    >>> identifier_fragments(["TYPE", "STRUCT", "union"], "A union is FFI_TYPE_STRUCT.")
    ['TYPE', 'STRUCT']
    """
    out = []
    for point in rubric:
        said = point.strip()
        if not said or said.lower() not in reference.lower():
            continue
        # the point standing as a word of its own somewhere, not glued into a code name by
        # "_" or "." on either side ("type" in "the type of x", not in "ffi_type")
        alone = re.search(rf"(?<![\w.]){re.escape(said)}(?!\w|\.\w)", reference, re.I)
        if alone is None:
            out.append(point)
    return out
