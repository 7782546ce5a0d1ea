"""Every test gets its own store and private data/config directories; nothing touches $HOME."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from hypothesis import settings
from typer.testing import CliRunner

# Hypothesis's per-example deadline (200 ms) measures the machine, not a rule: on the shared 2-core
# machine, under CI's workers or a mutation run, a slow example failed a test whose rule held
# (tests/test_dates.py's). No test relies on it; speed goals are measured by benchmarks/.
settings.register_profile("mentorkit", deadline=None)
settings.load_profile("mentorkit")

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


# --- a real PostgreSQL server for the sync tests (tests/pg_helpers.py) ----------------------------


def _in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


@pytest.fixture(scope="session")
def pg_server():  # type: ignore[no-untyped-def]
    """One PostgreSQL server for the session. Skipped only outside CI when the server binaries
    are missing; in CI (.ci/run installs the postgresql package) a missing server fails."""
    import sys

    sys.path.insert(0, str(Path(__file__).parent))
    from pg_helpers import SHARED_ENV, PgServer, find_bindir

    bindir = find_bindir()
    if bindir is None:
        if _in_ci():
            pytest.fail("CI must run the sync tests, and PostgreSQL's pg_ctl is missing: .ci/run installs it")
        pytest.skip("PostgreSQL's server binaries (pg_ctl) are not installed: apt-get install postgresql")
    if os.environ.get(SHARED_ENV):  # a server another process runs (tools/mutation.py): not ours to stop
        yield PgServer.attach(bindir, os.environ[SHARED_ENV])
        return
    server = PgServer(bindir)
    server.init()
    server.start()
    server.setup_roles()
    yield server
    try:
        server.stop("immediate")
    finally:
        server.remove()


@dataclass
class Hub:
    """A fresh hub database on the session's server: URLs for its owner and for each person."""

    server: Any
    dbname: str

    def url(self, user: str = "alice", password: str | None = None) -> str:
        from pg_helpers import PASSWORD

        return self.server.url(user, self.dbname, PASSWORD if password is None else password)

    def connect(self, user: str):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(self.url(user), autocommit=True)


@pytest.fixture
def hub(pg_server: Any) -> Hub:
    """A new, empty database owned by the hub's owner (not set up: see `ready_hub`)."""
    return Hub(pg_server, pg_server.new_database())


@pytest.fixture
def ready_hub(hub: Hub) -> Hub:
    """A hub set up by its owner (`sync --init`), alice and bob members of its group role."""
    from mentorkit.sync.init import init_hub
    from pg_helpers import OWNER, PEOPLE

    init_hub(hub.url(OWNER))
    with hub.server.admin() as conn:
        conn.execute(f"GRANT mentorkit_users TO {', '.join(PEOPLE)}")
    return hub


@pytest.fixture
def devices(ready_hub: Hub, tmp_path: Path) -> Callable[..., Any]:
    """`devices("laptop")`: a device with its own store, syncing with `ready_hub` as alice (or
    the role given)."""
    from sync_helpers import Device

    def make(name: str, user: str = "alice") -> Device:
        return Device(tmp_path / name / "mentorkit.db", ready_hub.url(user))

    return make
