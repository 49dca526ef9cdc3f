"""Separate chaining: every bucket keeps a list (a chain) of the entries that hash to it."""

from hashkit.hashing import bucket_index, load_factor


class ChainedHashTable:
    """A hash table that resolves collisions by separate chaining.

    >>> table = ChainedHashTable(capacity=4)
    >>> for word in ["red", "green", "blue", "cyan", "pink"]:
    ...     table.put(word, len(word))
    >>> len(table)
    5
    >>> table.get("blue")
    4
    >>> table.get("black", "missing")
    'missing'
    """

    def __init__(self, capacity: int = 8):
        self._buckets: list[list[tuple[str, object]]] = [[] for _ in range(capacity)]
        self._size = 0

    def __len__(self) -> int:
        return self._size

    def _chain(self, key: str) -> list[tuple[str, object]]:
        return self._buckets[bucket_index(key, len(self._buckets))]

    def put(self, key: str, value: object) -> None:
        """Insert ``key`` or replace its value.

        >>> table = ChainedHashTable()
        >>> table.put("a", 1)
        >>> table.put("a", 2)
        >>> table.get("a"), len(table)
        (2, 1)
        """
        chain = self._chain(key)
        for i, (existing, _) in enumerate(chain):
            if existing == key:
                chain[i] = (key, value)
                return
        chain.append((key, value))
        self._size += 1

    def get(self, key: str, default: object = None) -> object:
        """Return the value stored under ``key``, or ``default``."""
        for existing, value in self._chain(key):
            if existing == key:
                return value
        return default

    def delete(self, key: str) -> bool:
        """Remove ``key``; return whether it was there.

        >>> table = ChainedHashTable()
        >>> table.put("x", 1)
        >>> table.delete("x"), table.delete("x")
        (True, False)
        """
        chain = self._chain(key)
        for i, (existing, _) in enumerate(chain):
            if existing == key:
                del chain[i]
                self._size -= 1
                return True
        return False

    def chain_lengths(self) -> list[int]:
        """How many entries each bucket's chain holds.

        >>> table = ChainedHashTable(capacity=2)
        >>> table.put("a", 1); table.put("b", 2); table.put("c", 3)
        >>> sum(table.chain_lengths())
        3
        """
        return [len(chain) for chain in self._buckets]

    def load_factor(self) -> float:
        """Average chain length: entries divided by buckets."""
        return load_factor(self._size, len(self._buckets))
