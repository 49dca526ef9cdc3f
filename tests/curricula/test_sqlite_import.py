"""Opening the store does not import pandas in a command-line run (sqlite-utils would)."""

import subprocess
import sys

_OPEN_AND_WRITE = """
import sys
{before}
from teachback.curricula.db import open_db
db = open_db(None)
db["t"].insert({{"a": 1, "b": "x"}})
print("pandas" in sys.modules, db.execute("select a, b from t").fetchall())
"""


def _run(before: str = "") -> str:
    code = _OPEN_AND_WRITE.format(before=before)
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return out.stdout.strip()


def test_a_command_line_run_opens_the_store_without_pandas():
    assert _run() == "False [(1, 'x')]"


def test_pandas_stays_importable_after_the_store_is_open():
    code = "import teachback.curricula.db, pandas; print(pandas.Timestamp(0).year)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "1970"


def test_with_other_threads_running_sqlite_utils_is_imported_as_usual():
    # Hiding pandas is process-wide: with a second thread (a web server) it is not done.
    before = "import threading, time\nthreading.Thread(target=time.sleep, args=(2,)).start()"
    assert _run(before) == "True [(1, 'x')]"
