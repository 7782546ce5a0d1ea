"""One `mentorkit sync`: push this device's changes, pull the others', in one transaction each.

Order, inside the store's write step (`Store.write("sync")`, so no other command writes meanwhile):
1. read what to push from the journal (changes after `sync_state.pushed`; everything on a first
   sync with this hub);
2. on the hub, in one transaction under the owner's advisory lock: check the hub's revision and
   columns, push, keep what live records name, fold records made twice, read what to pull;
3. apply the pulled rows to the store (journaled in this step), record the new position and mark
   every change up to here pushed (so pulled changes are never pushed back);
4. commit the hub, then the store. A failure before the hub commits changes neither side. A kill
   between the two commits leaves the hub ahead: the next sync pushes the same changes again,
   which the hub recognises by their clocks and leaves as they are.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from mentorkit.clock import db_now
from mentorkit.domain.journal import NAMES
from mentorkit.errors import MentorkitError
from mentorkit.sync.hub import HubError, address, connect, describe
from mentorkit.sync.schema import SCHEMA, hub_tables_of, missing_on_hub

FAULT_ENV = "MENTORKIT_SYNC_FAULT"
"""Test hook (tests/test_sync_faults.py): `hub-open`, `before-hub-commit` or `before-local-commit`
makes the process kill itself (SIGKILL) at that point, as a crash would."""


@dataclass(frozen=True)
class SyncResult:
    hub: str
    first: bool
    pushed: dict[str, int]  # table -> records pushed
    pulled: dict[str, int]  # table -> records added, changed or deleted here
    resolved: list[dict[str, str]] = field(default_factory=list)
    position: int = 0

    def lines(self) -> list[str]:
        pushed, pulled = sum(self.pushed.values()), sum(self.pulled.values())
        lines = [
            f"{'First sync' if self.first else 'Synced'} with the hub {self.hub}: pushed {_count(pushed, self.pushed)}, "
            f"pulled {_count(pulled, self.pulled)}."
        ]
        for item in self.resolved:
            lines.append(f"Resolved: {item['record']} — {item['what']}.")
        return lines


def _count(total: int, by_table: dict[str, int]) -> str:
    if not total:
        return "nothing"
    parts = [f"{n} {NAMES.get(t, t)}" for t, n in by_table.items() if n]
    return f"{total} record{'s' if total != 1 else ''} ({', '.join(parts)})"


def _fault(point: str) -> None:
    if os.environ.get(FAULT_ENV) == point:
        import signal

        os.kill(os.getpid(), signal.SIGKILL)


def sync(conn: sqlite3.Connection, url: str) -> SyncResult:
    """Run one sync inside the caller's write step on `conn` (see the module's docstring)."""
    import psycopg

    from mentorkit.sync import local
    from mentorkit.sync.remote import Remote

    hub = address(url)
    now = db_now()
    device, known_hub, pulled, pushed = conn.execute(
        "SELECT device, hub, pulled, pushed FROM sync_state WHERE id = 1"
    ).fetchone()
    first = known_hub != hub.fingerprint
    if first:
        pulled = 0
    tables = hub_tables_of(conn)
    if first:
        outgoing = local.everything(conn, tables, device, now)
    else:
        outgoing, _ = local.changes_since(conn, tables, device, pushed, now)
    hconn = connect(hub)
    _fault("hub-open")
    try:
        with hconn.cursor() as cur:
            _check_hub(cur, conn, hub)
            remote = Remote(cur, tables, device, pulled, now)
            remote.lock()
            remote.push(outgoing)
            remote.keep_referenced()
            remote.fold_duplicates()
            rows, position = remote.pull()
            applied = local.apply_rows(conn, tables, rows)
            last = conn.execute("SELECT coalesce(max(id), 0) FROM change").fetchone()[0]
            conn.execute(
                "UPDATE sync_state SET hub = ?, pulled = ?, pushed = ?, synced_at = ? WHERE id = 1",
                (hub.fingerprint, position, max(last, pushed), now),
            )
            _fault("before-hub-commit")
        hconn.commit()
        _fault("before-local-commit")
    except psycopg.Error as exc:
        raise describe(exc, hub) from None
    finally:
        hconn.close()
    resolved = [{"record": _name(conn, t, uid), "what": what} for t, uid, what in remote.outcome.resolved]
    return SyncResult(
        hub.shown,
        first,
        {t: n for t, n in remote.outcome.pushed.items() if n},
        {t: a.added + a.changed + a.deleted for t, a in applied.items() if a.added + a.changed + a.deleted},
        resolved,
        position,
    )


def _name(conn: sqlite3.Connection, table: str, uid: str) -> str:
    """How a line names a record: its word and local id (`follow-up #12`), else its uuid."""
    word = NAMES.get(table, table)
    if "/" not in uid:
        try:
            row = conn.execute(f'SELECT id FROM "{table}" WHERE uuid = ?', (uid,)).fetchone()
        except sqlite3.Error:
            row = None
        if row is not None:
            return f"{word} #{row[0]}"
    return f"{word} {uid}"


def _check_hub(cur: Any, conn: sqlite3.Connection, hub: Any) -> None:
    """Refuse a hub that is not set up, from a newer mentorkit, older than this one, or lacking a
    table or column this store has."""
    from mentorkit.sync.init import hub_revision, known_revisions, refuse_unknown

    def run(sql: str) -> list[Any]:
        cur.execute(sql)
        return list(cur.fetchall())

    revision = hub_revision(run)
    if revision is None:
        raise HubError(
            f"the hub {hub.shown} is not set up for mentorkit; nothing was changed. Its owner runs "
            "`mentorkit sync --init URL` once"
        )
    refuse_unknown(revision, hub)
    _, head = known_revisions()
    if revision != head:
        raise HubError(
            f"the hub {hub.shown} is at revision {revision}, older than this mentorkit's {head}; nothing was "
            "changed. Ask its owner to run `mentorkit sync --init URL` to upgrade it"
        )
    columns: dict[str, set[str]] = {}
    for table, column in run(
        f"SELECT table_name, column_name FROM information_schema.columns WHERE table_schema = '{SCHEMA}'"
    ):
        columns.setdefault(table, set()).add(column)
    missing = missing_on_hub(conn, columns)
    if missing:
        raise MentorkitError(
            f"the hub {hub.shown} cannot hold {', '.join(missing[:5])} of this store; nothing was changed. "
            "Ask its owner to run `mentorkit sync --init URL` with this mentorkit"
        )
