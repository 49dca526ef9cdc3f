"""Fixtures for the LLM engine tests.

``local_server``: a real llama.cpp server (llama-cpp-python) with the bundled 0.5B model on a
free 127.0.0.1 port, started once per session — only when the model is assembled and
``llama_cpp`` is importable (scripts/install-local-llm.sh); otherwise the tests that need it
are skipped and the same contract runs against the embedded engine alone.

``failing_server``: a tiny ``http.server`` on 127.0.0.1 that misbehaves on purpose (garbage,
invalid JSON, a hang). It is a real failing server, not a model stand-in: nothing it says is
ever expected to be used.
"""

from __future__ import annotations

import http.server
import os
import socket
import threading
import time

import pytest

from teachback.engine import local_model
from teachback.engine.embedded import EmbeddedEngine
from teachback.engine.llm_config import STEPS, LLMConfig
from teachback.engine.openai_engine import OpenAIEngine
from teachback.ingest.algorithms import IngestSteps
from teachback.tutor.algorithms import TutorSteps


def closed_port() -> int:
    """A port nothing listens on (bound then released)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def llm_engine(base_url: str, tmp_path, **changes) -> OpenAIEngine:
    cfg = LLMConfig.load(
        base_url=base_url,
        api_key="sk-test",
        model=changes.pop("model", "local-0.5b"),
        timeout=changes.pop("timeout", 120.0),
        retries=0,
        route=changes.pop("route", dict.fromkeys(STEPS, "llm")),
        cache_db=str(tmp_path / "cache.db"),
        **changes,
    )
    return OpenAIEngine(cfg, embedded=EmbeddedEngine(IngestSteps(), TutorSteps()))


@pytest.fixture(scope="session")
def local_server(tmp_path_factory):
    if not (local_model.is_installed("0.5b") and local_model.llama_cpp_available()):
        message = "local model not installed (scripts/install-local-llm.sh)"
        # make test installs it unless told to skip it (TEACHBACK_SKIP_LOCAL_LLM=1); then a
        # missing model is a failed setup, not a reason to skip the contract tests.
        if os.environ.get("TEACHBACK_STRICT") == "1" and (
            os.environ.get("TEACHBACK_SKIP_LOCAL_LLM") != "1"
        ):
            pytest.fail(message, pytrace=False)
        pytest.skip(message)
    log = tmp_path_factory.mktemp("llama") / "server.log"
    proc, base_url = local_model.start_server("0.5b", n_ctx=4096, log_path=log)
    yield base_url
    local_model.stop_server(proc)


@pytest.fixture(scope="session")
def local_engine(local_server, tmp_path_factory):
    return llm_engine(local_server, tmp_path_factory.mktemp("llmcache"))


@pytest.fixture(params=["embedded", "local"])
def engine(request):
    """Each contract test runs against both engines (the local one when available)."""
    if request.param == "embedded":
        return EmbeddedEngine(IngestSteps(), TutorSteps())
    return request.getfixturevalue("local_engine")


class _Bad(http.server.BaseHTTPRequestHandler):
    mode = "garbage"
    requests = 0

    def log_message(self, *args):  # quiet
        pass

    def do_POST(self):  # noqa: N802
        type(self).requests += 1
        length = int(self.headers.get("content-length") or 0)
        self.rfile.read(length)
        if self.mode == "hang":
            time.sleep(5)
            return
        if self.mode == "garbage":
            body = b"<html>not json at all</html>"
        else:  # a well-formed completion whose content is not the requested JSON
            body = (
                b'{"id":"x","object":"chat.completion","created":0,"model":"m","choices":'
                b'[{"index":0,"finish_reason":"stop","message":{"role":"assistant",'
                b'"content":"Sure! Here are the concepts: osmosis, diffusion."}}],'
                b'"usage":{"prompt_tokens":50,"completion_tokens":9,"total_tokens":59}}'
            )
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture
def failing_server():
    """``start(mode)`` -> base_url of a local server answering garbage|invalid|hang."""
    servers = []

    def start(mode: str) -> str:
        handler = type("Handler", (_Bad,), {"mode": mode, "requests": 0})
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        start.handler = handler
        return f"http://127.0.0.1:{server.server_address[1]}/v1"

    yield start
    for s in servers:
        s.shutdown()
        s.server_close()
