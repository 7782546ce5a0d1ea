"""The store's record tables as the hub holds them, derived from the SQLModel models.

A hub table (in the PostgreSQL schema `mentorkit`) has the columns of its model, except:
- the integer `id` stays on the device (ids differ between devices); a record is named by its
  `uuid`, a link row (mentor_arena, mentor_tag, group_member) by its key columns;
- a column naming another record by id (`mentor_id`) names it by uuid (`mentor_uuid`);
- every table adds `owned_by` (the PostgreSQL role whose row it is; row-level security limits each
  role to its own rows), `deleted` (a tombstone keeps the values), `clock` (JSONB: per field the
  change that set it, `[instant, device, n]`; the later one wins), `seq` (the hub position at
  which the row last changed, from one sequence) and `device` (the device that changed it last).

Integers and booleans are `bigint`, everything else `text`, exactly as the store keeps them
(instants as `YYYY-MM-DDTHH:MM:SSZ`, dates as `YYYY-MM-DD`), so values travel unchanged.

Adding a table or column to the store (docs/sync.md): its model in store/models.py, and an Alembic
revision in `hub_versions/versions/` that calls `create_hub_table` or `add_hub_column` with the
shape `hub_tables()` derives. tests/test_sync_hub.py fails while the hub at head lacks a
journaled table or column of the store.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from typing import Any

SCHEMA = "mentorkit"
"""The PostgreSQL schema holding the hub's tables (and Alembic's version table)."""

GROUP = "mentorkit_users"
"""The role people who sync are members of; `sync --init` grants it the hub's tables."""

SEQUENCE = "change_seq"
"""The one sequence behind every hub table's `seq`: a position in the owner's history."""

BOOKKEEPING = ("deleted", "clock", "seq", "device")

NATURAL: dict[str, str] = {"profile": "singleton", "arena": "name", "mgroup": "name", "agreement": "mentor_uuid"}
"""Records that are one record when this key is equal (the store keeps it unique): two devices
that each made the `research` arena, or a profile, or an agreement with the same mentor, before
they first synced. The hub keeps the smaller uuid and points the other's references at it
(engine.fold_duplicates). Goals are not: an arena holds several since store schema 11."""


@dataclass(frozen=True)
class Col:
    local: str  # the column in the store
    hub: str  # the column on the hub
    kind: str  # "text" or "bigint"
    ref: str | None = None  # the table a link column names (its uuid on the hub)


@dataclass(frozen=True)
class HubTable:
    name: str
    identity: tuple[Col, ...]  # what names a row on the hub (uuid, or the key of a link row)
    data: tuple[Col, ...]  # the other columns

    @property
    def columns(self) -> tuple[Col, ...]:
        return self.identity + self.data

    @property
    def has_uuid(self) -> bool:
        return self.identity[0].local == "uuid"

    @property
    def refs(self) -> list[Col]:
        return [c for c in self.columns if c.ref is not None]


def _kind(column: Any) -> str:
    from sqlalchemy import Integer

    impl = getattr(column.type, "impl", column.type)
    impl = impl if isinstance(impl, type) else type(impl)
    return "bigint" if issubclass(impl, Integer) else "text"


def hub_tables(local_tables: list[str] | None = None) -> list[HubTable]:
    """The hub's tables, parents before the tables that name them (the models' order), from the
    SQLModel models of the store's record tables (`local_tables`: the journaled tables of a
    store; by default every model that is not bookkeeping)."""
    from mentorkit.store import journal, models

    made = []
    for model in models.MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        if table.name in journal.NOT_JOURNALED or (local_tables is not None and table.name not in local_tables):
            continue
        cols = []
        for column in table.columns:
            refs = [fk.column.table.name for fk in column.foreign_keys]
            if column.name == "id":
                continue
            if refs:
                cols.append(Col(column.name, column.name.removesuffix("_id") + "_uuid", "text", refs[0]))
            else:
                cols.append(Col(column.name, column.name, _kind(column)))
        if any(c.local == "uuid" for c in cols):
            identity = tuple(c for c in cols if c.local == "uuid")
        else:
            keys = {c.name for c in table.primary_key.columns}
            identity = tuple(c for c in cols if c.local in keys)
        made.append(HubTable(table.name, identity, tuple(c for c in cols if c not in identity)))
    return made


