"""Do two texts share a word or a near-synonym of one ("AI and Education" and "... humans
teaching each other ...")? From ``near_synonyms.json`` (WordNet stem groups, built by
``scripts/build_near_synonyms.py``), loaded once, on first use.

Not handled: multi-word synonyms ("machine learning" for "AI"), and senses WordNet lists late.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable
from pathlib import Path

_FILE = Path(__file__).with_name("near_synonyms.json")
_LOCK = threading.Lock()
_INDEX: dict[str, frozenset[int]] = {}


def _index() -> dict[str, frozenset[int]]:
    """stem -> the ids of the groups it belongs to."""
    if not _INDEX:
        with _LOCK:
            if not _INDEX:
                groups = json.loads(_FILE.read_text(encoding="utf-8"))["groups"]
                found: dict[str, set[int]] = {}
                for i, group in enumerate(groups):
                    for s in group:
                        found.setdefault(s, set()).add(i)
                _INDEX.update({s: frozenset(ids) for s, ids in found.items()})
    return _INDEX


def related_stems(a: Iterable[str], b: Iterable[str]) -> set[str]:
    """The stems of ``b`` that are a stem of ``a`` or a near-synonym of one.

    >>> sorted(related_stems({"ai", "educ"}, {"era", "human", "teach", "knowledg"}))
    ['teach']
    """
    a, index = set(a), _index()
    groups = frozenset().union(*(index.get(s, frozenset()) for s in a)) if a else frozenset()
    return {s for s in b if s in a or groups & index.get(s, frozenset())}
