"""Merging name variants into one concept with aliases: spelling variants ("multi-index",
"MultiIndex"), names the material gives as the same, an API and the operation it
abbreviates (``concat``, "concatenation"), an API and its negation (``isnull``, ``notnull``),
the kinds of a thing named by the values of one keyword ("inner join", "outer join" for
``how='inner'``, ``how='outer'``), a prose term and the code symbol it names, a class and the
technique it implements. An API and its inverse (``stack``, ``unstack``) are two operations
and stay two concepts."""

from __future__ import annotations

import re

from teachback.ingest.concepts.admission import admitted
from teachback.ingest.concepts.aliases import CAMEL, NOMINAL, compact_key
from teachback.ingest.concepts.batch import Batch
from teachback.ingest.concepts.concept import Concept
from teachback.ingest.concepts.naming import canonical
from teachback.ingest.concepts.settings import MAX_MENTIONS
from teachback.ingest.textutil import WORD_RE, stem


def merge_all(batch: Batch) -> None:
    merge_variants(batch)
    merge_sole_instances(batch)
    merge_negated_apis(batch)
    merge_terms_into_code(batch)
    merge_code_into_techniques(batch)
    drop_modules_that_are_their_class(batch)


# Marks that show the prose teaches a term itself, not only names the code.
_PROSE_TEACHING = frozenset({"definition", "heading", "emphasis"})


def merge_terms_into_code(batch: Batch) -> None:
    """A term that names a code symbol ("hashkit", "causal batch-attention" for
    ``CausalSelfAttention``) is that code concept; the prose name becomes an alias. Unless the
    symbol is a function computing what the prose teaches as a term of its own ("The **load
    factor** is ..." and ``load_factor``): then the term stays, with the function's code."""
    code_by_name = _code_by_name(batch)
    if not code_by_name:
        return
    for key, c in list(batch.concepts.items()):
        if c.kind == "code" or not c.groups:
            continue
        name = canonical(c, batch.short_of.get(key))
        target = code_by_name.get(name.lower()) or code_by_name.get(compact_key(name))
        if target is None or target.key not in batch.concepts:
            continue
        if target.symbol_kind == "function" and c.taught & _PROSE_TEACHING:
            _absorb_code(batch, c, target)
        else:
            _join_code(batch, target, c, name)


def _code_by_name(batch: Batch) -> dict[str, Concept]:
    """Code concepts by their lower-case name, last part and compact key."""
    out: dict[str, Concept] = {}
    for c in batch.concepts.values():
        if c.kind == "code":
            out.setdefault(c.name.lower(), c)
            out.setdefault(c.name.rsplit(".", 1)[-1].lower(), c)
            out.setdefault(compact_key(c.name.rsplit(".", 1)[-1]), c)
    return out


def _join_code(batch: Batch, target: Concept, c: Concept, name: str) -> None:
    """Term ``c`` joins code concept ``target``: its prose name becomes an alias."""
    target.mentions.extend(c.mentions[: MAX_MENTIONS - len(target.mentions)])
    target.groups += c.groups
    target.first_seen = min(target.first_seen, c.first_seen)
    target.taught |= c.taught
    if name.lower() != target.name.lower():
        target.short_forms.add(name)
    if target.definition is None or (
        c.definition is not None and c.definition[0] < target.definition[0]
    ):
        target.definition = c.definition or target.definition
        if c.definition is not None:
            target.code_definition = ""
    del batch.concepts[c.key]


