"""The store's numbered schema migrations, in the order ``sqlite_utils.migrations`` applies them.

The migrations themselves live by what they change (``curriculum``, ``learners``,
``classrooms``, ``accounts``); this module only lists them. A database records each applied
migration by name, so names and order here never change.

Rules for whoever adds one:
* never edit a migration that has shipped; add ``mNNNN_what`` at the end of ``_IN_ORDER``;
* ``tests/curricula/test_migrations.py`` builds a database with the earlier migrations only,
  stores rows, upgrades it, and checks nothing was lost — extend it with your change.

Conventions: times are ISO-8601 UTC strings; JSON columns hold text; ids of things a user may
name in a URL or export (curricula, concepts, exercises) are short text slugs or hashes.
"""

from __future__ import annotations

from sqlite_utils.migrations import Migrations

from teachback.curricula.migrations import accounts, classrooms, curriculum, learners

# Shipped order (m0010 was applied before m0007 and m0011): a store upgrades in this order.
_IN_ORDER = (
    curriculum.m0001_foundation,
    learners.m0002_learners_and_attempts,
    curriculum.m0003_ingest_incremental,
    classrooms.m0004_classrooms,
    curriculum.m0005_ids_never_reused,
    curriculum.m0006_snapshot_items_stored_once,
    curriculum.m0010_images,
    accounts.m0007_accounts,
    accounts.m0011_curriculum_owners,
    learners.m0012_lesson_reads,
)

migrations = Migrations("teachback")
for _migration in _IN_ORDER:
    migrations()(_migration)
