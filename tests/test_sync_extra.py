"""`mentorkit sync` on a plain install (no `sync` extra): one line naming what to install, exit 1."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any

import pytest

Run = Callable[..., Any]


@pytest.mark.parametrize(
    ("missing", "args"),
    [
        ("psycopg", ["sync"]),
        ("psycopg", ["sync", "postgresql://u@127.0.0.1:1/db"]),
        ("alembic", ["sync", "--init", "postgresql://u@127.0.0.1:1/db"]),
    ],
)
def test_sync_without_the_extra_says_what_to_install(
    missing: str, args: list[str], cli: Run, empty_store: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, missing, None)  # as if not installed: importing it fails
    result = cli(*args)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: mentorkit sync needs the sync extra: pip install 'mentorkit[sync]' "
        "(or: pipx inject mentorkit 'psycopg[binary]>=3.3.4' alembic)\n"
    )