def drop_modules_that_are_their_class(batch: Batch) -> None:
    """A module whose docstring says it is one of its classes, by the class's name and the
    module's ("model": "Full definition of a GPT Language Model, all of it in this single
    file.", with the class ``GPT``), is that class: a teacher lists the model once."""
    modules = [
        c
        for c in batch.concepts.values()
        if c.kind == "code" and c.symbol_kind == "module" and c.code_definition
    ]
    for module in modules:
        line = module.code_definition
        own = module.name.rsplit(".", 1)[-1].lower()
        if own not in {w.lower() for w in WORD_RE.findall(line)}:
            continue
        classes = [
            c
            for c in batch.concepts.values()
            if c.kind == "code"
            and c.symbol_kind == "class"
            and any(f.startswith(module.name + ".") for f in (c.name, *c.short_forms))
            and re.search(rf"\b{re.escape(c.name.rsplit('.', 1)[-1])}\b", line)
        ]
        if len(classes) == 1:
            # Not even its name: the class keeps its own code and what its code shows it is
            # (the module's code is the whole file), and a module's name as an alias would
            # make its class the container of the others it defines.
            del batch.concepts[module.key]


def _absorb_code(batch: Batch, term: Concept, code: Concept) -> None:
    """The term keeps its name and prose definition; the function becomes an alias whose code
    the term shows."""
    term.code.extend(code.code)
    term.short_forms.add(code.name)
    term.docs |= code.docs
    if code.symbol_kind != "module":
        term.short_forms.update(code.short_forms)
        term.first_seen = min(term.first_seen, code.first_seen)
    # A module brings only its name: the words joined to it name its other topics ("hash" of
    # hashkit.hashing is the hash value), and its file may come first in a folder, while the
    # term is introduced where it is taught.
    if term.definition is None:
        term.definition = code.definition
    del batch.concepts[code.key]


def fold(batch: Batch, target: Concept, c: Concept) -> None:
    """Merge term ``c`` into ``target``: its forms become aliases, its evidence joins."""
    target.surfaces.update(c.surfaces)
    target.short_forms.update(c.surfaces)
    target.mentions.extend(c.mentions[: MAX_MENTIONS - len(target.mentions)])
    target.groups += c.groups
    target.docs |= c.docs
    target.taught |= c.taught
    target.best = max(target.best, c.best)
    target.first_seen = min(target.first_seen, c.first_seen)
    if c.definition is not None and (target.definition is None or c.definition < target.definition):
        target.definition = c.definition
    del batch.concepts[c.key]


def merge_variants(batch: Batch) -> None:
    """Spelling variants of one term ("multi-index", "MultiIndex", "multiindex") merge into
    the one used in most groups; the others become its aliases. So do the names the
    material gives as the same ("hierarchical indexing (also known as multi-indexing)",
    ``synonyms``) and an API and the operation it abbreviates (``concat`` and
    "concatenation")."""
    by_compact: dict[str, Concept] = {}
    for key, c in sorted(batch.concepts.items(), key=lambda kv: -kv[1].groups):
        if c.kind == "code" or not c.groups:
            continue
        ck = compact_key(canonical(c, batch.short_of.get(key)))
        target = by_compact.get(ck)
        if target is None:
            by_compact[ck] = c
            continue
        fold(batch, target, c)
    for alias, main in batch.synonyms:
        a, m = by_compact.get(compact_key(alias)), by_compact.get(compact_key(main))
        if a is not None and m is not None and a is not m and a.key in batch.concepts:
            fold(batch, m, a)
            by_compact[compact_key(alias)] = m
    singles = [c for c in by_compact.values() if " " not in c.key]
    nouns = [c for c in singles if NOMINAL.search(canonical(c, None).lower())]
    for api in [c for c in singles if "api" in c.taught and c not in nouns]:
        name = canonical(api, None).lower()
        if len(name) < 5 or not name.isalpha() or api.key not in batch.concepts:
            continue
        for noun in nouns:
            word = canonical(noun, None).lower()
            if noun.key in batch.concepts and word.startswith(name) and NOMINAL.search(word):
                # "concat" is how the code spells "concatenation": the prose names it.
                noun.name = noun.name or canonical(noun, batch.short_of.get(noun.key))
                fold(batch, noun, api)
                break


