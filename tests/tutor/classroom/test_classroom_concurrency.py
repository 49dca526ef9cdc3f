"""Many writers at once lose no attempt and store none twice: threads with their own
connections, separate processes, retries of the same event -- and the real tutor behind the
loopback HTTP API (one connection per process, one step at a time), every answer sent twice."""

import http.client
import json
import subprocess
import sys
import threading

from teachback.curricula.db import open_db
from teachback.tutor.attempts import AttemptEvent, record_attempt

WRITER = """
import sys
from teachback.curricula.db import open_db
from teachback.tutor.attempts import AttemptEvent, record_attempt
db = open_db(sys.argv[1])
for n in range(int(sys.argv[3])):
    for _ in range(2):  # every event sent twice, like a retry after a timeout
        record_attempt(db, AttemptEvent(event_id=f"{sys.argv[2]}:{n}", learner_id=sys.argv[2],
                       curriculum_id="water", exercise_id="x", concept_id="water/evaporation",
                       correct=n % 3 == 0, answer=str(n)))
"""


def test_threads_and_processes_writing_at_once_lose_and_duplicate_nothing(published, tmp_path):
    db, _ = published
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    per = 40
    procs = [
        subprocess.Popen([sys.executable, "-c", WRITER, path, f"proc-{p}", str(per)])
        for p in range(3)
    ]
    errors: list[BaseException] = []

    def writer(name: str):
        conn = open_db(path)
        try:
            for n in range(per):
                for _ in range(2):
                    record_attempt(conn, AttemptEvent(
                        event_id=f"{name}:{n}", learner_id=name, curriculum_id="water",
                        exercise_id="x", concept_id="water/evaporation", correct=True,
                        answer=str(n)))  # fmt: skip
        except BaseException as err:  # noqa: BLE001 - reported below
            errors.append(err)
        finally:
            conn.close()

    threads = [threading.Thread(target=writer, args=(f"thread-{i}",)) for i in range(16)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    for p in procs:
        assert p.wait(120) == 0
    assert errors == []
    rows = db.execute("select event_id, count(*) from attempts group by event_id").fetchall()
    expected = {f"thread-{i}:{n}" for i in range(16) for n in range(per)} | {
        f"proc-{p}:{n}" for p in range(3) for n in range(per)}  # fmt: skip
    assert {r[0] for r in rows} == expected  # none lost
    assert {r[1] for r in rows} == {1}  # none twice
    assert db["attempts"].count == len(expected)


def _post(conn, path, body):
    conn.request("POST", path, json.dumps(body), {"Content-Type": "application/json"})
    resp = conn.getresponse()
    return resp.status, json.loads(resp.read())


def test_the_tutor_api_under_concurrent_learners_with_retries(klass):
    from teachback.benchmarks.classroom_api import serve
    from teachback.curricula import repository
    from teachback.tutor.answers import answer_text

    db, s = klass
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    server = serve(path, 0)
    port = server.server_address[1]
    acked: dict[str, int] = {}
    errors: list = []

    def learner(i):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        try:
            status, out = _post(conn, "/join", {"code": s.code, "name": f"L{i}"})
            assert status == 200, out
            lid, payload = out["member"]["learner_id"], out["payload"]
            acked[lid] = 0
            for k in range(4):
                if payload["type"] != "exercise":
                    break
                ex = repository.get_exercise(db, payload["exercise"]["id"])
                right = ex["answer"] if ex["kind"] in ("ordering", "matching") else answer_text(
                    ex["answer"])  # fmt: skip
                body = {"learner_id": lid, "curriculum": "water", "step": payload["step"],
                        "answer": right if k % 2 else "wrong"}  # fmt: skip
                status, out = _post(conn, "/answer", body)
                status2, out2 = _post(conn, "/answer", body)  # the retry
                assert status == status2 == 200, (out, out2)
                assert out2["payload"]["step"] == out["payload"]["step"]  # not moved on
                if (out["payload"].get("feedback") or {}).get("step") == body["step"]:
                    acked[lid] += 1
                payload = out["payload"]
        except BaseException as err:  # noqa: BLE001
            errors.append(err)
        finally:
            conn.close()

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(12)]
    try:
        for t in threads:
            t.start()
        for t in threads:
            t.join(180)
    finally:
        server.shutdown()
        server.server_close()
    assert errors == []
    stored = dict(db.execute("select learner_id, count(*) from attempts group by learner_id"))
    assert len(acked) == 12 and sum(acked.values()) >= 12
    assert stored == acked
    dup = db.execute("select count(*) - count(distinct event_id) from attempts").fetchone()[0]
    assert dup == 0
