"""A class on the Streamlit server: many learners' steps at once through ONE ``TutorSessions``
over ONE shared store connection (what ``ui/common.get_tutor()`` serves every session with).

Known issue, reported to the lead (not the classroom's code to change): ``TutorSessions`` only
locks per learner, so different learners' steps interleave transactions on the one sqlite3
connection ("no such savepoint", "cannot commit - no transaction is active"). A process-wide
lock around ``current``/``answer`` in ``TutorSessions`` fixes it (measured: 0 errors in repeated
runs of this test, against ~20 of 40 learners failing without it). Marked ``xfail`` until then;
it reports XPASS once fixed.
"""

import threading

import pytest

from teachback.tutor.session import TutorSessions, sessions_path, sqlite_checkpointer

WHY = "TutorSessions shares one sqlite3 connection across learners' threads without a lock"


@pytest.mark.xfail(reason=WHY + " (see module docstring)", strict=False)
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
