"""A real tutor process for the split-state probes (``test_split_state.py``).

    python tutor_worker.py DB TAG STEPS [--die-after-record]

Opens the store and the session checkpoints beside it the way ``teachback learn`` and the web
UI do, then answers up to STEPS exercises for the learner ``ada`` on ``water``, alternating the
key and a wrong answer unique to this process (TAG), and prints one JSON line per answer the
tutor *acknowledged* (the feedback it returned is about that very answer):
``{"session", "step", "answer", "verdict"}``. With ``--die-after-record`` the process kills
itself with SIGKILL right after its first answer is recorded, before the checkpoint is written.
"""

from __future__ import annotations

import json
import os
import signal
import sys

from teachback.curricula.db import open_db
from teachback.tutor import answers
from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

LEARNER, CURRICULUM = "ada", "water"


def main(db_path: str, tag: str, steps: int, die_after_record: bool) -> None:
    if die_after_record:
        real = answers.record

        def record_then_die(db, event):
            real(db, event)
            os.kill(os.getpid(), signal.SIGKILL)

        answers.record = record_then_die
    db = open_db(db_path)
    tutor = TutorSessions(db, sqlite_checkpointer(sessions_path(db_path)), prepare=False)
    for i in range(steps):
        payload = tutor.current(LEARNER, CURRICULUM)
        if payload["type"] == "teach_back":
            # Like every real client, name the step answered: the other process may have
            # answered this teach-back and moved on to an exercise meanwhile, which an answer
            # without a step would then answer (and store) in its place.
            tutor.answer(LEARNER, CURRICULUM, "I explain it in my own words.", step=payload["step"])
            continue
        if payload["type"] != "exercise":
            continue  # resting: the next ``current`` asks the policy again
        values = tutor.state(LEARNER, CURRICULUM)
        if values.get("step") != payload["step"]:
            continue  # the other process moved on between the two reads
        key = values["exercise"]["answer"]
        answer = key if (i + tag.startswith("b")) % 2 == 0 else f"no idea {tag} {i}"
        after = tutor.answer(LEARNER, CURRICULUM, answer, step=payload["step"])
        feedback = after.get("feedback") or {}
        said = answers.answer_text(answer)
        if feedback.get("step") == payload["step"] and feedback.get("your_answer") == said:
            line = {
                "session": values["session_id"],
                "step": payload["step"],
                "answer": said,
                "verdict": feedback["verdict"],
            }
            print(json.dumps(line), flush=True)


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), "--die-after-record" in sys.argv)
