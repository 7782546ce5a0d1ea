"""A real PostgreSQL server for the sync tests, started from the Debian package's binaries.

`PgServer` runs `initdb` and `pg_ctl` in a private temporary directory: as the `postgres` user
when the tests run as root (PostgreSQL refuses to run as root), else as the current user. It
listens on localhost at a free port with password (SCRAM) authentication, and on a Unix socket
in its directory where the superuser connects without one. tests/conftest.py starts one per
session (`pg_server`); each test gets its own database (`hub`).

A session may instead use a server that is already running (`SHARED_ENV`, "DIRECTORY:PORT" of a
`PgServer` made with `shared()`): tools/mutation.py keeps one server for all the mutants of a sync
module, each pytest session making its own databases there (named with its process id) rather
than starting a server of its own.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

SUPERUSER = "postgres"
OWNER = "hubowner"  # owns the hub databases and runs `sync --init`
PEOPLE = ("alice", "bob")  # roles that sync, members of mentorkit_users
PASSWORD = "s3cret-pw"  # the same for every test role; tests check it is never printed
SHARED_ENV = "MENTORKIT_TEST_PG"  # "DIRECTORY:PORT" of a running server the sessions share


def find_bindir() -> Path | None:
    """The directory of pg_ctl: on PATH, else the newest /usr/lib/postgresql/*/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).parent
    candidates = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(p.split("/")[4]))
    return Path(candidates[-1]).parent if candidates else None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgServer:
    def __init__(self, bindir: Path, root: Path | None = None, port: int | None = None) -> None:
        """A new server in a new directory; or, given its directory and port, one already made."""
        self.bindir = bindir
        self.as_postgres = os.geteuid() == 0
        self.root = root or Path(tempfile.mkdtemp(prefix="mentorkit-pg-"))
        self.data = self.root / "data"
        self.port = port or free_port()
        if root is None:
            if self.as_postgres:
                shutil.chown(self.root, "postgres", "postgres")
            os.chmod(self.root, 0o755)
        self.databases = 0

    @classmethod
    def shared(cls, bindir: Path) -> PgServer:
        """A server started and given its roles, for sessions to share (see `SHARED_ENV`)."""
        server = cls(bindir)
        server.init()
        server.start()
        server.setup_roles()
        return server

    @classmethod
    def attach(cls, bindir: Path, spec: str) -> PgServer:
        """The running server that `SHARED_ENV` names."""
        root, _, port = spec.rpartition(":")
        return cls(bindir, Path(root), int(port))

    @property
    def spec(self) -> str:
        return f"{self.root}:{self.port}"

    def running(self) -> bool:
        try:
            self.admin().close()
        except Exception:
            return False
        return True

    def drop_databases(self) -> int:
        """Drop every test database (`hub...`) on the server, even one still in use."""
        with self.admin() as conn:
            names = [r[0] for r in conn.execute("SELECT datname FROM pg_database WHERE datname LIKE 'hub%'")]
            for name in names:
                conn.execute(f'DROP DATABASE "{name}" WITH (FORCE)')
        return len(names)

    def _run(self, *args: str) -> None:
        command = [str(self.bindir / args[0]), *args[1:]]
        if self.as_postgres:
            command = ["runuser", "-u", "postgres", "--", *command]
        subprocess.run(command, check=True, capture_output=True, timeout=120, cwd=self.root)

    def init(self) -> None:
        self._run(
            "initdb",
            "-D",
            str(self.data),
            "-U",
            SUPERUSER,
            "--auth-local=trust",
            "--auth-host=scram-sha-256",
            "--no-sync",
        )

    def start(self) -> None:
        options = f"-k {self.root} -p {self.port} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=60"
        self._run("pg_ctl", "-D", str(self.data), "-l", str(self.root / "log"), "-o", options, "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "stop")

    def admin(self, dbname: str = "postgres"):  # type: ignore[no-untyped-def]
        import psycopg

        return psycopg.connect(host=str(self.root), port=self.port, user=SUPERUSER, dbname=dbname, autocommit=True)

    def setup_roles(self) -> None:
        with self.admin() as conn:
            conn.execute(f"CREATE ROLE {OWNER} LOGIN CREATEROLE PASSWORD '{PASSWORD}'")
            for person in PEOPLE:
                conn.execute(f"CREATE ROLE {person} LOGIN PASSWORD '{PASSWORD}'")

    def new_database(self) -> str:
        self.databases += 1
        name = f"hub{os.getpid()}_{self.databases}"  # unique on a server that sessions share
        with self.admin() as conn:
            conn.execute(f"CREATE DATABASE {name} OWNER {OWNER}")
        return name

    def url(self, user: str, dbname: str, password: str | None = PASSWORD) -> str:
        secret = f":{password}" if password is not None else ""
        return f"postgresql://{user}{secret}@127.0.0.1:{self.port}/{dbname}"

    def remove(self) -> None:
        shutil.rmtree(self.root, ignore_errors=True)
