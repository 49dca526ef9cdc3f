"""The tuning of concept extraction: sizes, bonuses and admission thresholds, in one place.

Every figure here was fitted on the development sources and on held-out benchmarks
(``docs/bench-concepts.md``); the modules that use them say what each one decides.
"""

from __future__ import annotations

CONCEPT_MAX_WORDS = 3  # longer n-grams are rarely terms a teacher lists, and cost time
GROUP_CHARS = 3000  # a run of prose longer than this is split into several groups
MAX_CONCEPTS = 3000  # per batch, by importance (and at most CONCEPTS_PER_GROUP per group)
CONCEPTS_PER_GROUP = 6  # on average over a batch
MAX_MENTIONS = 4  # mention evidence spans per concept
MAX_QUOTE = 400  # characters of an evidence quote

# Bonuses added to the ranker's logit for structural signals.
BONUS_HEADING = 2.0
BONUS_EMPHASIS = 1.5
BONUS_CODE_SPAN = 0.8
BONUS_DEFINITION = 2.5
MAX_PER_GROUP = 10  # the "3-10 concepts per section" ceiling, enumerations included
MIN_LOCAL_SCORE = -2.5  # a group stops selecting below this logit (unless defined there)
# Budget allocation (docs/bench-concepts.md). A group's length budget k (3-10) bounds what it
# selects; only the concepts it *introduces* count against k, and it may introduce at most
# max(NEW_MIN, NOVEL_SHARE x its new vocabulary) of them: the acceptable single words no
# earlier group of the batch used. A textbook section brings new words (median 6 on the dev
# book), a section re-using old material brings almost none, so re-used text does not dig for
# weak "new" phrases. Re-selecting a known concept costs nothing (up to KNOWN_EXTRA of them):
# it is evidence, not a list entry.
NEW_MIN = 0
NOVEL_SHARE = 1.0
KNOWN_EXTRA = 10
MARKED_STRENGTH = 0.9
MARKED_MIN = 3  # even a short section may introduce 3 terms it defines
SIBLING_EVICT = 0.0
# A section cut into several groups (over GROUP_CHARS) shares one ceiling of MAX_PER_GROUP new
# concepts across up to SECTION_GROUPS of its groups (a longer run under one heading is a
# chapter without subheadings and gets a new ceiling every SECTION_GROUPS groups).
SECTION_GROUPS = 2
# Book-level genus terms (``book_terms.book_terms``): a single word that is the genus of at
# least BOOK_GENUS defined terms ("Perimeter is the distance around ...", "A radius is the
# distance from ..."), used in at least BOOK_SPREAD groups, mostly as the head of its phrase
# (not a modifier such as "right" in "right angle") is a basic term of the batch ("distance",
# "point") even where no section selects it; it is introduced by the first group that
# mentions it and still has room.
BOOK_GENUS = 2
BOOK_SPREAD = 3
BOOK_HEAD_SHARE = 0.5
# ... and it must be a key word of the batch: at least BOOK_KEYNESS times as frequent as in
# general English (wordfreq, all its forms), the "weirdness" ratio of terminology extraction,
# and usable as a noun.
BOOK_KEYNESS = 2.0
# Text extraction splits words ("circum erence", ligatures lost) and glues articles on
# ("Atransformation"): the repaired word must be at least this common in English (Zipf).
SPLIT_ZIPF = 3.0
# A half of a split word is rare but seen on the web, where the same extraction errors occur
# ("circum" 1.9, "erence" 1.1, "mation" 1.5); made-up and new terms are unknown (Zipf 0).
FRAGMENT_ZIPF = 2.5
FRAGMENT_MAX = 60  # rare words of a group compared pairwise (bounds the work)
# The ranker learnt Inspec's preference for 2-word keys; textbook terms are often single words
# that recur ("angle", "polygon"), so a recurring single word gains with its frequency.
UNIGRAM_TF_BONUS = 0.5

# Admission (``admission.admitted``): a term is listed only where the material teaches it: a
# heading names it, a sentence defines it, it is emphasised, it is an API that the source's
# code cells call and its prose names, or it is the genus of several definitions. A phrase
# that is only mentioned, however often, is not a concept.
ADMIT_DEFINITION = 0.9  # a defining sentence at least this strong is evidence of teaching
# ... where the term scores at least this in its section ("output", "argument" are defined in
# passing by sentences the ranker finds weak)
ADMIT_WEAK_SCORE = 0.0
# ... or the material keeps coming back to it: a key term of ADMIT_GROUPS groups, scored at
# least ADMIT_RECUR_SCORE somewhere, and a phrase or a word rarer than ADMIT_RECUR_ZIPF
# ("flash attention", "tokenizer"; not "data", "object").
ADMIT_GROUPS = 3
# ... or a single word is a key term of at least ADMIT_DISCUSSED groups, scored at least
# ADMIT_RECUR_SCORE somewhere: what the material discusses section after section
# ("square", "plane" in a geometry book; "agents" in a podcast about them), however common.
ADMIT_DISCUSSED = 5
ADMIT_RECUR_SCORE = 0.0
ADMIT_RECUR_ZIPF = 4.0
# ... and a phrase that recurs is admitted only where some group scores it at least this (the
# term a section is about), not where every section merely uses it ("column name").
ADMIT_RECUR_PHRASE_SCORE = 0.5
# ... or it is a key term of at least this many groups: the vocabulary of the whole material.
ADMIT_PERVASIVE = 10
ADMIT_RECUR_KEYNESS = 200.0  # a common noun recurs as a key word of the batch ("angle")
# A term named in two ways (``book_terms.named_terms``) is used at least this often.
NAMED_MENTIONS = 2
# A notebook with less prose than this share of its code is a lecture notebook: its documented
# functions are concepts.
NOTEBOOK_PROSE_SHARE = 0.5
EMPHASIS_DEFINITION = 0.5  # strength of "the sentence that emphasises it" as a definition
BONUS_API = 2.0  # a code span the source's code calls: an API the material demonstrates
API_WORD_ZIPF = 4.0  # an undotted code span this common in English is not taken for an API
# Code symbols: classes always (the material's central types, with or without a docstring);
# modules and functions only with a docstring that says what they are.
CODE_NEEDS_DOCSTRING = frozenset({"module", "function"})

# A capitalised word rarer than this in general English (wordfreq Zipf) is taken for a name.
PROPER_NOUN_ZIPF = 3.0
PROSE_KINDS = {"prose", "docstring", "comment"}
