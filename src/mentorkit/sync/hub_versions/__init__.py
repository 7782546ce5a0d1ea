"""The hub's Alembic environment and revisions (run by `mentorkit sync --init`, sync/init.py)."""
