"""The curriculum store (SQLite through sqlite-utils)."""

from teachback.curricula._sqlite_import import import_sqlite_utils

import_sqlite_utils()
