"""The store's ids, made from what they name so that a re-ingest finds the same rows again.

* a source id is ``src-`` + 16 hex digits of sha1(curriculum, path): stable across re-ingests;
* a concept id is ``"<curriculum>/<slug>"``;
* an exercise id is ``ex-`` + 16 hex digits of sha1(concept id, kind, prompt).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata


def slugify(name: str) -> str:
    """A URL-safe slug: ``"Large Language Model (LLM)" -> "large-language-model-llm"``."""
    text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = re.sub(r"[^a-zA-Z0-9]+", "-", text.lower()).strip("-")
    return text[:80].strip("-") or "concept-" + hashlib.sha1(name.encode()).hexdigest()[:8]


def source_id(curriculum: str, path: str) -> str:
    """The stable id of a source: the same path in the same curriculum keeps its id."""
    return "src-" + hashlib.sha1(f"{curriculum}\0{path}".encode()).hexdigest()[:16]


def concept_id(curriculum: str, slug: str) -> str:
    return f"{curriculum}/{slug}"


def exercise_id(concept: str, kind: str, prompt: str) -> str:
    return "ex-" + hashlib.sha1(f"{concept}\0{kind}\0{prompt}".encode()).hexdigest()[:16]
