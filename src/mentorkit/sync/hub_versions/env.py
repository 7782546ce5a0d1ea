"""Alembic's environment for the hub: always given an open SQLAlchemy connection by
`mentorkit.sync.init` (never a URL from a file), its version table in the `mentorkit` schema."""

from __future__ import annotations

from alembic import context

from mentorkit.sync.schema import SCHEMA

connection = context.config.attributes["connection"]
context.configure(connection=connection, version_table_schema=SCHEMA, transaction_per_migration=False)
with context.begin_transaction():
    context.run_migrations()
