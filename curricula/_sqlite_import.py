"""Import sqlite-utils without pandas where that is safe.

sqlite-utils imports pandas when it is installed (about half a second of CPU) only to map
``pandas.Timestamp`` values to a column type; the store never writes pandas values. Every
command opening the store (an ingest, ``learn``, an export) would pay that import, so the
package is imported once here with pandas hidden from it. That is done only while this is the
process's only thread (a command-line run): hiding a module is process-wide, and a web server
thread importing pandas at that moment would fail. Elsewhere, or once pandas is loaded anyway,
sqlite-utils is imported as usual.
"""

from __future__ import annotations

import sys
import threading


def import_sqlite_utils() -> None:
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules or threading.active_count() > 1:
        import sqlite_utils  # noqa: F401

        return
    sys.modules["pandas"] = None  # type: ignore[assignment]  # "import pandas" raises ImportError
    try:
        import sqlite_utils  # noqa: F401
    finally:
        del sys.modules["pandas"]