def hub_tables_of(conn: sqlite3.Connection) -> list[HubTable]:
    """The same shapes as `hub_tables`, read from the store's own schema (`PRAGMA table_info` and
    `foreign_key_list`) in a few milliseconds: what a sync uses, so it need not import SQLModel
    (over a second on a busy machine). tests/test_sync_hub.py checks that both agree, and
    tests/test_models.py that the models are the store's schema."""
    from mentorkit.store.journal import journaled_tables

    made: dict[str, HubTable] = {}
    parents: dict[str, set[str]] = {}
    for name in journaled_tables(conn):
        refs = {r[3]: r[2] for r in conn.execute(f'PRAGMA foreign_key_list("{name}")')}
        info = conn.execute(f'PRAGMA table_info("{name}")').fetchall()
        cols = []
        for _, column, declared, _, _, _ in info:
            if column == "id":
                continue
            if column in refs:
                cols.append(Col(column, column.removesuffix("_id") + "_uuid", "text", refs[column]))
            else:
                cols.append(Col(column, column, "bigint" if "INT" in (declared or "").upper() else "text"))
        keys = [r[1] for r in sorted((r for r in info if r[5]), key=lambda r: r[5])]
        wanted = ["uuid"] if any(c.local == "uuid" for c in cols) else keys
        identity = tuple(c for w in wanted for c in cols if c.local == w)
        made[name] = HubTable(name, identity, tuple(c for c in cols if c not in identity))
        parents[name] = {r for r in refs.values() if r != name}
    ordered: list[HubTable] = []
    while len(ordered) < len(made):  # parents first (the store has no cycles of links)
        done = {t.name for t in ordered}
        ready = sorted(n for n in made if n not in done and parents[n] <= done | (parents[n] - set(made)))
        if not ready:
            raise RuntimeError("the store's links form a cycle")
        ordered.append(made[ready[0]])
    return ordered


def missing_on_hub(conn: sqlite3.Connection, hub_columns: dict[str, set[str]]) -> list[str]:
    """The store's journaled tables and columns the hub lacks (`hub_columns`: table -> columns),
    as `table` or `table.column`; empty when the hub can hold everything the store has."""
    missing = []
    for table in hub_tables_of(conn):
        if table.name not in hub_columns:
            missing.append(table.name)
            continue
        missing += [f"{table.name}.{c.local}" for c in table.columns if c.hub not in hub_columns[table.name]]
    return missing


# --- what the Alembic revisions use (hub_versions/versions/*.py) ------------------------------


def create_hub_table(op: Any, name: str, identity: list[str], data: list[tuple[str, str]]) -> None:
    """Create a hub table with the columns every hub table has, its index on (owner, seq), its
    row-level security (enabled and forced: even the table's owner sees only its own rows) and
    its grants to `GROUP`. `identity` are text columns; `data` are (name, "text"|"bigint")."""
    parts = ["owned_by text NOT NULL DEFAULT current_user"]
    parts += [f'"{c}" text NOT NULL' for c in identity]
    parts += [f'"{c}" {kind}' for c, kind in data]
    parts += [
        "deleted boolean NOT NULL DEFAULT false",
        "clock jsonb NOT NULL DEFAULT '{}'::jsonb",
        "seq bigint NOT NULL",
        "device text NOT NULL",
        "PRIMARY KEY (owned_by, " + ", ".join(f'"{c}"' for c in identity) + ")",
    ]
    qualified = f'{SCHEMA}."{name}"'
    op.execute(f"CREATE TABLE {qualified} ({', '.join(parts)})")
    op.execute(f'CREATE INDEX "{name}_seq" ON {qualified} (owned_by, seq)')
    op.execute(f"ALTER TABLE {qualified} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {qualified} FORCE ROW LEVEL SECURITY")
    op.execute(
        f"CREATE POLICY own_rows ON {qualified} USING (owned_by = current_user) WITH CHECK (owned_by = current_user)"
    )


def index_hub_links(op: Any, table: str, columns: list[str]) -> None:
    """Index link columns (`mentor_uuid`...) of a hub table: a sync that deletes a record asks
    which live records still name it, and must not read the whole table to know."""
    for column in columns:
        op.execute(f'CREATE INDEX "{table}_{column}" ON {SCHEMA}."{table}" (owned_by, "{column}")')


def add_hub_column(op: Any, table: str, column: str, kind: str = "text") -> None:
    """Add a column to a hub table (rows already there read it as not set, as in the store)."""
    op.execute(f'ALTER TABLE {SCHEMA}."{table}" ADD COLUMN "{column}" {kind}')
