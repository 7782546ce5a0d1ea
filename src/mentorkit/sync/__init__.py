"""`mentorkit sync`: the local store exchanges its changes with a PostgreSQL hub (docs/sync.md).

- `schema`: how each record table of the store looks on the hub, derived from the SQLModel
  models (`store/models.py`), and the helpers the hub's Alembic revisions create tables with.
- `hub`: the hub's URL (never its password in anything shown or stored), connecting, and the
  one place that turns driver errors into one-line `MentorkitError`s.
- `init`: `sync --init URL`, creating or upgrading the hub schema with Alembic (the revisions
  ship in `hub_versions/`), its row-level security and its grants.
- `push`, `pull`, `engine`: one sync.

Only `mentorkit sync` imports this package, and with it SQLAlchemy, SQLModel, Alembic and psycopg;
tests/test_sync_imports.py keeps them off every other command path.
"""
