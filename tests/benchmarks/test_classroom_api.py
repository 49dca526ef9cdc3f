"""The loopback tutor API answers bad requests with a clear error and serves loopback only."""

import http.client
import json

import pytest

from teachback.benchmarks.classroom_api import serve


@pytest.fixture
def api(klass):
    db, s = klass
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    server = serve(path, 0)
    yield server, s
    server.shutdown()
    server.server_close()


def call(server, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", server.server_address[1], timeout=30)
    data = body if isinstance(body, bytes | None) else json.dumps(body)
    conn.request(method, path, data, {"Content-Type": "application/json"})
    resp = conn.getresponse()
    raw = resp.read()
    conn.close()
    return resp.status, (json.loads(raw) if resp.getheader("Content-Type") ==
                         "application/json" else raw.decode())  # fmt: skip


def test_errors_are_one_line_and_nothing_binds_beyond_loopback(api):
    server, s = api
    assert server.server_address[0] == "127.0.0.1"
    assert call(server, "GET", "/health") == (200, "ok")
    assert call(server, "GET", "/nope")[0] == 404
    assert call(server, "POST", "/join", {"code": "ZZZZZZZZ", "name": "Ada"}) == (
        400, {"error": "no class has this join code: check it with your instructor"})  # fmt: skip
    missing = call(server, "POST", "/join", {"code": s.code})
    assert missing == (400, {"error": "missing field 'name'"})
    status, out = call(server, "POST", "/join", b"{not json")
    assert status == 400 and out["error"].startswith("bad JSON")
    status, out = call(server, "POST", "/answer", {"learner_id": "nobody", "curriculum": "water",
                                                   "step": 1, "answer": "x"})  # fmt: skip
    assert status == 400 and "no tutor session" in out["error"]
    status, out = call(server, "POST", "/join", {"code": s.code, "name": "Ada"})
    assert status == 200 and out["payload"]["type"] == "exercise"
    assert "answer" not in out["payload"]["exercise"]  # never the key
