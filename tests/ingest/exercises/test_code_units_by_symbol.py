"""A code concept's exercises are about the symbol it is, not others sharing its last name."""

from __future__ import annotations

from teachback.ingest.concepts import extract_concepts
from teachback.ingest.exercises import make_exercises
from teachback.ingest.readers import read_bytes

LEXER = b'''"""Tokens of shell-like text, and the text of tokens."""


def join(split_command):
    """Return a shell-escaped string from the list *split_command* of tokens."""
    return " ".join(split_command)


def split(text):
    """Split the string *text* into tokens the way a shell would."""
    return text.split()


def quote(token):
    """Return a shell-escaped version of the string *token*."""
    return "'" + token + "'"
'''

BUFFER = b"""'''A multi-producer, multi-consumer buffer.'''


class Buffer:
    '''Create a buffer object with a given maximum size.'''

    def __init__(self, maxsize=0):
        self.maxsize = maxsize
        self.items = []

    def join(self):
        '''Blocks until all items in the Buffer have been gotten and processed.'''
        while self.items:
            self.items.pop()

    def qsize(self):
        '''Return the approximate number of items waiting in the buffer.'''
        return len(self.items)
"""


def _symbols_asked() -> dict[str, set[str]]:
    docs = [read_bytes("lexer.py", LEXER), read_bytes("buffer.py", BUFFER)]
    concepts = extract_concepts(docs)
    return {
        c.name: {ex.data.get("symbol") for ex in make_exercises(c, concepts, docs)} - {None}
        for c in concepts
        if c.kind == "code"
    }


def test_a_function_is_not_asked_about_a_method_of_its_name():
    asked = _symbols_asked()
    assert asked["join"] and all(s == "lexer.join" for s in asked["join"])
    assert "buffer.Buffer.join" in asked["Buffer class"]  # (with its class)


def test_a_module_is_not_asked_about_its_class_of_its_name():
    asked = _symbols_asked()
    assert "buffer.Buffer" not in asked["buffer module"]
    assert "buffer.Buffer" in asked["Buffer class"]
