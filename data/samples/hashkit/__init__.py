"""hashkit: two small hash tables, written to be read rather than to be fast.

The package has three modules:

* ``hashing``: hash functions (FNV-1a) and turning a hash value into a bucket index;
* ``chaining``: ``ChainedHashTable``, which resolves collisions with separate chaining;
* ``probing``: ``LinearProbingTable``, which uses open addressing with linear probing and
  tombstones, and resizes itself when its load factor gets too high.

>>> from hashkit import ChainedHashTable
>>> table = ChainedHashTable()
>>> table.put("apple", 3)
>>> table.get("apple")
3
"""

from hashkit.chaining import ChainedHashTable
from hashkit.hashing import bucket_index, fnv1a
from hashkit.probing import LinearProbingTable

__all__ = ["ChainedHashTable", "LinearProbingTable", "bucket_index", "fnv1a"]
