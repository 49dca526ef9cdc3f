"""The ``teachback`` command line: a thin layer of commands over the library.

Each command lives in its own module and is loaded only when it is run, so ``teachback --help``
stays fast and one command's heavy imports never slow another. Errors a user may cause are
``TeachbackError``s, turned into one-line messages here, once.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys

import click

from teachback.errors import TeachbackError


class LazyGroup(click.Group):
    """A group whose subcommands are ``"name": "module:attribute"`` entries, imported on use."""

    def __init__(self, *args, lazy: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy = lazy or {}

    def list_commands(self, ctx):
        available = {name for name, target in self.lazy.items() if _exists(target)}
        return sorted(set(super().list_commands(ctx)) | available)

    def get_command(self, ctx, name):
        if name in self.lazy and _exists(self.lazy[name]):
            module_name, attribute = self.lazy[name].split(":")
            return getattr(importlib.import_module(module_name), attribute)
        return super().get_command(ctx, name)


def _exists(target: str) -> bool:
    """Whether a command's module is there (commands land one issue at a time)."""
    return importlib.util.find_spec(target.split(":")[0]) is not None


COMMANDS = {
    "ingest": "teachback.cli.ingest_cmd:ingest",
    "export": "teachback.cli.export_cmd:export",
    "import": "teachback.cli.export_cmd:import_",
    "grade": "teachback.cli.grade_cmd:grade",
    "bench": "teachback.cli.bench_cmd:bench",
    "serve": "teachback.cli.serve_cmd:serve",
    "users": "teachback.cli.users_cmd:users",
    "learn": "teachback.cli.learn_cmd:learn",
    "publish": "teachback.cli.publish_cmd:publish",
    "quickstart": "teachback.cli.serve_cmd:quickstart",
    "serve-model": "teachback.cli.model_cmd:serve_model",
    "model": "teachback.cli.model_cmd:model",
}


@click.group(cls=LazyGroup, lazy=COMMANDS)
@click.version_option(package_name="teachback")
def cli():
    """teachback: learn a subject from its sources, then teach it.

    \b
    Example:
        teachback ingest data/samples --curriculum sample
        teachback serve
    """


def main(argv: list[str] | None = None) -> None:
    """Console-script entry point: runs the CLI and turns our errors into one-line messages."""
    try:
        cli.main(args=argv, prog_name="teachback", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(130)
    except click.ClickException as err:
        err.show()
        sys.exit(err.exit_code)
    except TeachbackError as err:
        click.echo(f"Error: {err}", err=True)
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo(
            "Interrupted: what was finished is kept; run the same command to resume.", err=True
        )
        sys.exit(130)
