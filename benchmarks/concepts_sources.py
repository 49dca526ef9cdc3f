"""Top concepts per source with their definitions, for a reader to judge quality by eye.

    .venv/bin/python -m teachback.benchmarks.concepts_sources ../shared/sources/*.txt --top 15

Reads the files with the project's readers, extracts concepts from all of them together, and
prints, per source, the most important concepts first seen there with their aliases and
definition, then a JSON line with counts.
"""

from __future__ import annotations

import time

import click

from teachback.benchmarks.report import emit


@click.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--top", default=15, show_default=True)
@click.option("--markdown", is_flag=True, help="Print Markdown tables (for docs).")
def command(paths: tuple[str, ...], top: int, markdown: bool) -> None:
    from teachback.ingest.concepts import extract_concepts
    from teachback.ingest.readers import load_sources

    result = load_sources(list(paths))
    for err in result.errors:
        click.echo(f"skipped: {err}")
    t0 = time.perf_counter()
    concepts = extract_concepts(result.documents)
    secs = time.perf_counter() - t0
    counts = {}
    for di, doc in enumerate(result.documents):
        mine = [c for c in concepts if c.first_seen[0] == di]
        counts[doc.path] = len(mine)
        mine.sort(key=lambda c: -c.importance)
        click.echo(f"\n### {doc.path} ({len(mine)} concepts first seen here)\n")
        if markdown:
            click.echo("| importance | concept | aliases | definition (from the source) |")
            click.echo("|---|---|---|---|")
        for c in mine[:top]:
            definition = " ".join(c.definition.split())[:160].replace("|", "\\|")
            aliases = ", ".join(c.aliases[:4]).replace("|", "\\|")
            if markdown:
                click.echo(f"| {c.importance:.2f} | {c.name} | {aliases} | {definition} |")
            else:
                click.echo(f"  {c.importance:.2f} {c.name} [{aliases}] :: {definition}")
    emit(
        {
            "benchmark": "concepts_sources",
            "concepts": len(concepts),
            "per_source": counts,
            "seconds": round(secs, 2),
        }
    )


if __name__ == "__main__":
    command()
