"""Which section lists each term: where it is first mentioned, unless that section already
lists ``MAX_PER_GROUP`` concepts (a chapter introduction naming twenty terms in passing); then
where it was introduced (its first mention in the first group that selected it)."""

from __future__ import annotations

import bisect
from collections import Counter

from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.settings import MAX_PER_GROUP


def attribute(batch: Batch) -> None:
    """Set each term's ``first_seen`` to the place whose section lists it.

    In reading order of first mentions, a concept is listed where it is first mentioned while
    that section lists fewer than ``MAX_PER_GROUP`` (counting the concepts it introduced that
    no earlier section has taken), otherwise where it was introduced. A group introduces at
    most ``MAX_PER_GROUP``, so no section lists more.
    """
    terms = [c for c in batch.concepts.values() if c.groups and c.kind == "term"]
    if not batch.group_at:
        return
    starts = [at for at, _ in batch.group_at]

    def section(pos: tuple[int, int]) -> int:
        return id(batch.group_at[max(0, bisect.bisect_right(starts, pos) - 1)][1])

    listed: Counter = Counter()
    pending: Counter = Counter()  # concepts a section introduced, not yet listed anywhere
    home = {c.key: section(c.first_seen) for c in terms}
    for c in terms:
        pending[home[c.key]] += 1
    for c in sorted(terms, key=lambda c: (min(c.mentioned, c.first_seen), c.first_seen)):
        pending[home[c.key]] -= 1
        where = section(c.mentioned)
        if c.mentioned < c.first_seen and listed[where] + pending[where] < MAX_PER_GROUP:
            c.first_seen = c.mentioned
        else:
            where = home[c.key]
        listed[where] += 1
