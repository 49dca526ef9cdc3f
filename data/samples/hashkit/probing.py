"""Open addressing with linear probing, tombstones for deletion, and resizing.

Every entry lives in the bucket array itself. When a key's bucket is taken, the table tries the
next bucket, and the next, wrapping around at the end: that walk is the key's probe sequence.
"""

from hashkit.hashing import bucket_index, load_factor

_EMPTY = None
_TOMBSTONE = object()  # marks a deleted entry so probe sequences stay unbroken


class LinearProbingTable:
    """A hash table using open addressing with linear probing.

    It doubles its capacity and rehashes every key when the load factor would pass
    ``max_load``.

    >>> table = LinearProbingTable(capacity=4)
    >>> for n, word in enumerate(["one", "two", "three", "four"]):
    ...     table.put(word, n + 1)
    >>> table.capacity
    8
    >>> table.get("three")
    3
    >>> table.resizes
    1
    """

    def __init__(self, capacity: int = 8, max_load: float = 0.75):
        self._slots: list = [_EMPTY] * capacity
        self._size = 0
        self._used = 0  # entries plus tombstones: both lengthen probe sequences
        self.max_load = max_load
        self.resizes = 0

    @property
    def capacity(self) -> int:
        return len(self._slots)

    def __len__(self) -> int:
        return self._size

    def _probe(self, key: str):
        """Yield the bucket indexes of ``key``'s probe sequence: i, i + 1, i + 2, ...

        "apple" hashes to bucket 7 of 8, so its probe sequence wraps around to bucket 0:

        >>> table = LinearProbingTable(capacity=8)
        >>> seq = table._probe("apple")
        >>> [next(seq) for _ in range(3)]
        [7, 0, 1]
        """
        start = bucket_index(key, self.capacity)
        for step in range(self.capacity):
            yield (start + step) % self.capacity

    def put(self, key: str, value: object) -> None:
        """Insert ``key`` or replace its value, resizing first if the table is too full."""
        if load_factor(self._used + 1, self.capacity) > self.max_load:
            self._resize(self.capacity * 2)
        reusable = None
        for i in self._probe(key):
            slot = self._slots[i]
            if slot is _EMPTY:
                target = i if reusable is None else reusable
                if reusable is None:
                    self._used += 1
                self._slots[target] = (key, value)
                self._size += 1
                return
            if slot is _TOMBSTONE:
                if reusable is None:
                    reusable = i
                continue
            if slot[0] == key:
                self._slots[i] = (key, value)
                return
        if reusable is not None:  # only tombstones left: reuse the first one
            self._slots[reusable] = (key, value)
            self._size += 1

    def get(self, key: str, default: object = None) -> object:
        """Return the value stored under ``key``, or ``default``.

        A lookup stops at an empty bucket but walks past tombstones.

        >>> table = LinearProbingTable()
        >>> table.put("k", "v")
        >>> table.get("k"), table.get("nope")
        ('v', None)
        """
        for i in self._probe(key):
            slot = self._slots[i]
            if slot is _EMPTY:
                return default
            if slot is not _TOMBSTONE and slot[0] == key:
                return slot[1]
        return default

    def delete(self, key: str) -> bool:
        """Remove ``key`` by leaving a tombstone in its bucket; return whether it was there.

        >>> table = LinearProbingTable()
        >>> table.put("gone", 1)
        >>> table.delete("gone"), table.get("gone"), len(table)
        (True, None, 0)
        """
        for i in self._probe(key):
            slot = self._slots[i]
            if slot is _EMPTY:
                return False
            if slot is not _TOMBSTONE and slot[0] == key:
                self._slots[i] = _TOMBSTONE
                self._size -= 1
                return True
        return False

    def probe_length(self, key: str) -> int:
        """How many buckets a lookup of ``key`` inspects (1 means no collision on the way)."""
        for count, i in enumerate(self._probe(key), start=1):
            slot = self._slots[i]
            if slot is _EMPTY or (slot is not _TOMBSTONE and slot[0] == key):
                return count
        return self.capacity

    def _resize(self, new_capacity: int) -> None:
        """Rehash every entry into a new bucket array; tombstones are dropped."""
        entries = [s for s in self._slots if s is not _EMPTY and s is not _TOMBSTONE]
        self._slots = [_EMPTY] * new_capacity
        self._size = 0
        self._used = 0
        self.resizes += 1
        for key, value in entries:
            self.put(key, value)
