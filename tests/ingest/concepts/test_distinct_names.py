"""Concepts whose names read the same are named by what they are, never by a docstring."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.readers import read_bytes

LEXER = b'''"""A small tokenizer class for shell-like text."""

import io


class lexer:
    "A small tokenizer class for shell-like text."
    def __init__(self, instream=None, posix=False):
        if isinstance(instream, str):
            instream = io.StringIO(instream)
        self.instream = instream


def join(split_command):
    """Return a shell-escaped string from *split_command*."""
    return " ".join(split_command)
'''

BUFFER = b"""'''A multi-producer, multi-consumer buffer.'''


class Buffer:
    '''Create a buffer object with a given maximum size.'''

    def __init__(self, maxsize=0):
        self.maxsize = maxsize


def join(parts):
    '''Glue the parts of a buffer into one string.'''
    return "".join(parts)
"""


def _concepts():
    docs = [read_bytes("lexer.py", LEXER), read_bytes("buffer.py", BUFFER)]
    return {c.name: c for c in extract_concepts(docs)}


def test_a_module_and_its_class_of_one_name_are_named_by_their_kinds():
    concepts = _concepts()
    # each keeps the name the code calls it by, first among its aliases
    assert {n: c.aliases[0] for n, c in concepts.items() if " " in n} == {
        "buffer module": "buffer",
        "Buffer class": "buffer.Buffer",
        "lexer module": "lexer",
        "lexer class": "lexer.lexer",
    }


def test_two_functions_of_one_name_are_named_by_their_qualified_names():
    concepts = _concepts()
    assert "join" not in concepts
    assert (
        concepts["lexer.join"].definition == "Return a shell-escaped string from *split_command*."
    )
    assert concepts["buffer.join"].definition == "Glue the parts of a buffer into one string."


def test_a_one_quote_docstring_that_reads_like_its_modules_ends_where_it_closes():
    # (the module's and the class's docstrings read alike: the class's is read on for a
    # sentence telling them apart, which its closing quote ends, not the code after it)
    concepts = _concepts()
    assert concepts["lexer class"].definition == "A small tokenizer class for shell-like text."
