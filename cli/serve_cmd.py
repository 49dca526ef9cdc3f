"""``teachback serve`` and ``teachback quickstart``: start the web UI (Streamlit, headless)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import click

from teachback.cli.options import db_option, store_path
from teachback.config import PACKAGE_DIR, SAMPLES_DIR

SAMPLE_CURRICULUM = "sample"

_port = click.option(
    "--port", type=click.IntRange(1, 65535), default=8501, show_default=True, help="HTTP port."
)
_db = db_option
_host = click.option(
    "--host",
    default="127.0.0.1",
    show_default=True,
    help="Address to listen on. Only this machine can connect by default; 0.0.0.0 opens it to "
    "the network (put an HTTPS proxy in front).",
)
LOOPBACK = ("127.", "localhost", "::1", "[::1]")


# Production mode: learners and teachers see the app, not Streamlit's developer chrome (the
# Deploy button, rerun and clear-cache entries of the menu); no reruns on file edits either.
PRODUCTION_FLAGS = (
    "--client.toolbarMode",
    "viewer",
    "--server.runOnSave",
    "false",
    "--server.fileWatcherType",
    "none",
)


def _check_url(ctx, param, value):
    if value and not value.lower().startswith(("http://", "https://")):
        raise click.BadParameter("must start with http:// or https://")
    return value


_public_url = click.option(
    "--public-url",
    default=None,
    callback=_check_url,
    help="The address learners open (e.g. https://class.example.org), used in class join "
    "links (default: $TEACHBACK_PUBLIC_URL, [server] public_url in teachback.toml, else this "
    "machine's network address).",
)


def exposed_warning(host: str | None) -> str | None:
    """What to tell someone who serves beyond this machine (None for a loopback address)."""
    if host and host.strip().lower().startswith(LOOPBACK):
        return None
    return (
        f"teachback: warning: listening on {host or 'all interfaces'}: anyone who can reach this "
        "machine gets the sign-in page, and without TLS passwords and session cookies cross the "
        "network in clear text. Put an HTTPS reverse proxy in front (see docs/security.md)."
    )


def streamlit_command(port: int, host: str | None = "127.0.0.1") -> list[str]:
    """The exact command ``serve`` (and ``quickstart``, so ``make run``) runs."""
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(PACKAGE_DIR / "app.py"),
        "--server.headless",
        "true",
        "--server.port",
        str(port),
        "--browser.gatherUsageStats",
        "false",
        *PRODUCTION_FLAGS,
    ]
    cmd += ["--server.address", host or "127.0.0.1"]
    return cmd


def run_server(
    db_path: Path, port: int, host: str | None = "127.0.0.1", public_url: str | None = None
) -> None:
    """Run Streamlit in a child process until it exits; Ctrl-C or SIGTERM stop it too."""
    env = {**os.environ, "TEACHBACK_DB": str(db_path.resolve())}
    if public_url:
        env["TEACHBACK_PUBLIC_URL"] = public_url
    if warning := exposed_warning(host):
        click.secho(warning, fg="yellow", err=True)
    for old in ("TEACHBACK_INSTRUCTOR_PASSWORD", "TEACHBACK_INSTRUCTOR_PASSWORD_HASH"):
        if os.environ.get(old):
            click.secho(
                f"teachback: {old} is ignored: instructors have accounts now "
                "(`teachback users add NAME --role instructor`).",
                fg="yellow",
                err=True,
            )
    shown = "localhost" if host in (None, "127.0.0.1", "0.0.0.0") else host
    click.echo(f"teachback: serving {db_path} on http://{shown}:{port} (Ctrl-C to stop)")
    proc = subprocess.Popen(streamlit_command(port, host), env=env)

    def stop(signum, frame):
        proc.terminate()

    previous = signal.signal(signal.SIGTERM, stop)
    try:
        code = proc.wait()
    except KeyboardInterrupt:
        proc.terminate()
        code = 0
    finally:
        signal.signal(signal.SIGTERM, previous)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
    if code and code != -signal.SIGTERM:
        raise SystemExit(code)


@click.command()
@_port
@_db
@_host
@_public_url
def serve(port, db_path, host, public_url):
    """Start the web UI for learners (and instructors) on PORT.

    \b
    Example:
        teachback serve --port 8501 --db data/teachback.db
        teachback serve --public-url http://192.168.1.20:8501
    """
    run_server(store_path(db_path), port, host, public_url)


def ensure_sample(db_path: Path, echo=click.echo) -> str:
    """Ingest the bundled samples into curriculum "sample" unless it is already there, and
    publish it when the instructor tools are installed. Returns the curriculum id."""
    from teachback.curricula import catalogue
    from teachback.curricula.db import open_db
    from teachback.ingest.pipeline import run_ingest

    db = open_db(db_path)
    try:
        if catalogue.concept_count(db, SAMPLE_CURRICULUM):
            echo(f"teachback: curriculum {SAMPLE_CURRICULUM!r} is already in {db_path}")
            # learners see only published versions
            if catalogue.published_version(db, SAMPLE_CURRICULUM) is None:
                _publish_sample(db, echo)
            return SAMPLE_CURRICULUM
        echo(f"teachback: learning the bundled samples in {SAMPLES_DIR} (once) ...")
        summary = run_ingest(db, [str(SAMPLES_DIR)], curriculum=SAMPLE_CURRICULUM)
        for line in summary.errors:
            echo(f"  skipped: {line}", err=True)
        echo(
            f"teachback: {summary.concepts} concepts, {summary.lessons} lessons, "
            f"{summary.exercises_kept} exercises in {summary.seconds:.1f}s"
        )
        _publish_sample(db, echo)
        return SAMPLE_CURRICULUM
    finally:
        db.close()


def _publish_sample(db, echo) -> None:
    from teachback.curricula.ownership import owner_of
    from teachback.curricula.publish import publish

    owner = owner_of(db, SAMPLE_CURRICULUM)  # an owned sample is published in its owner's name
    version = publish(db, SAMPLE_CURRICULUM, owner.username if owner else "quickstart")
    echo(f"teachback: published {SAMPLE_CURRICULUM!r} as version {version}")


@click.command()
@_port
@_db
@_host
@_public_url
def quickstart(port, db_path, host, public_url):
    """Learn the bundled sample material (first run only), then start the web UI.

    \b
    Example:
        teachback quickstart --port 8501
    """
    db_path = store_path(db_path)
    ensure_sample(db_path)
    ensure_accounts(db_path, public_url or f"http://localhost:{port}")
    run_server(db_path, port, host, public_url)


QUICKSTART_INSTRUCTOR = "instructor"
QUICKSTART_LEARNER = "learner"


def ensure_accounts(db_path: Path, base_url: str, echo=click.echo) -> None:
    """A local instructor account (made once; its password printed that once) and a one-time
    sign-in link for the local learner account, so a new user starts learning with one click."""
    import secrets

    from teachback.curricula import accounts
    from teachback.curricula.db import open_db

    db = open_db(db_path)
    try:
        if not accounts.count_instructors(db):
            password = secrets.token_urlsafe(12)
            accounts.create_user(
                db, QUICKSTART_INSTRUCTOR, "instructor", password=password,
                display_name="Instructor", created_by="quickstart",
            )  # fmt: skip
            echo(
                f"teachback: instructor account {QUICKSTART_INSTRUCTOR!r} created, password: "
                f"{password}\n           (shown once; change it on the Account page or with "
                f"`teachback users passwd {QUICKSTART_INSTRUCTOR}`)"
            )
        if accounts.find_user(db, QUICKSTART_LEARNER) is None:
            accounts.create_user(
                db, QUICKSTART_LEARNER, "learner", display_name="Learner", created_by="quickstart"
            )
        code = accounts.issue_code(db, QUICKSTART_LEARNER, created_by="quickstart")
        echo(
            "teachback: to start learning, open this one-time sign-in link:\n"
            f"           {accounts.sign_in_link(code, base_url)}"
        )
    finally:
        db.close()
