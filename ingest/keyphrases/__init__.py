"""Keyphrase candidates and their ranking: the statistical core of concept extraction.

Pipeline, for one text (one module per step):

1. **Candidates** (``candidates``, POS-free): split the text at punctuation and stop words into
   chunks; every 1..4-word n-gram inside a chunk is a candidate (so "syntax-sensitive rules" and
   "rules" both are). Surface forms are merged by their Porter-stemmed, lower-cased key.
2. **Features** per candidate (``features.FEATURES``): length one-hot, in-document frequency,
   position of first occurrence, rarity of its words in general English (``frequency``:
   ``wordfreq`` Zipf values, a background corpus shipped inside that PyPI package), whether it is
   a whole chunk, suffix heuristics for noun/adjective/verb-like heads, digits, acronyms.
3. **Ranking** (``ranking``): a logistic regression over those features. Its weights live in
   ``weights.json`` in this package and were fitted on one half of Inspec (split by a hash of the
   row id) by ``python -m teachback.benchmarks.concepts_train_keyphrases``; the other half is the
   held-out figure reported in ``docs/bench-concepts.md``.
4. **Redundancy** (``ranking.select``): a candidate whose words are all inside an already-chosen
   higher-scoring candidate and that never occurs on its own is dropped.

Not handled: languages other than English, phrases with inner stop words ("theory of mind").
"""
