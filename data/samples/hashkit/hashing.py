"""Hash functions: turning a key into a number, and the number into a bucket index.

A hash function must be deterministic (the same key always gives the same number) and should
spread similar keys far apart. FNV-1a does both with one exclusive-or and one multiplication per
byte.
"""

FNV_OFFSET_BASIS = 0xCBF29CE484222325
FNV_PRIME = 0x100000001B3
MASK_64 = (1 << 64) - 1


def fnv1a(key: str) -> int:
    """Return the 64-bit FNV-1a hash of ``key``.

    Each byte is mixed in with exclusive-or, then the running value is multiplied by a prime,
    so changing one letter changes the whole result.

    >>> fnv1a("")
    14695981039346656037
    >>> fnv1a("a")
    12638187200555641996
    >>> fnv1a("user1") == fnv1a("user2")
    False
    """
    value = FNV_OFFSET_BASIS
    for byte in key.encode("utf-8"):
        value ^= byte
        value = (value * FNV_PRIME) & MASK_64
    return value


def bucket_index(key: str, capacity: int) -> int:
    """Reduce the hash of ``key`` to a bucket index between 0 and ``capacity - 1``.

    >>> bucket_index("apple", 8)
    7
    >>> 0 <= bucket_index("banana", 8) < 8
    True
    """
    if capacity <= 0:
        raise ValueError("capacity must be positive")
    return fnv1a(key) % capacity


def load_factor(entries: int, buckets: int) -> float:
    """The load factor: stored entries divided by the number of buckets.

    >>> load_factor(6, 8)
    0.75
    """
    return entries / buckets
