"""Members of an enumeration that names a concept are concepts too: "polygons such as
triangles, pentagons and hexagons" lists kinds of polygon, and each kind is taught."""

from __future__ import annotations

from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.enumerations import CAP_RUN, LIST_INTRO, enumerations, sibling_ok
from teachback.ingest.concepts.settings import MAX_PER_GROUP, MIN_LOCAL_SCORE, SIBLING_EVICT
from teachback.ingest.keyphrases.candidates import Candidate


def add_siblings(
    batch: Batch,
    di: int,
    text: str,
    sent_spans: list[tuple[int, int]],
    chosen: list[str],
    local: dict[str, float],
    reps: dict[str, Candidate],
    defined: dict,
    heading_keys: dict[str, str],
    ceiling: int = MAX_PER_GROUP,
) -> dict[str, tuple[int, int]]:
    """Add to ``chosen`` the members of an enumeration that names a concept.

    When one member is a concept of this group (selected, defined or in the heading) or of
    the batch, or the list's category is ("polygons such as ..."), the others that look like
    terms (``sibling_ok``) are concepts too, up to ``ceiling`` new concepts. A phrase chosen
    only because a run glued list members together is dropped. Returns the new keys with the
    sentence they were found in.
    """
    lists = _Lists(batch, di, chosen, local, reps, defined, heading_keys, ceiling)
    for a, b in sent_spans:
        if text.find(",", a, b) < 0 and not CAP_RUN.search(text, a, b):
            continue  # no comma list and no capitalised run: skip the tokenising
        kinds: list[str] = []
        found = enumerations(text, a, b, kinds)
        for items, kind in zip(found, kinds, strict=True):
            by_member = lists.member_known(items)
            by_category = lists.category_known(text, a, items)
            if not (by_member or by_category):
                continue
            if kind == "run":
                lists.drop_glued(items[0][1], items[-1][2])
            if not lists.take(items, kind, (a, b), by_category):
                return lists.added
    return lists.added


def _kind_name(surface: str) -> bool:
    """A list member that names a kind by itself: a word ("masking"), or a technique named by
    a gerund phrase ("fancy indexing", "linear probing"); not a described part ("a collision
    resolution strategy", "a resizing policy")."""
    words = surface.split()
    return len(words) == 1 or words[-1].lower().endswith("ing")


class _Lists:
    """The group's choice while its lists are read: ``chosen`` grows (and may lose weak
    picks); ``fresh`` counts the concepts the group introduces, which the ceiling bounds
    (ones selected by an earlier group, re-selected here as evidence, do not make a
    section's list longer)."""

    def __init__(
        self,
        batch: Batch,
        di: int,
        chosen: list[str],
        local: dict[str, float],
        reps: dict[str, Candidate],
        defined: dict,
        heading_keys: dict[str, str],
        ceiling: int,
    ):
        self.batch, self.di, self.chosen, self.local = batch, di, chosen, local
        self.reps, self.defined, self.heading_keys, self.ceiling = (
            reps,
            defined,
            heading_keys,
            ceiling,
        )
        self.added: dict[str, tuple[int, int]] = {}
        self.chosen_set = set(chosen)
        self.fresh = sum(1 for k in chosen if self._new(k))

    def _new(self, k: str) -> bool:
        c = self.batch.concepts.get(k)
        return c is None or not c.groups

    def known(self, k: str) -> bool:
        if k in self.chosen_set or k in self.defined or k in self.heading_keys:
            return True
        c = self.batch.concepts.get(k)
        return c is not None and c.groups > 0

    def member_known(self, items: list[tuple[str, int, int]]) -> bool:
        return any(self.known(self.batch.key(surface)) for surface, _, _ in items)

    def category_known(self, text: str, a: int, items: list[tuple[str, int, int]]) -> bool:
        """The list's category is a concept: "polygons such as ...", "quadrilaterals: ..."."""
        m = LIST_INTRO.search(text, max(a, items[0][1] - 80), items[0][1])
        return bool(m and self.known(self.batch.key(m.group("cat"))))

    def _remove(self, k: str) -> None:
        self.chosen.remove(k)
        self.chosen_set.discard(k)

    def drop_glued(self, lo: int, hi: int) -> None:
        """Drop a phrase chosen only because a run glued list members together."""
        for k in list(self.chosen):
            rep = self.reps.get(k)
            if (
                rep is not None
                and len(rep.words) > 1
                and rep.tf == 1
                and k not in self.defined
                and lo <= rep.occurrences[0][0] < hi
            ):
                self._remove(k)
                self.fresh -= self._new(k)

    def evict(self) -> bool:
        """Make room for a list member: drop this group's weakest new, unmarked pick scored
        below SIBLING_EVICT (a member of an anchored list is better evidence)."""
        weak = [
            k
            for k in self.chosen
            if k not in self.added
            and k not in self.defined
            and k not in self.heading_keys
            and self.local[k] < SIBLING_EVICT
            and self._new(k)
        ]
        if not weak:
            return False
        self._remove(min(weak, key=lambda k: self.local[k]))
        self.fresh -= 1
        return True

    def take(
        self,
        items: list[tuple[str, int, int]],
        kind: str,
        sentence: tuple[int, int],
        by_category: bool = False,
    ) -> bool:
        """Add the list's members that can stand as concepts; False once the ceiling is hit
        and nothing can be evicted. Members of a list introduced by its category, or of a
        table row (a run), are marked "kind" too: the material names them as kinds of a
        concept it teaches, not in passing."""
        batch = self.batch
        for surface, x, _y in items:
            k = batch.key(surface)
            if k in self.chosen_set and _kind_name(surface) and sibling_ok(surface):
                batch.get(k).taught.add("list")  # selected, and a kind in the list
            if self.fresh + len(self.added) >= self.ceiling and not self.evict():
                return False
            if self.known(k) or k in self.added or not sibling_ok(surface):
                continue
            self.chosen.append(k)
            self.chosen_set.add(k)
            self.added[k] = sentence
            if _kind_name(surface):
                batch.get(k).taught.add("list")  # enumerated as kinds of a taught concept
            if by_category or kind == "run":
                batch.get(k).taught.add("kind")  # a table row of terms is vocabulary too
            self.local[k] = max(self.local.get(k, MIN_LOCAL_SCORE), MIN_LOCAL_SCORE)
            con = batch.get(k)
            # A table row capitalises every word: "Heptagon" is the common noun.
            con.surfaces[surface.lower() if kind == "run" else surface] += 1
            if (self.di, x) < con.mentioned:
                con.mentioned = (self.di, x)
        return True
