"""Only `mentorkit sync` imports the hub's libraries (psycopg, Alembic, SQLAlchemy/SQLModel) and
mentorkit.sync: every other command runs as fast as before, offline."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from test_performance_design import imported, run_fresh

SYNC_ONLY = ("psycopg", "alembic", "sqlalchemy", "sqlmodel")


@pytest.fixture
def demo_store(ok: Callable[..., Any], db_path: Path) -> Path:
    ok("demo")
    return db_path


@pytest.mark.parametrize(
    "args",
    [
        ["followups"],
        ["board"],
        ["mentors", "--json"],
        ["show", "1"],
        ["history"],
        ["add-mentor", "Ana Lima"],
        ["log", "1", "--notes", "talked"],
        ["followup", "add", "1", "send the draft"],
        ["undo"],
        ["export", "--format", "json"],
    ],
)
def test_no_other_command_imports_the_hub_libraries(demo_store: Path, args: list[str]) -> None:
    result = run_fresh(args, {"MENTORKIT_DB": str(demo_store)})
    assert result["code"] == 0, result
    assert imported(result, *SYNC_ONLY) == []
    assert not [m for m in result["modules"] if m.startswith("mentorkit.sync")]


def test_sync_itself_imports_them(demo_store: Path) -> None:
    """The check above can fail: `sync` does import the driver (here failing to reach a hub)."""
    result = run_fresh(["sync", "postgresql://nobody@127.0.0.1:1/none"], {"MENTORKIT_DB": str(demo_store)})
    assert result["code"] == 1
    assert "psycopg" in imported(result, "psycopg")
