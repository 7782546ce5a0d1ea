"""`mentorkit sync --init URL`: create or upgrade the hub, run by the hub database's owner.

In one PostgreSQL transaction (DDL is transactional there): the schema `mentorkit`, Alembic's
upgrade to the newest revision this mentorkit ships (`hub_versions/`), and the grants to the group
role `mentorkit_users`, made here when the owner may create roles (otherwise the owner is told
the one statement to ask an administrator for). A hub at a revision this mentorkit does not know
(a newer mentorkit upgraded it) is refused and left unchanged.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

from mentorkit.sync.hub import HubAddress, HubError, address, describe
from mentorkit.sync.schema import GROUP, SCHEMA, SEQUENCE


@dataclass(frozen=True)
class InitResult:
    hub: str  # role@host:port/database
    before: str | None  # the hub's revision before (None: a new hub)
    after: str
    group_created: bool


def alembic_config(connection: Any = None) -> Any:
    """Alembic's configuration, built in code: the revisions shipped in the package, and the
    connection to run them on (no alembic.ini, no URL in a file)."""
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", "mentorkit.sync:hub_versions")
    if connection is not None:
        config.attributes["connection"] = connection
    return config


@functools.cache
def known_revisions() -> tuple[frozenset[str], str]:
    """Every hub revision this mentorkit ships, and the newest, from the names of the revision
    files (`hNNN_what.py`, revision `hNNN`, each revising the one before): no need to import
    Alembic to check a hub. tests/test_sync_hub.py checks this against Alembic's own reading."""
    from importlib import resources

    files = resources.files("mentorkit.sync.hub_versions") / "versions"
    found = sorted(
        entry.name.split("_", 1)[0]
        for entry in files.iterdir()
        if entry.name.startswith("h") and entry.name.endswith(".py") and entry.name[1:4].isdigit()
    )
    return frozenset(found), found[-1]


def refuse_unknown(revision: str | None, hub: HubAddress) -> None:
    known, _ = known_revisions()
    if revision is not None and revision not in known:
        raise HubError(
            f"the hub {hub.shown} was set up by a newer mentorkit (hub revision {revision}); it was left "
            "unchanged, and so was the local store. Upgrade mentorkit on this device"
        )


def hub_revision(execute: Any) -> str | None:
    """The hub's Alembic revision (None before `--init`); `execute(sql)` returns rows."""
    rows = execute(f"SELECT to_regclass('{SCHEMA}.alembic_version') IS NOT NULL")
    if not rows[0][0]:
        return None
    found = execute(f"SELECT version_num FROM {SCHEMA}.alembic_version")
    return str(found[0][0]) if found else None


def init_hub(url: str, revision: str = "head") -> InitResult:
    """Create or upgrade the hub to `revision` (the newest by default; tests upgrade step by step)."""
    from alembic import command
    from sqlalchemy import create_engine
    from sqlalchemy.exc import DBAPIError
    from sqlalchemy.pool import NullPool

    from mentorkit.sync import hub as hubs

    hub = address(url)
    engine = create_engine("postgresql+psycopg://", creator=lambda: hubs.connect(hub), poolclass=NullPool)
    try:
        with engine.begin() as conn:

            def run(sql: str) -> list[Any]:
                return list(conn.exec_driver_sql(sql).fetchall())

            before = hub_revision(run)
            refuse_unknown(before, hub)
            conn.exec_driver_sql(f"CREATE SCHEMA IF NOT EXISTS {SCHEMA}")
            command.upgrade(alembic_config(conn), revision)
            after = hub_revision(run)
            assert after is not None
            created = _group(conn, hub)
            for statement in (
                f"GRANT USAGE ON SCHEMA {SCHEMA} TO {GROUP}",
                f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {SCHEMA} TO {GROUP}",
                f"REVOKE INSERT, UPDATE, DELETE ON {SCHEMA}.alembic_version FROM {GROUP}",
                f"GRANT USAGE, SELECT ON SEQUENCE {SCHEMA}.{SEQUENCE} TO {GROUP}",
            ):
                conn.exec_driver_sql(statement)
    except DBAPIError as exc:
        raise describe(exc.orig or exc, hub) from None
    finally:
        engine.dispose()
    return InitResult(hub.shown, before, after, created)


def _group(conn: Any, hub: HubAddress) -> bool:
    """Make the group role when it is missing; True when this run made it."""
    if conn.exec_driver_sql(f"SELECT 1 FROM pg_roles WHERE rolname = '{GROUP}'").fetchone():
        return False
    allowed = conn.exec_driver_sql("SELECT rolcreaterole OR rolsuper FROM pg_roles WHERE rolname = current_user")
    if not allowed.scalar():
        raise HubError(
            f"the hub needs the group role {GROUP}, and role {hub.user} may not create roles; nothing was "
            f"changed. Ask an administrator to run `CREATE ROLE {GROUP} NOLOGIN`, then run --init again"
        )
    conn.exec_driver_sql(f"CREATE ROLE {GROUP} NOLOGIN")
    return True
