"""What every browser test shares: a real ``streamlit run app.py`` on a free port (with the
production flags ``teachback serve`` uses), and headless Debian Chromium driven by Playwright
(``executable_path=/usr/bin/chromium``; never ``playwright install``, which needs the network).
Screenshots go to ``tests/artifacts/``.

Every test here also fails when a server it started logged a traceback, a warning or a
deprecation while the test ran (``clean_server_logs``): a normal run's log stays clean.
"""

from __future__ import annotations

import contextlib
import os
import re
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from teachback.cli.serve_cmd import PRODUCTION_FLAGS
from teachback.config import PACKAGE_DIR

ARTIFACTS = PACKAGE_DIR / "tests" / "artifacts"
CHROMIUM = "/usr/bin/chromium"
# Without the background-networking flags Chromium keeps trying hosts this machine cannot reach.
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def require_chromium() -> None:
    if not Path(CHROMIUM).exists():
        if os.environ.get("TEACHBACK_STRICT") == "1":  # make test: a missing browser is a failure
            pytest.fail(
                f"Debian chromium is missing at {CHROMIUM} "
                "(scripts/install-system-deps.sh installs it)",
                pytrace=False,
            )
        pytest.skip(f"Debian chromium is not installed at {CHROMIUM} "
                    "(scripts/install-system-deps.sh)")  # fmt: skip


# What must never appear in a server's log during a journey: Python tracebacks, Streamlit's
# deprecation notices (e.g. ``use_container_width``), warnings of any kind (Arrow serialisation
# fallbacks log as warnings with a traceback), and errors.
LOG_PROBLEM = re.compile(
    r"Traceback \(most recent call last\)|Deprecat|\bWARNING\b|Warning:|\bERROR\b|"
    r"use_container_width|Exception|\w+Error:|was unsuccessful",
)
_SERVERS: list[StreamlitServer] = []


def log_problems(text: str) -> list[str]:
    """The lines of a server log that must not be there, each different one once (with the
    line after it, for context)."""
    lines = text.splitlines()
    seen: dict[str, str] = {}
    for i, line in enumerate(lines):
        if LOG_PROBLEM.search(line):
            key = re.sub(r"^[\d:. -]+", "", line).strip()  # the same message at another time
            seen.setdefault(key, "\n".join(lines[i : i + 2]))
    return list(seen.values())


@pytest.fixture(autouse=True)
def clean_server_logs(request):
    """Fail the test when a server logged a problem (``log_problems``) since the last check:
    a module's server is checked from its start-up on, each test for what came during it."""
    yield
    problems = []
    for server in list(_SERVERS):
        end = server.log_size()
        for problem in log_problems(server.log_text(since=server.checked_upto)):
            problems.append(f"{server.log_path}:\n{problem}")
        server.checked_upto = end
    if problems:
        pytest.fail(
            "the server log has tracebacks or warnings:\n\n" + "\n\n".join(problems[:10]),
            pytrace=False,
        )


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


