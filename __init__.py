"""teachback: agents that learn a subject from its sources, then teach it to people.

The repository root is the ``teachback`` package (see ``docs/architecture.md``): ``ingest``,
``curricula`` and ``tutor`` are its subpackages, so they never clash with other installed
distributions that use the same generic names (Open edX ships a top-level ``tutor``).
"""

__version__ = "0.1.0"
