"""A simulated learner: joins the class over HTTP, then answers questions, right on purpose with
probability ``p_right`` (it reads the answer keys), and now and then sends an answer twice."""

from __future__ import annotations

import http.client
import json
import random
import time

from teachback.core.kinds import answer_form


class Client:
    """One learner's keep-alive HTTP connection; ``post`` retries a broken connection."""

    def __init__(self, port: int):
        self.port = port
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def post(self, path: str, body: dict, tries: int = 3) -> tuple[int, dict]:
        data = json.dumps(body)
        for attempt in range(tries):
            try:
                self.conn.request("POST", path, data, {"Content-Type": "application/json"})
                resp = self.conn.getresponse()
                return resp.status, json.loads(resp.read() or b"{}")
            except (OSError, http.client.HTTPException):
                self.conn.close()
                self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                if attempt == tries - 1:
                    raise
                time.sleep(0.2 * (attempt + 1))
        raise RuntimeError("unreachable")


class Keys:
    """The answer keys, read once, so a simulated learner can answer right on purpose."""

    def __init__(self, db, curriculum: str):
        from teachback.curricula import repository

        self.exercises = {e["id"]: e for e in repository.get_exercises(db, curriculum)}
        self.definitions = {
            c["id"]: c["definition"] or c["name"] for c in repository.get_concepts(db, curriculum)
        }

    def answer(self, payload: dict, rng: random.Random, p_right: float):
        from teachback.tutor.answers import answer_text

        if payload["type"] == "teach_back":
            cid = payload["concept"]["id"]
            return self.definitions.get(cid, "") if rng.random() < p_right else "not sure"
        ex = payload["exercise"]
        key = self.exercises[ex["id"]]["answer"]
        if rng.random() < p_right:
            # an order or pairs is answered with the key's list itself, the rest as text
            return key if answer_form(ex["kind"]) in ("order", "pairs") else answer_text(key)
        wrong = [c for c in ex.get("choices") or [] if c != answer_text(key)]
        if wrong and answer_form(ex["kind"]) != "pairs":
            return rng.choice(wrong[:2])  # a shared wrong choice: a misconception to find
        return rng.choice(["no idea", "No idea.", "the other one"])


def run_learner(i, port, code, curriculum, keys, args, stats, lock, stop):
    rng = random.Random(args["seed"] * 100003 + i)
    client = Client(port)
    mine = {"steps": [], "server": [], "starts": [], "errors": 0, "acked": 0, "retries": 0,
            "learner": None}  # fmt: skip
    try:
        t0 = time.perf_counter()
        status, out = client.post("/join", {"code": code, "name": f"Learner {i:03d}"})
        mine["starts"].append((time.perf_counter() - t0) * 1000)
        if status != 200:
            mine["errors"] += 1
            mine["error"] = out.get("error")
            return
        learner = out["member"]["learner_id"]
        mine["learner"] = learner
        payload = out["payload"]
        for _ in range(args["steps"]):
            if stop.is_set() or payload.get("type") == "done":
                break
            think = args["think"] * rng.uniform(0.5, 1.5)
            if stop.wait(think):
                break
            answer = keys.answer(payload, rng, args["p_right"])
            body = {"learner_id": learner, "curriculum": curriculum, "step": payload["step"],
                    "answer": answer, "time_taken": think}  # fmt: skip
            t0 = time.perf_counter()
            try:
                status, out = client.post("/answer", body)
            except (OSError, http.client.HTTPException):
                mine["errors"] += 1
                continue
            mine["steps"].append((time.perf_counter() - t0) * 1000)
            if status != 200:
                mine["errors"] += 1
                continue
            mine["server"].append(out["server_ms"])
            fb = out["payload"].get("feedback") or {}
            acked = fb.get("step") == payload["step"]
            if acked and payload["type"] == "exercise":
                mine["acked"] += 1
            if rng.random() < args["retry_rate"]:  # the same answer again, as after a timeout
                _retry(client, body, out, mine)
            payload = out["payload"]
    except Exception as err:  # noqa: BLE001 - counted, the run goes on
        mine["errors"] += 1
        mine["error"] = f"{type(err).__name__}: {err}"
    finally:
        client.conn.close()
        with lock:
            stats.append(mine)


def _retry(client, body: dict, out: dict, mine: dict) -> None:
    """Send an answer again; an error unless the session stays where the first answer put it."""
    mine["retries"] += 1
    status, again = client.post("/answer", body)
    if status != 200:
        mine["errors"] += 1
    elif again["payload"].get("step") != out["payload"].get("step"):
        mine["errors"] += 1  # a retry must not move the session on
