"""A small HTTP server over the tutor's own entry points, on the loopback interface only.

Streamlit pages cannot be driven by hundreds of clients on one machine, so the classroom
benchmark talks to this instead: the same ``TutorSessions`` the Learn page uses (same store, same
checkpointed LangGraph sessions, same grading and attempt log), behind three JSON endpoints:

* ``POST /join``   ``{"code", "name"}`` -> ``{"member": {...}, "payload": {...}}``
* ``POST /next``   ``{"learner_id", "curriculum"}`` -> ``{"payload"}`` (starts or resumes)
* ``POST /answer`` ``{"learner_id", "curriculum", "step", "answer", "time_taken"}`` ->
  ``{"payload", "server_ms"}``. Retrying an answer is safe: an answer for a step that is no
  longer pending is ignored (``TutorSessions.answer(step=...)``) and the attempt's event id
  (``<session>:<step>``) is unique in the store, so a retry never records twice.
* ``GET /health`` -> ``ok``

Run: ``python -m teachback.benchmarks.classroom_api --db data/teachback.db --port 8765``. It binds
127.0.0.1 and has no authentication beyond the join code: it is a benchmark harness, not a
public API.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from dataclasses import asdict
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from teachback.errors import TeachbackError

MAX_BODY = 64 * 1024


class TutorAPI(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 1024

    def __init__(self, port: int, db_path: str):
        from teachback.curricula.db import open_db
        from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

        self.db = open_db(db_path)
        self.tutor = TutorSessions(
            self.db, sqlite_checkpointer(sessions_path(db_path)), warm_up=False
        )
        from teachback.tutor.answers import warm_up

        warm_up()  # the grader's models load before the first request, not during it
        _warm_curricula(self.db)
        # One tutor step at a time per process: the process has ONE SQLite connection, and
        # sqlite3 connections must not run interleaved transactions from several threads
        # (savepoints get mixed up, and a transaction left open starves other processes).
        # Steps are CPU-bound Python, so the GIL serialised them anyway; to use more cores,
        # run more processes on the same store (``bench classroom --servers``).
        self.step_lock = threading.Lock()
        super().__init__(("127.0.0.1", port), Handler)


def _warm_curricula(db) -> None:
    """Read each published curriculum and build its concept graph now, so the first learners
    to join do not queue behind that one-time work."""
    from teachback.curricula import catalogue
    from teachback.tutor import learner_model, published

    for cid in (c["id"] for c in catalogue.published(db)):
        try:
            cur = published.load_curriculum(db, cid)
            learner_model.concept_graph(cur)
            learner_model.pacing_exercises(cur)
        except TeachbackError:
            continue  # nothing a learner can start on: not worth warming


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection per simulated learner
    server: TutorAPI

    def log_message(self, format, *args):  # noqa: A002 - the stdlib's name
        pass  # quiet: hundreds of requests a second

    def _send(self, status: int, body: dict | str) -> None:
        data = (body if isinstance(body, str) else json.dumps(body, default=str)).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json" if isinstance(body, dict) else
                         "text/plain")  # fmt: skip
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):  # noqa: N802 - the stdlib's name
        if self.path == "/health":
            self._send(200, "ok")
        else:
            self._send(404, {"error": f"no such endpoint: {self.path}"})

    def do_POST(self):  # noqa: N802
        length = int(self.headers.get("Content-Length") or 0)
        if length > MAX_BODY:
            self._send(413, {"error": "request too large"})
            return
        try:
            body = json.loads(self.rfile.read(length) or b"{}")
            if not isinstance(body, dict):
                raise ValueError("the body must be a JSON object")
        except ValueError as err:
            self._send(400, {"error": f"bad JSON: {err}"})
            return
        t0 = time.perf_counter()
        try:
            with self.server.step_lock:
                out = self._route(body)
        except TeachbackError as err:
            self._send(400, {"error": str(err)})
            return
        except KeyError as err:
            self._send(400, {"error": f"missing field {err}"})
            return
        except Exception as err:  # noqa: BLE001 - reported to the client, counted as an error
            self._send(500, {"error": f"{type(err).__name__}: {err}"})
            return
        out["server_ms"] = round((time.perf_counter() - t0) * 1000, 2)
        self._send(200, out)

    def _route(self, body: dict) -> dict:
        tutor = self.server.tutor
        if self.path == "/join":
            from teachback.tutor.classroom.sessions import join

            member = join(self.server.db, str(body["code"]), str(body["name"]))
            payload = tutor.current(member.learner_id, member.curriculum_id, member.display_name)
            return {"member": asdict(member), "payload": payload}
        if self.path == "/next":
            return {"payload": tutor.current(str(body["learner_id"]), str(body["curriculum"]))}
        if self.path == "/answer":
            payload = tutor.answer(
                str(body["learner_id"]),
                str(body["curriculum"]),
                body.get("answer"),
                step=int(body["step"]),
                time_taken=float(body.get("time_taken") or 0.0),
            )
            return {"payload": payload}
        raise TeachbackError(f"no such endpoint: {self.path}")


def serve(db_path: str, port: int) -> TutorAPI:
    """Start the server in a background thread (tests); ``.shutdown()`` stops it."""
    server = TutorAPI(port, db_path)
    threading.Thread(target=server.serve_forever, name="tutor-api", daemon=True).start()
    return server


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", required=True, help="the store (SQLite file)")
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args(argv)
    server = TutorAPI(args.port, args.db)
    print(f"tutor API listening on http://127.0.0.1:{server.server_address[1]}", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        sys.exit(0)


if __name__ == "__main__":
    main()