def merge_sole_instances(batch: Batch) -> None:
    """A thing the material names by its kind and by its name is one concept: "optimizer"
    and "AdamW optimizer", when the named one is the only kind of optimizer the material
    lists. Named: the modifier is written with a capital inside a word ("AdamW"). Not
    "maximum load factor" and "load factor" (an everyday modifier), nor "linear probing" and
    "probing" (other kinds of probing are listed)."""
    listed = [c for c in batch.concepts.values() if c.kind == "term" and c.groups]
    by_last_word: dict[str, list[Concept]] = {}  # "optimizer": ["adamw optimizer", ...]
    for c in listed:
        if " " in c.key:
            by_last_word.setdefault(c.key.rsplit(" ", 1)[1], []).append(c)
    for head in [c for c in listed if " " not in c.key]:
        kinds = by_last_word.get(head.key, [])
        if len(kinds) != 1 or kinds[0].key.count(" ") != 1:
            continue
        named = kinds[0]
        if any(_named_modifier(f) for f in named.surfaces) and head.key in batch.concepts:
            named.name = named.name or canonical(named, batch.short_of.get(named.key))
            fold(batch, named, head)


def _named_modifier(surface: str) -> bool:
    first = surface.split(" ", 1)[0]
    return any(ch.isupper() for ch in first[1:]) and first[:1].isalpha()


def merge_negated_apis(batch: Batch) -> None:
    """An API and its negation are one test taught as a pair ("isnull" and "notnull", "isna"
    and "notna"): one concept, the second an alias. An inverse ("unstack" of "stack") is
    another operation with its own lesson, so it stays a concept of its own."""
    apis = {
        canonical(c, None): c
        for c in batch.concepts.values()
        if c.kind == "term" and "api" in c.taught and " " not in c.key
    }
    for name, c in list(apis.items()):
        low = name.lower()
        if not low.startswith("not"):
            continue
        base = "is" + low[3:]
        pair = next(
            (
                o
                for o in batch.concepts.values()
                if o.kind == "term"
                and o is not c
                and " " not in o.key
                and o.groups
                and canonical(o, None).lower() == base
            ),
            None,
        )
        if pair is not None and pair.key in batch.concepts and c.key in batch.concepts:
            pair.name = pair.name or canonical(pair, None)
            fold(batch, pair, c)


def merge_code_into_techniques(batch: Batch) -> None:
    """A class that implements a technique the prose teaches is that technique:
    ``LinearProbingTable`` ("A hash table that resolves collisions by linear probing") and
    "linear probing" are one concept, named as the prose names it, with the class's code. So
    is a module named after the technique its docstring names (``hashkit.chaining``:
    "Separate chaining: every bucket keeps a list ..."): a teacher lists the idea once."""
    symbols = [
        code
        for code in batch.concepts.values()
        if code.kind == "code" and code.symbol_kind in ("class", "module") and code.code_definition
    ]
    if not symbols:
        return
    terms = {
        canonical(c, batch.short_of.get(c.key)).lower(): c
        for c in batch.concepts.values()
        if c.kind == "term" and c.groups and " " in c.key and admitted(batch, c)
    }
    for code in symbols:
        doc_line = code.code_definition.lower()
        last = code.name.rsplit(".", 1)[-1]
        symbol_stems = {stem(w.lower()) for w in CAMEL.sub(" ", last).replace("_", " ").split()}
        named = []
        for name, term in terms.items():
            m = re.search(rf"\b{re.escape(name)}", doc_line)
            if m is None or not {stem(w) for w in WORD_RE.findall(name)} & symbol_stems:
                continue
            if code.symbol_kind == "module" or m.start() > 6:
                named.append((m.start(), term))
        if not named:
            continue
        # A class names its technique after the genus ("A hash table that resolves collisions
        # by separate chaining"): the last term; a module names its topic first.
        pick = max if code.symbol_kind == "class" else min
        _absorb_code(batch, pick(named, key=lambda p: p[0])[1], code)