class StreamlitServer:
    """A real ``streamlit run app.py`` over ``db_path`` on a free port.

    ``env`` adds to the environment (e.g. an instructor password); the server's output goes to
    ``<cwd>/streamlit.log`` and its tail is shown if it fails to start. ``restart`` is the
    server going away and coming back on the same port.
    """

    def __init__(self, db_path: Path, cwd: Path, env: dict | None = None):
        self.db_path, self.cwd = Path(db_path), Path(cwd)
        self.env = {
            **os.environ,
            "TEACHBACK_DB": str(self.db_path),
            "STREAMLIT_BROWSER_GATHER_USAGE_STATS": "false",
            **(env or {}),
        }
        self.env.pop("TEACHBACK_INSTRUCTOR_PASSWORD_HASH", None)  # the test's password wins
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = self.cwd / "streamlit.log"
        self.proc: subprocess.Popen | None = None
        self.checked_upto = 0  # bytes of the log already checked (``clean_server_logs``)
        _SERVERS.append(self)

    def log_size(self) -> int:
        return self.log_path.stat().st_size if self.log_path.exists() else 0

    def log_text(self, since: int = 0) -> str:
        if not self.log_path.exists():
            return ""
        with open(self.log_path, "rb") as log:
            log.seek(since)
            return log.read().decode("utf-8", errors="replace")

    def start(self, timeout: float = 90) -> None:
        with open(self.log_path, "ab") as log:
            self.proc = subprocess.Popen(
                [sys.executable, "-m", "streamlit", "run", str(PACKAGE_DIR / "app.py"),
                 "--server.headless", "true", "--server.port", str(self.port),
                 "--server.address", "127.0.0.1", *PRODUCTION_FLAGS],
                env=self.env, cwd=self.cwd, stdout=log, stderr=subprocess.STDOUT,
            )  # fmt: skip
        deadline = time.monotonic() + timeout
        while True:
            try:
                with urllib.request.urlopen(f"{self.base}/_stcore/health", timeout=2) as r:
                    if r.read().strip() == b"ok":
                        return
            except OSError:
                pass
            if self.proc.poll() is not None or time.monotonic() > deadline:
                self.proc.kill()
                out = self.log_path.read_text(errors="replace")[-3000:]
                pytest.fail("streamlit did not start:\n" + out)
            time.sleep(0.3)

    def stop(self) -> None:
        if self.proc is None:
            return
        self.proc.terminate()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def restart(self) -> None:
        self.stop()
        self.start()


@contextlib.contextmanager
def serving(db_path: Path, cwd: Path, env: dict | None = None):
    """A started ``StreamlitServer``, stopped on exit."""
    server = StreamlitServer(db_path, cwd, env)
    server.start()
    try:
        yield server
    finally:
        server.stop()


@contextlib.contextmanager
def chromium():
    """A headless Chromium browser (Playwright's), closed on exit."""
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_page(browser, timeout_ms: int = 60_000):
    """A page in a fresh context (its own cookies: another person at another computer)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(timeout_ms)
    return context.new_page()


def choose(page, label: str, option: str, attempts: int = 5) -> None:
    """Pick ``option`` in the selectbox labelled ``label`` (found as a combobox: a plain label
    lookup also finds a heading with the same words, e.g. a concept named like a term).

    A click that lands while Streamlit is still redrawing the form focuses the box without
    opening its list, so the list is opened again until the option shows (then picked)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    box = page.get_by_role("combobox", name=label, exact=True)
    wanted = page.get_by_role("option", name=option, exact=True)
    for attempt in range(attempts):
        box.click()
        try:
            wanted.click(timeout=5_000)
            return
        except PlaywrightTimeout:
            if attempt == attempts - 1:
                raise
            page.keyboard.press("Escape")


def pick(form, position: int) -> None:
    """Pick the radio option at ``position`` in ``form``'s answer radio group. By position, not
    by text: Streamlit renders an option's Markdown (``key`` shows as code), so its shown
    text is not the stored choice."""
    form.get_by_test_id("stRadio").get_by_role("radio").nth(position).check(force=True)


def _page_text(page, limit: int = 1500) -> str:
    try:
        return page.locator("body").inner_text(timeout=5000)[:limit]
    except Exception as err:  # noqa: BLE001 - the page itself may be what broke
        return f"(could not read the page: {err})"


def to_question(page, after: int = 0, timeout: float = 120) -> int:
    """Wait for the first question after step ``after`` and return its step. A concept with
    nothing to ask is taught by its lesson alone: the learner marks it read ("Got it") on the
    way, as a learner would. On a timeout the failure shows what the page showed instead."""
    got_it = page.get_by_role("button", name="Got it")
    deadline = time.monotonic() + timeout
    while True:
        if time.monotonic() >= deadline:
            screenshot(page, f"no_question_after_{after}")
            raise AssertionError(f"no question after step {after} at {page.url}; the page "
                                 f"showed:\n{_page_text(page)}")  # fmt: skip
        try:
            # the question first: a rerun can leave the last step's button in the page a while
            for step in range(after + 1, after + 6):
                if page.get_by_text(f"Question {step}", exact=True).count():
                    return step
            # a rerun (a class page reruns every few seconds) can show a stale copy beside it
            if got_it.count() and got_it.last.is_visible():
                got_it.last.click()
        except Exception:  # noqa: BLE001 - the page is mid-rerun
            pass
        time.sleep(0.3)
