"""Concept extraction for the embedded engine: the terms a teacher would list, with evidence.

``extract_concepts(documents)`` works in one linear pass over the sections, then a few
batch-wide steps. Each module has one job:

* ``groups``: consecutive prose sections under one heading form a group (long runs are cut at
  about ``GROUP_CHARS`` characters); a group is what "3-10 concepts per section" refers to.
* ``signals`` (with ``headings``, ``definitions``): a group's marks of teaching: heading terms,
  emphasis (in plain text, terms set in quotation marks), code spans naming APIs the code
  calls, defining sentences and glossary lines.
* ``prose``: scores the group's candidates (``teachback.ingest.keyphrases``'s ranker plus the
  signals' bonuses), chooses its top terms within its budget, records their evidence;
  ``siblings`` (with ``enumerations``) adds the members of lists that name a concept;
  ``artefacts`` drops handles, web addresses, labels and split words.
* ``code_symbols``: modules, classes and documented functions of code (and of lecture
  notebooks) become ``kind="code"`` concepts; the first docstring line is the definition.
* ``book_terms``: after all groups, the genus words of several definitions and the phrases
  named in two ways (prose and code, phrase and abbreviation).
* ``attribution``: which section lists each term (no section lists more than
  ``MAX_PER_GROUP``).
* ``merging`` (with ``aliases``): name variants, synonyms, abbreviations, APIs and their
  negations, the kinds one keyword selects, prose and code names of one idea (a module named
  after its technique) become one concept with aliases; an API and its inverse stay two.
* ``admission``: a term is listed only where the material teaches it.
* ``drafts`` (with ``naming``): importance, the batch's size, names, aliases, evidence.
* ``lexicon`` and ``settings``: word tests and the tuning, shared by the others.

Every evidence span is a span of ``Document.text`` with ``quote == text[start:end]``. Text in a
source is data: a sentence that tries to instruct a model is scored like any other sentence.

Not handled: languages other than English; coreference ("it"), synonyms that are not
abbreviations; concepts that are never named in the text.
"""

from teachback.ingest.concepts.aliases import compact_key, initials_abbreviations
from teachback.ingest.concepts.definitions import definitional_terms
from teachback.ingest.concepts.enumerations import enumerations
from teachback.ingest.concepts.extract import extract_concepts
from teachback.ingest.concepts.lexicon import verb_only

__all__ = [
    "compact_key",
    "definitional_terms",
    "enumerations",
    "extract_concepts",
    "initials_abbreviations",
    "verb_only",
]
