"""What a teacher checks before handing an exercise out, as pure functions on its text.

The checks are shared by the self-check (``selfcheck.py``, which rejects on them), the
exercise kinds (which shape their sentences with them) and the rubric audit
(``benchmarks/exercise_audit.py``, which reports them on a sample):

* ``form`` — does a text stand as a statement about the subject on its own (not dangling, a
  question or heading, or the author's narrative);
* ``restate`` — a source sentence made such a statement (linking words and asides dropped);
* ``definitions`` — does a sentence say what a term is or does, or only mention or rate it;
* ``blanks`` — what a cloze blank must not do;
* ``fragments`` — rubric points that are pieces of a code name;
* ``examples`` — where a sentence gives an example, whose tokens a question must not test.
"""
