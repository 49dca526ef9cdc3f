"""``teachback bench NAME``: benchmarks that print a readable report and, last, one JSON line.

Each benchmark is a click command in ``teachback/benchmarks/<module>.py`` named ``command``.
"""

import click

from teachback.cli import LazyGroup

BENCHMARKS = {
    "keyphrases": "teachback.benchmarks.keyphrases:command",
    "concepts": "teachback.benchmarks.concepts_textbook:command",
    "prerequisites": "teachback.benchmarks.prerequisites:command",
    "ingest": "teachback.benchmarks.ingest_throughput:command",
    "exercises": "teachback.benchmarks.exercises:command",
    "grading": "teachback.benchmarks.grading:command",
    "learner-model": "teachback.benchmarks.learner_model:command",
    "pacing": "teachback.benchmarks.pacing:command",
    "tutor": "teachback.benchmarks.tutor_latency:command",
    "classroom": "teachback.benchmarks.classroom:command",
    "llm": "teachback.benchmarks.llm_compare:command",
    "curriculum": "teachback.benchmarks.curriculum:command",
}


@click.group(cls=LazyGroup, lazy=BENCHMARKS)
def bench():
    """Measure quality and speed; the last line printed is a JSON object of figures."""
