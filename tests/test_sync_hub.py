"""`sync --init` against a real PostgreSQL server: the hub's tables, row-level security, grants,
refusals (a newer hub, a wrong password, no database, the server down), and that the hub has a
table and column for everything the store journals."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest

from mentorkit.store.journal import journaled_tables
from mentorkit.sync.init import init_hub, known_revisions
from mentorkit.sync.schema import SCHEMA, hub_tables, hub_tables_of, missing_on_hub
from pg_helpers import OWNER, PASSWORD


def hub_columns(conn: Any) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for table, column in conn.execute(
        "SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = %s", (SCHEMA,)
    ):
        found.setdefault(table, set()).add(column)
    return found


def test_init_creates_the_hub_with_forced_row_level_security(hub: Any, ok: Callable[..., Any]) -> None:
    done = ok("sync", "--init", hub.url(OWNER))
    assert "Set up the hub" in done.stderr and PASSWORD not in done.stderr + done.stdout
    again = ok("sync", "--init", hub.url(OWNER), "--json").json()
    assert again["before"] == again["after"] == known_revisions()[1]
    with hub.connect(OWNER) as conn:
        rows = conn.execute(
            "SELECT c.relname, c.relrowsecurity, c.relforcerowsecurity FROM pg_class c "
            "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = %s AND c.relkind = 'r'",
            (SCHEMA,),
        ).fetchall()
        tables = {name: (rls, forced) for name, rls, forced in rows}
        policies = dict(
            conn.execute("SELECT tablename, qual FROM pg_policies WHERE schemaname = %s", (SCHEMA,)).fetchall()
        )
    for table in hub_tables():
        assert tables[table.name] == (True, True), table.name
        assert "owned_by" in policies[table.name] and "CURRENT_USER" in policies[table.name], table.name


def test_the_hub_has_a_table_and_column_for_everything_the_store_journals(ready_hub: Any, empty_store: Path) -> None:
    """Fails when a migration adds a journaled table or column without a hub revision (docs/sync.md,
    "Adding a table or column")."""
    with ready_hub.connect("alice") as conn:
        columns = hub_columns(conn)
    store = sqlite3.connect(empty_store)
    try:
        assert missing_on_hub(store, columns) == []
        assert {t.name for t in hub_tables(journaled_tables(store))} == set(journaled_tables(store))
    finally:
        store.close()
    for table in hub_tables():  # the models' shape of each table is the hub's, column for column
        expected = {c.hub for c in table.columns} | {"owned_by", "deleted", "clock", "seq", "device"}
        assert columns[table.name] == expected, table.name


def test_a_role_cannot_read_or_change_another_owners_rows_with_plain_sql(ready_hub: Any) -> None:
    with ready_hub.connect("alice") as alice:
        alice.execute(
            "INSERT INTO mentorkit.mentor (uuid, name, seq, device) VALUES ('u-alice', 'Private Person', 1, 'd')"
        )
        assert alice.execute("SELECT count(*) FROM mentorkit.mentor").fetchone()[0] == 1
    with ready_hub.connect("bob") as bob:
        assert bob.execute("SELECT count(*) FROM mentorkit.mentor").fetchone()[0] == 0
        assert bob.execute("UPDATE mentorkit.mentor SET name = 'x'").rowcount == 0
        assert bob.execute("DELETE FROM mentorkit.mentor").rowcount == 0
        with pytest.raises(psycopg.errors.InsufficientPrivilege):  # WITH CHECK: no rows in alice's name
            bob.execute(
                "INSERT INTO mentorkit.mentor (owned_by, uuid, name, seq, device) VALUES ('alice', 'u2', 'n', 2, 'd')"
            )
    with ready_hub.connect(OWNER) as owner:  # FORCE: not even the tables' owner sees others' rows
        assert owner.execute("SELECT count(*) FROM mentorkit.mentor").fetchone()[0] == 0
    with ready_hub.server.admin(ready_hub.dbname) as admin:  # a superuser does (docs/sync.md: threat model)
        assert admin.execute("SELECT owned_by, name FROM mentorkit.mentor").fetchall() == [("alice", "Private Person")]


def test_a_hub_from_a_newer_mentorkit_is_refused_and_left_unchanged(
    ready_hub: Any, cli: Callable[..., Any], ok: Callable[..., Any], db_path: Path
) -> None:
    ok("add-mentor", "Rosa Martinez")
    with ready_hub.server.admin(ready_hub.dbname) as admin:
        admin.execute("UPDATE mentorkit.alembic_version SET version_num = 'h999'")
    before = db_path.read_bytes()
    for args in (["sync", ready_hub.url("alice")], ["sync", "--init", ready_hub.url(OWNER)]):
        result = cli(*args)
        assert result.exit_code == 1
        assert "newer mentorkit" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert db_path.read_bytes() == before
    with ready_hub.server.admin(ready_hub.dbname) as admin:
        assert admin.execute("SELECT version_num FROM mentorkit.alembic_version").fetchone()[0] == "h999"
        assert admin.execute("SELECT count(*) FROM mentorkit.mentor").fetchone()[0] == 0


@pytest.mark.parametrize("problem", ["wrong password", "no database", "not set up", "no such role"])
def test_a_hub_that_cannot_be_used_is_one_line_and_changes_nothing(
    problem: str, hub: Any, cli: Callable[..., Any], ok: Callable[..., Any], db_path: Path
) -> None:
    ok("add-mentor", "Rosa Martinez")
    url = {
        "wrong password": hub.url("alice", password="not-the-password"),
        "no database": hub.server.url("alice", "nosuchdb"),
        "not set up": hub.url("alice"),
        "no such role": hub.server.url("mallory", hub.dbname),
    }[problem]
    before = db_path.read_bytes()
    result = cli("sync", url)
    assert result.exit_code == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "nothing was changed" in lines[0], lines
    assert PASSWORD not in result.stderr and "not-the-password" not in result.stderr
    assert db_path.read_bytes() == before


def test_a_server_that_is_down_is_one_line_and_changes_nothing(
    cli: Callable[..., Any], ok: Callable[..., Any], db_path: Path
) -> None:
    from pg_helpers import free_port

    ok("add-mentor", "Rosa Martinez")
    before = db_path.read_bytes()
    result = cli("sync", f"postgresql://alice:{PASSWORD}@127.0.0.1:{free_port()}/hub")
    assert result.exit_code == 1
    assert "cannot reach the hub" in result.stderr and PASSWORD not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert db_path.read_bytes() == before


def test_a_url_is_needed_and_a_malformed_one_is_not_quoted(cli: Callable[..., Any], monkeypatch: Any) -> None:
    monkeypatch.delenv("MENTORKIT_SYNC_URL", raising=False)
    result = cli("sync")
    assert result.exit_code == 1 and "MENTORKIT_SYNC_URL" in result.stderr
    result = cli("sync", "postgresql://me:hunter2@host:notaport/db?bad=1=2")
    assert result.exit_code == 1 and "hunter2" not in result.stderr


def test_a_hub_at_an_older_revision_is_refused_by_sync_and_upgraded_by_init(
    hub: Any, cli: Callable[..., Any], ok: Callable[..., Any]
) -> None:
    init_hub(hub.url(OWNER), "h001")
    with hub.server.admin() as admin:
        admin.execute("GRANT mentorkit_users TO alice")
    ok("add-mentor", "Rosa Martinez")
    refused = cli("sync", hub.url("alice"))
    assert refused.exit_code == 1 and "older than this mentorkit" in refused.stderr
    upgraded = ok("sync", "--init", hub.url(OWNER))
    assert f"from revision h001 to {known_revisions()[1]}" in upgraded.stderr
    with hub.connect(OWNER) as conn:
        indexes = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE schemaname = %s", (SCHEMA,))}
    assert {"meeting_mentor_uuid", "followup_meeting_uuid"} <= indexes
    assert ok("sync", hub.url("alice"), "--json").json()["pushed"]["mentor"] == 1


def test_the_store_schema_and_the_models_give_the_same_hub_tables(empty_store: Path) -> None:
    """A sync reads the shapes from the store (fast); the models say the same (tests/test_models.py
    ties the models to the store), parents before children either way."""
    store = sqlite3.connect(empty_store)
    try:
        fast = hub_tables_of(store)
    finally:
        store.close()
    assert {t.name: t for t in fast} == {t.name: t for t in hub_tables()}
    seen: set[str] = set()
    for table in fast:
        assert {c.ref for c in table.refs} <= seen | {table.name}, table.name
        seen.add(table.name)


def test_the_revisions_known_without_alembic_are_alembics() -> None:
    from alembic.script import ScriptDirectory

    from mentorkit.sync.init import alembic_config

    scripts = ScriptDirectory.from_config(alembic_config())
    known, head = known_revisions()
    assert known == {s.revision for s in scripts.walk_revisions()} and head == scripts.get_current_head()
