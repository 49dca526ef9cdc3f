"""Reading a curriculum in the store: the one door other packages use.

Each part lives in a module with one job; this module gathers their public names so that a
caller needs one import (``from teachback.curricula import repository as repo``):

* ``ids``: the stable ids of sources, concepts and exercises (``slugify``, ``source_id``...);
* ``curriculum_rows``: the curricula themselves (list, open, create, the default one);
* ``source_rows``: sources and passages, and the sources as engine ``Document``s;
* ``search``: full-text search over passages and concepts;
* ``concept_rows``: concepts with aliases and evidence, prerequisite edges, units;
* ``exercise_rows``: lessons and exercises, and an exercise as the engine's ``ExerciseDraft``.

Read helpers return plain ``dict`` rows with their JSON columns already parsed (lists and dicts,
never JSON text), in a deterministic order (teaching order for concepts, ``seq`` for passages).
Spans (evidence, citations) are ``{"source": <source id>, "start", "end", "quote"}`` and
``sources.text[start:end] == quote``.

What it does not do: the ingest's writes (``curricula/ingest_store.py``), instructor edits with
conflict detection and undo (``curricula/edits/``) and publishing (``curricula/publish.py``).
"""

from __future__ import annotations

from teachback.curricula.concept_rows import get_concept, get_concepts, get_edges, get_units
from teachback.curricula.curriculum_rows import (
    default_curriculum,
    ensure_curriculum,
    get_curriculum,
    list_curricula,
)
from teachback.curricula.exercise_rows import (
    exercise_draft,
    get_exercise,
    get_exercises,
    get_lesson,
    get_lessons,
)
from teachback.curricula.ids import concept_id, exercise_id, slugify, source_id
from teachback.curricula.search import fts_query, search_concepts, search_passages
from teachback.curricula.source_rows import get_passages, get_source, get_sources, load_documents

__all__ = [
    "concept_id",
    "default_curriculum",
    "ensure_curriculum",
    "exercise_draft",
    "exercise_id",
    "fts_query",
    "get_concept",
    "get_concepts",
    "get_curriculum",
    "get_edges",
    "get_exercise",
    "get_exercises",
    "get_lesson",
    "get_lessons",
    "get_passages",
    "get_source",
    "get_sources",
    "get_units",
    "list_curricula",
    "load_documents",
    "search_concepts",
    "search_passages",
    "slugify",
    "source_id",
]
