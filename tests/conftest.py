"""Every test gets its own store and private data/config directories; nothing touches $HOME."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

_REAL_DATA_DIR = Path(os.path.expanduser("~")) / ".local" / "share" / "mentorkit"
_REAL_DATA_DIR_EXISTED = _REAL_DATA_DIR.exists()


@pytest.fixture(autouse=True, scope="session")
def never_touch_the_real_store():
    """A test that undoes the isolation (monkeypatch.undo()) would write to the user's own store."""
    yield
    if not _REAL_DATA_DIR_EXISTED:
        assert not _REAL_DATA_DIR.exists(), f"a test wrote to the real data directory {_REAL_DATA_DIR}"


@pytest.fixture(autouse=True)
def isolated_dirs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / ".cache"))
    monkeypatch.setenv("MENTORKIT_DB", str(tmp_path / "store" / "mentorkit.db"))
    monkeypatch.setenv("TZ", "UTC")
    monkeypatch.delenv("MENTORKIT_DEBUG", raising=False)
    monkeypatch.delenv("MENTORKIT_CONFIG", raising=False)
    monkeypatch.delenv("MENTORKIT_SMTP_PASSWORD", raising=False)
    monkeypatch.setenv(
        "PYTHON_KEYRING_BACKEND", "keyring.backends.null.Keyring"
    )  # never the real keyring  # the config file is $XDG_CONFIG_HOME/mentorkit/config.toml
    monkeypatch.setenv("NO_COLOR", "1")
    monkeypatch.setenv("COLUMNS", "160")
    return tmp_path


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "store" / "mentorkit.db"


@pytest.fixture
def empty_store(db_path: Path) -> Path:
    """The test's store, made as the first write command makes it (read commands never create
    one: they refuse a path with no store)."""
    from mentorkit.store.db import open_store

    open_store(db_path).close()
    return db_path


@dataclass
class Result:
    exit_code: int
    stdout: str
    stderr: str

    def json(self) -> Any:
        return json.loads(self.stdout)


def invoke(*args: str, input: str | None = None) -> Result:
    from mentorkit.cli import app

    runner = CliRunner()
    result = runner.invoke(app, list(args), input=input, prog_name="mentorkit")
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Result(result.exit_code, result.stdout, result.stderr)


@pytest.fixture
def cli() -> Callable[..., Result]:
    """Run mentorkit in-process: cli("mentors", "--json").json()."""
    return invoke


@pytest.fixture
def ok(cli: Callable[..., Result]) -> Callable[..., Result]:
    """Like `cli`, but fails the test unless the command exits 0."""

    def run(*args: str, input: str | None = None) -> Result:
        result = cli(*args, input=input)
        assert result.exit_code == 0, (args, result.stdout, result.stderr)
        return result

    return run
