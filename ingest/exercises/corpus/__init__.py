"""The sources as an exercise generator and checker see them: sentences, code units, an index.

``Corpus.of(documents)`` (``batch.py``) splits every prose section into sentences, each with an
exact span into ``Document.text`` (``sentences.py``), collects code units: functions/classes
with their docstrings, doctest examples and notebook cells with their *saved* outputs —
nothing is executed (``code_units.py``), and builds a BM25 index over the sentences so the
self-checker can retrieve passages (``bm25.py``).
"""

from teachback.ingest.exercises.corpus.batch import Corpus
from teachback.ingest.exercises.corpus.code_units import CodeUnit, parse_doctests, summary_of
from teachback.ingest.exercises.corpus.sentences import Sentence

__all__ = ["CodeUnit", "Corpus", "Sentence", "parse_doctests", "summary_of"]
