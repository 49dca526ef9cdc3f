"""A class on the Streamlit server: many learners' steps at once through ONE ``TutorSessions``
over ONE shared store connection (what ``ui/common.get_tutor()`` serves every session with).

Without a process-wide lock, different learners' steps interleaved transactions on the one
sqlite3 connection ("no such savepoint", "cannot commit - no transaction is active"); about 20
of 40 learners failed. ``TutorSessions`` now serialises steps with one store lock.
"""

import threading

from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer


def test_forty_learners_at_once_on_one_shared_connection(klass):
    db, _ = klass
    path = db.conn.execute("PRAGMA database_list").fetchone()[2]
    tutor = TutorSessions(db, sqlite_checkpointer(sessions_path(path)))
    errors: list[str] = []

    def learner(i: int):
        name = f"shared-{i}"
        try:
            payload = tutor.current(name, "water", name)
            for _ in range(6):
                if payload["type"] != "exercise":
                    break
                payload = tutor.answer(name, "water", "wrong", step=payload["step"])
        except Exception as err:  # noqa: BLE001 - collected and asserted below
            errors.append(f"{type(err).__name__}: {err}")

    threads = [threading.Thread(target=learner, args=(i,)) for i in range(40)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    assert errors == []
    dup = db.execute("select count(*) - count(distinct event_id) from attempts").fetchone()[0]
    assert dup == 0
